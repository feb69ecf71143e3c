//===- Partition.cpp - place a training function's ops on devices --------===//
//
// Every candidate device of every op is costed by the hardware library's
// cost model (hardware/Cost.h, the devices' own charging); a placement of
// the whole function is scored by the accounting model's schedule of one
// step (hardware/Accounting.h) plus, with steps=N, each ReRAM weight's
// programming over N steps.
//
//===----------------------------------------------------------------------===//

#include "hpt/Transforms/Passes.h"

#include "dialects/hpt/HptOps.h"
#include "hardware/Accounting.h"
#include "hardware/Cost.h"
#include "hpt/Analysis/Hardware.h"
#include "hpt/Systolic/GemmOps.h"
#include "hpt/Transforms/Placement.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/SymbolTable.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

#include <limits>

namespace hpt {
#define GEN_PASS_DEF_HPTPARTITION
#include "hpt/Transforms/Passes.h.inc"
} // namespace hpt

using namespace mlir;
using namespace hpt;

namespace {

constexpr DeviceKind kKinds[] = {DeviceKind::host, DeviceKind::gpu, DeviceKind::systolic,
                                 DeviceKind::reram};
/// The search tries every placement up to this many.
constexpr double kExhaustiveLimit = 1 << 20;

int64_t elementsOf(Type type) {
  auto tensor = dyn_cast<RankedTensorType>(type);
  return tensor && tensor.hasStaticShape() ? tensor.getNumElements() : 0;
}

/// The parameter an op reads, if any (a product's weight, an update's
/// target): it names the op's layer in the report.
std::string paramOf(Operation *op) {
  if (auto update = op->getAttrOfType<FlatSymbolRefAttr>("param"))
    return update.getValue().str();
  for (Value operand : op->getOperands())
    if (auto read = operand.getDefiningOp<GetParamOp>())
      return read.getNameAttr().getValue().str();
  if (auto read = dyn_cast<GetParamOp>(op))
    return read.getNameAttr().getValue().str();
  return "";
}

std::string shapeText(Operation *op) {
  if (op->getNumResults() == 0)
    return "-";
  auto tensor = dyn_cast<RankedTensorType>(op->getResult(0).getType());
  if (!tensor)
    return "-";
  std::string text;
  for (int64_t d : tensor.getShape())
    text += (text.empty() ? "" : "x") + std::to_string(d);
  return text;
}

/// What an op asks of the host or a GPU, as the host device charges it:
/// a product's FLOPs; other work the elements it writes (an optimizer update
/// also its parameter); reshapes and parameter reads are aliases.
struct Work {
  double flops = 0, elements = 0, bytes = 0;
  bool product = false;
};

Work workOf(Operation *op) {
  Work w;
  if (isa<GetParamOp, ReshapeOp>(op))
    return w;
  for (Value v : op->getOperands())
    w.bytes += 4.0 * double(elementsOf(v.getType()));
  for (Value v : op->getResults())
    w.bytes += 4.0 * double(elementsOf(v.getType()));
  if (std::optional<systolic::GemmShape> g = systolicGemm(op)) {
    w.product = true;
    w.flops = 2.0 * double(g->batch) * double(g->M) * double(g->N) * double(g->K);
    return w;
  }
  for (Value v : op->getResults())
    w.elements += double(elementsOf(v.getType()));
  if (isa<SgdUpdateOp, AdamUpdateOp, AdamWUpdateOp>(op))
    w.elements += double(elementsOf(op->getOperand(0).getType()));
  return w;
}

/// The matrix a frozen parameter's crossbars store: as the first product
/// of the module that reads it reads it (hpt-crossbar-tile's choice).
struct Stored {
  int64_t rows = 0, cols = 0;
  bool transposedParam = false;
};

struct Candidate {
  DeviceKind kind;
  hw::Estimate estimate;
};

struct PartOp {
  Operation *op = nullptr;
  std::vector<Candidate> candidates;
  bool pinned = false;
  std::string frozenParam; ///< a product of a frozen weight: its parameter
  std::vector<size_t> inputs, outputs;
  size_t choice = 0; ///< index into candidates
  std::string reason;
};

struct Score {
  double seconds = 0, energyPj = 0, transferPj = 0, staticPj = 0, programmingPj = 0;
  bool feasible = false;
  hw::Timeline timeline;
};

struct HptPartitionPass : hpt::impl::HptPartitionBase<HptPartitionPass> {
  using Base::Base;

  hw::Description description;
  func::FuncOp fn;
  std::vector<PartOp> ops;
  std::vector<hw::ValueInfo> values;
  llvm::StringMap<Stored> stored;

  LogicalResult prepare() {
    ModuleOp module = getOperation();
    if (hw.empty())
      return mlir::emitError(module.getLoc(), "hpt-partition: hw=FILE is required (the devices and their costs)");
    FailureOr<hw::Description> loaded = loadHardware(hw, "hpt-partition", module);
    if (failed(loaded))
      return failure();
    description = *loaded;
    if (function.empty())
      return mlir::emitError(module.getLoc(), "hpt-partition: function=NAME is required");
    fn = module.lookupSymbol<func::FuncOp>(function);
    if (!fn)
      return mlir::emitError(module.getLoc(), "hpt-partition: no function @") << function << " in the module";
    if (steps < 0)
      return mlir::emitError(module.getLoc(), "hpt-partition: steps = ")
             << int64_t(steps) << ": must not be negative";
    return recordHardware(module, description, "hpt-partition");
  }

  void findStoredMatrices() {
    getOperation().walk([&](Operation *op) {
      auto parent = op->getParentOfType<func::FuncOp>();
      if (!parent || !readsFrozenWeight(op, parent))
        return;
      std::optional<FrozenRead> read = frozenReadOf(op);
      if (!read || stored.count(read->param.getSymName()))
        return;
      auto shape = cast<RankedTensorType>(read->param.getType()).getShape();
      Stored s;
      s.transposedParam = read->readsTranspose;
      s.rows = s.transposedParam ? shape[1] : shape[0];
      s.cols = s.transposedParam ? shape[0] : shape[1];
      stored[read->param.getSymName()] = s;
    });
  }

  /// What `op` costs on `kind`, or nothing where the device cannot hold it.
  std::optional<hw::Estimate> estimate(DeviceKind kind, Operation *op, std::string &frozen) {
    const Work work = workOf(op);
    switch (kind) {
    case DeviceKind::host:
      return hw::hostEstimate(description.host, work.flops, work.elements);
    case DeviceKind::gpu:
      return hw::gpuEstimate(*description.gpu,
                             {work.product ? work.flops : work.elements, work.product,
                              work.bytes, work.bytes > 0 ? 1u : 0u});
    case DeviceKind::systolic: {
      std::optional<systolic::PlanSpec> spec = planSpecOf(op);
      if (!spec)
        return std::nullopt;
      hw::Expected<hw::Estimate> e = hw::systolicEstimate(*description.systolic, *spec);
      return e ? std::optional<hw::Estimate>(*e) : std::nullopt;
    }
    case DeviceKind::reram: {
      std::optional<FrozenRead> read = frozenReadOf(op);
      if (!read)
        return std::nullopt;
      const Stored &s = stored[read->param.getSymName()];
      auto input = cast<RankedTensorType>(op->getOperand(0).getType());
      const int64_t length = input.getShape().back();
      const int64_t vectors = length == 0 ? 0 : input.getNumElements() / length;
      hw::Expected<hw::Estimate> e =
          hw::reramReadEstimate(*description.reram, s.rows, s.cols, vectors,
                                read->readsTranspose != s.transposedParam,
                                "@" + read->param.getSymName().str());
      if (!e)
        return std::nullopt;
      frozen = read->param.getSymName().str();
      return *e;
    }
    }
    return std::nullopt;
  }

  void collectOps() {
    llvm::DenseMap<Value, size_t> numbers;
    auto number = [&](Value v) {
      auto [it, added] = numbers.try_emplace(v, values.size());
      if (added)
        values.push_back({uint64_t(4 * elementsOf(v.getType())), std::nullopt, false});
      return it->second;
    };
    for (BlockArgument arg : fn.getArguments())
      values[number(arg)].home = hw::Placement{hw::DeviceKind::Host, 0};
    for (Operation &op : fn.getBody().front()) {
      if (op.hasTrait<OpTrait::IsTerminator>())
        continue;
      PartOp part;
      part.op = &op;
      for (Value v : op.getOperands())
        part.inputs.push_back(number(v));
      for (Value v : op.getResults()) {
        part.outputs.push_back(number(v));
        values[part.outputs.back()].resident = isa<GetParamOp>(op);
      }
      auto pinned = op.getAttrOfType<DeviceAttr>(kDeviceAttrName);
      part.pinned = bool(pinned);
      for (DeviceKind kind : kKinds) {
        if (description.instances(hardwareKind(kind)) == 0 ||
            (pinned ? pinned.getKind() != kind : !canRun(kind, &op, fn)))
          continue;
        std::string frozen;
        if (std::optional<hw::Estimate> e = estimate(kind, &op, frozen)) {
          part.candidates.push_back({kind, *e});
          if (!frozen.empty())
            part.frozenParam = frozen;
        }
      }
      ops.push_back(std::move(part));
    }
  }

  hw::Task taskOf(size_t i, size_t c) const {
    const Candidate &candidate = ops[i].candidates[c];
    return {{hardwareKind(candidate.kind), std::nullopt}, candidate.estimate.seconds,
            candidate.estimate.energyPj(), ops[i].inputs, ops[i].outputs};
  }

  /// Programming a frozen weight's crossbars once, per amortised step (zero
  /// with steps=0: not charged to the step).
  hw::Estimate programmingPerStep(StringRef param) const {
    hw::Estimate per;
    if (steps == 0)
      return per;
    const Stored &st = stored.lookup(param);
    hw::Expected<hw::Estimate> write =
        hw::reramWriteEstimate(*description.reram, st.rows, st.cols, param.str());
    if (write) {
      per.seconds = write->seconds / double(steps);
      per.energy = {{"write", write->energyPj() / double(steps)}};
    }
    return per;
  }

  /// Programming every ReRAM weight of `placement` once, not amortised.
  hw::Estimate programmingOnce(const std::vector<size_t> &placement) const {
    hw::Estimate total;
    double energy = 0;
    llvm::StringMap<bool> programmed;
    for (size_t i = 0; i < ops.size(); ++i) {
      if (ops[i].candidates[placement[i]].kind != DeviceKind::reram ||
          !programmed.try_emplace(ops[i].frozenParam, true).second)
        continue;
      const Stored &st = stored.lookup(ops[i].frozenParam);
      if (hw::Expected<hw::Estimate> write = hw::reramWriteEstimate(
              *description.reram, st.rows, st.cols, ops[i].frozenParam)) {
        total.seconds += write->seconds;
        energy += write->energyPj();
      }
    }
    total.energy = {{"write", energy}};
    return total;
  }

  /// The step's schedule and its objective for `placement` (candidate
  /// indices); infeasible when a value would cross devices with no link.
  Score score(const std::vector<size_t> &placement) const {
    std::vector<hw::Task> tasks;
    tasks.reserve(ops.size());
    llvm::StringMap<bool> programmed;
    Score s;
    for (size_t i = 0; i < ops.size(); ++i) {
      tasks.push_back(taskOf(i, placement[i]));
      if (ops[i].candidates[placement[i]].kind == DeviceKind::reram &&
          programmed.try_emplace(ops[i].frozenParam, true).second) {
        const hw::Estimate write = programmingPerStep(ops[i].frozenParam);
        s.programmingPj += write.energyPj();
        s.seconds += write.seconds;
      }
    }
    hw::Expected<hw::Timeline> timeline = hw::schedule(description, values, tasks);
    if (!timeline)
      return s;
    s.feasible = true;
    s.seconds += timeline->makespan;
    s.transferPj = timeline->transferEnergyPj;
    s.staticPj = timeline->staticEnergyPj;
    s.energyPj = timeline->opEnergyPj + s.transferPj + s.staticPj + s.programmingPj;
    s.timeline = std::move(*timeline);
    return s;
  }

  double objectiveOf(const Score &s) const {
    if (!s.feasible)
      return std::numeric_limits<double>::infinity();
    switch (objective) {
    case PartitionObjective::latency:
      return s.seconds;
    case PartitionObjective::energy:
      return s.energyPj;
    case PartitionObjective::edp:
      return s.seconds * s.energyPj;
    }
    return s.seconds;
  }

  size_t candidateOf(const PartOp &part, DeviceKind kind) const {
    for (size_t c = 0; c < part.candidates.size(); ++c)
      if (part.candidates[c].kind == kind)
        return c;
    return part.candidates.size();
  }

  /// HpT's mapping, or why it cannot be made (the op, and what it needs).
  struct Mapping {
    std::vector<size_t> placement;
    Operation *failedAt = nullptr;
    std::string why;
  };

  Mapping hptMapping() {
    const bool lora = llvm::any_of(ops, [](const PartOp &p) { return !p.frozenParam.empty(); });
    Mapping mapping;
    for (PartOp &part : ops) {
      DeviceKind want = DeviceKind::host;
      if (part.pinned) {
        want = part.candidates.front().kind;
        part.reason = "pinned by the user";
      } else if (!lora) {
        want = DeviceKind::gpu;
        part.reason = "HpT: the full-parameter program runs on the GPU";
      } else if (!part.frozenParam.empty()) {
        want = DeviceKind::reram;
        part.reason = "HpT: a frozen weight's product reads ReRAM crossbars";
      } else if (canRun(DeviceKind::systolic, part.op, fn)) {
        want = DeviceKind::systolic;
        part.reason = "HpT: the systolic arrays run the LoRA program's other work";
      } else {
        part.reason = "HpT: no accelerator runs it, so the host does";
      }
      const size_t c = candidateOf(part, want);
      if (c == part.candidates.size()) {
        mapping.failedAt = part.op;
        mapping.why = "hpt-partition: policy=hpt puts this op on " +
                      stringifyDeviceKind(want).str() + ", which " + hw +
                      (description.instances(hardwareKind(want)) == 0 ? " does not describe"
                                                                      : " cannot fit it on");
        return mapping;
      }
      mapping.placement.push_back(c);
    }
    return mapping;
  }

  /// Ops in program order, each on the candidate that, given the ops before
  /// it, ends soonest (latency), adds the least energy (energy) or the least
  /// end × energy so far (edp); empty when some op has no feasible candidate.
  std::vector<size_t> greedy() const {
    hw::StepScheduler scheduler(description, values);
    llvm::StringMap<bool> programmed;
    std::vector<size_t> placement;
    double energy = 0;
    for (size_t i = 0; i < ops.size(); ++i) {
      std::optional<size_t> best;
      double bestKey = 0, bestEnergy = 0;
      for (size_t c = 0; c < ops[i].candidates.size(); ++c) {
        hw::Expected<hw::StepScheduler::Trial> trial = scheduler.trial(taskOf(i, c));
        if (!trial)
          continue;
        double added = trial->energyPj, end = trial->end;
        if (ops[i].candidates[c].kind == DeviceKind::reram &&
            !programmed.count(ops[i].frozenParam)) {
          const hw::Estimate write = programmingPerStep(ops[i].frozenParam);
          added += write.energyPj();
          end += write.seconds;
        }
        const double key = objective == PartitionObjective::latency ? end
                           : objective == PartitionObjective::energy
                               ? added
                               : end * (energy + added);
        if (!best || key < bestKey) {
          best = c;
          bestKey = key;
          bestEnergy = added;
        }
      }
      if (!best || scheduler.add(taskOf(i, *best)))
        return {};
      if (ops[i].candidates[*best].kind == DeviceKind::reram)
        programmed[ops[i].frozenParam] = true;
      energy += bestEnergy;
      placement.push_back(*best);
    }
    return placement;
  }

  /// Every placement when there are few enough; else the better of `start`
  /// and the greedy placement. `start` wins ties.
  std::vector<size_t> search(std::vector<size_t> start) {
    double count = 1;
    for (const PartOp &part : ops)
      count *= double(part.candidates.size());
    std::vector<size_t> best = start;
    double bestValue = objectiveOf(score(best));
    auto consider = [&](const std::vector<size_t> &placement) {
      double value = objectiveOf(score(placement));
      if (value < bestValue) {
        bestValue = value;
        best = placement;
      }
    };
    if (count <= kExhaustiveLimit) {
      std::vector<size_t> placement(ops.size(), 0);
      while (true) {
        consider(placement);
        size_t i = 0;
        while (i < ops.size() && ++placement[i] == ops[i].candidates.size())
          placement[i++] = 0;
        if (i == ops.size())
          return best;
      }
    }
    if (std::vector<size_t> guess = greedy(); !guess.empty())
      consider(guess);
    return best;
  }

  static const char *objectiveName(PartitionObjective o) {
    return o == PartitionObjective::latency ? "latency"
           : o == PartitionObjective::energy ? "energy"
                                              : "edp";
  }

  llvm::json::Object scoreJson(const Score &s) const {
    return llvm::json::Object{{"seconds", s.seconds},
                              {"energy_pj", s.energyPj},
                              {"transfer_pj", s.transferPj},
                              {"static_pj", s.staticPj},
                              {"programming_pj", s.programmingPj}};
  }

  LogicalResult writeReport(const Score &chosen, const std::optional<Score> &baseline,
                            const hw::Estimate &programming) {
    llvm::json::Array opsJson;
    for (size_t i = 0; i < ops.size(); ++i) {
      const PartOp &part = ops[i];
      llvm::json::Object costs;
      for (const Candidate &c : part.candidates)
        costs[stringifyDeviceKind(c.kind)] =
            llvm::json::Object{{"seconds", c.estimate.seconds},
                               {"energy_pj", c.estimate.energyPj()}};
      const hw::ScheduledTask &when = chosen.timeline.tasks[i];
      opsJson.push_back(llvm::json::Object{
          {"index", int64_t(i)},
          {"op", part.op->getName().stripDialect().str()},
          {"param", paramOf(part.op)},
          {"shape", shapeText(part.op)},
          {"instance", int64_t(when.instance)},
          {"start", when.start},
          {"end", when.end},
          {"device", stringifyDeviceKind(part.candidates[part.choice].kind)},
          {"costs", std::move(costs)},
          {"reason", part.reason}});
    }
    llvm::json::Array transfers;
    for (const hw::Transfer &t : chosen.timeline.transfers)
      transfers.push_back(llvm::json::Object{{"value", int64_t(t.value)},
                                             {"consumer", int64_t(t.consumer)},
                                             {"from", hw::name(t.fromKind)},
                                             {"to", hw::name(t.toKind)},
                                             {"bytes", int64_t(t.bytes)},
                                             {"seconds", t.end - t.start},
                                             {"energy_pj", t.energyPj}});
    llvm::json::Object json{{"function", fn.getSymName().str()},
                              {"hardware", description.name},
                              {"policy", policy == PartitionPolicy::hpt ? "hpt" : "cost"},
                              {"objective", objectiveName(objective)},
                              {"steps", int64_t(steps)},
                              {"reram_programming",
                               llvm::json::Object{{"seconds", programming.seconds},
                                                  {"energy_pj", programming.energyPj()}}},
                              {"step", scoreJson(chosen)},
                              {"hpt_step", baseline ? llvm::json::Value(scoreJson(*baseline))
                                                    : llvm::json::Value(nullptr)},
                              {"ops", std::move(opsJson)},
                              {"transfers", std::move(transfers)}};
    return writeFile(report, [&](llvm::raw_ostream &os) {
      os << llvm::formatv("{0:2}", llvm::json::Value(std::move(json))) << "\n";
    });
  }

  LogicalResult writeTable(const Score &chosen, const std::optional<Score> &baseline,
                           const hw::Estimate &programming) {
    return writeFile(table, [&](llvm::raw_ostream &os) {
      os << "hpt-partition @" << fn.getSymName() << " on " << description.name
         << " (policy " << (policy == PartitionPolicy::hpt ? "hpt" : "cost") << ", objective "
         << objectiveName(objective) << "; modelled)\n";
      os << llvm::format("%-5s %-16s %-14s %-9s", "op", "kind", "shape", "device");
      for (DeviceKind kind : kKinds)
        os << llvm::format(" %14s", (stringifyDeviceKind(kind) + " us/nJ").str().c_str());
      os << "  reason\n";
      for (size_t i = 0; i < ops.size(); ++i) {
        const PartOp &part = ops[i];
        os << llvm::format("%-5zu %-16s %-14s %-9s", i,
                           part.op->getName().stripDialect().str().c_str(),
                           shapeText(part.op).c_str(),
                           stringifyDeviceKind(part.candidates[part.choice].kind).str().c_str());
        for (DeviceKind kind : kKinds) {
          size_t c = candidateOf(part, kind);
          if (c == part.candidates.size()) {
            os << llvm::format(" %14s", "-");
            continue;
          }
          const hw::Estimate &e = part.candidates[c].estimate;
          os << llvm::format(" %7.3g/%-6.3g", e.seconds * 1e6, e.energyPj() * 1e-3);
        }
        os << "  " << part.reason << "\n";
      }
      os << llvm::format("step: %.6g us, %.6g nJ (transfers %.6g nJ, static %.6g nJ, "
                         "ReRAM programming %.6g nJ)",
                         chosen.seconds * 1e6, chosen.energyPj * 1e-3, chosen.transferPj * 1e-3,
                         chosen.staticPj * 1e-3, chosen.programmingPj * 1e-3);
      if (baseline)
        os << llvm::format("; HpT's mapping: %.6g us, %.6g nJ", baseline->seconds * 1e6,
                           baseline->energyPj * 1e-3);
      else
        os << "; HpT's mapping: not possible on " << description.name;
      os << llvm::format("\nReRAM programming, once: %.6g us, %.6g nJ (%s)\n",
                         programming.seconds * 1e6, programming.energyPj() * 1e-3,
                         steps == 0 ? "not charged to the step"
                                    : ("1/" + std::to_string(steps) + " charged per step").c_str());
    });
  }

  LogicalResult writeFile(StringRef path, llvm::function_ref<void(llvm::raw_ostream &)> write) {
    if (path.empty())
      return success();
    std::error_code error;
    llvm::raw_fd_ostream os(path, error);
    if (error)
      return mlir::emitError(getOperation().getLoc(), "hpt-partition: ")
             << path << ": cannot write: " << error.message();
    write(os);
    return success();
  }

  /// Every op on the host, where HpT's mapping cannot be made (the host
  /// runs everything; a pinned op stays where it is).
  std::vector<size_t> hostPlacement() {
    std::vector<size_t> placement;
    for (PartOp &part : ops) {
      placement.push_back(part.pinned ? 0 : candidateOf(part, DeviceKind::host));
      part.reason = part.pinned ? "pinned by the user" : "the search's start: the host";
    }
    return placement;
  }

  void runOnOperation() override {
    if (failed(prepare()))
      return signalPassFailure();
    findStoredMatrices();
    collectOps();
    for (const PartOp &part : ops)
      if (part.candidates.empty()) {
        part.op->emitError("hpt-partition: no device of ")
            << hw << " can run this op" << (part.pinned ? " where it is pinned" : "");
        return signalPassFailure();
      }
    Mapping mapping = hptMapping();
    if (mapping.failedAt && policy == PartitionPolicy::hpt) {
      mapping.failedAt->emitError(mapping.why);
      return signalPassFailure();
    }
    const bool hasMapping = !mapping.failedAt;
    const std::vector<size_t> start = hasMapping ? mapping.placement : hostPlacement();
    const Score baseline = score(start);
    if (!baseline.feasible) {
      mlir::emitError(getOperation().getLoc(), "hpt-partition: ")
          << (hasMapping ? "HpT's mapping" : "the host placement")
          << " moves values between devices that " << hw << " does not link";
      return signalPassFailure();
    }
    std::vector<size_t> placement = start;
    if (policy == PartitionPolicy::cost) {
      placement = search(start);
      for (size_t i = 0; i < ops.size(); ++i)
        if (placement[i] != start[i])
          ops[i].reason = std::string("cost: the least ") + objectiveName(objective) +
                          " of the step moves it off " + (hasMapping ? "HpT's " : "the ") +
                          stringifyDeviceKind(ops[i].candidates[start[i]].kind).str();
    }
    MLIRContext *context = &getContext();
    for (size_t i = 0; i < ops.size(); ++i) {
      ops[i].choice = placement[i];
      ops[i].op->setAttr(kDeviceAttrName,
                         DeviceAttr::get(context, ops[i].candidates[placement[i]].kind,
                                         std::nullopt));
    }
    const Score chosen = score(placement);
    const std::optional<Score> hptScore = hasMapping ? std::optional<Score>(baseline) : std::nullopt;
    const hw::Estimate programming = programmingOnce(placement);
    if (failed(writeReport(chosen, hptScore, programming)) ||
        failed(writeTable(chosen, hptScore, programming)))
      return signalPassFailure();
  }
};

} // namespace
