//===- Partition.cpp - place a training function's ops on devices --------===//
//
// Every candidate device of every op is costed by the hardware library's
// cost model (hardware/Cost.h, the devices' own charging); a placement of
// the whole function is scored by the accounting model's schedule of one
// step (hardware/Accounting.h) plus, with steps=N, each ReRAM weight's
// programming over N steps. policy=noise-aware reads the weights' measured
// noise sensitivity (hpt-run --sensitivity) and checks that it measured
// this model.
//
//===----------------------------------------------------------------------===//

#include "hpt/Transforms/Passes.h"

#include "dialects/hpt/HptOps.h"
#include "hardware/Accounting.h"
#include "hardware/Cost.h"
#include "hardware/Partition.h"
#include "hpt/Analysis/Hardware.h"
#include "hpt/Systolic/GemmOps.h"
#include "hpt/Transforms/Placement.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/SymbolTable.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>
#include <cstdio>
#include <map>
#include <set>

namespace hpt {
#define GEN_PASS_DEF_HPTPARTITION
#include "hpt/Transforms/Passes.h.inc"
} // namespace hpt

using namespace mlir;
using namespace hpt;

namespace {

constexpr DeviceKind kKinds[] = {DeviceKind::host, DeviceKind::gpu, DeviceKind::systolic,
                                 DeviceKind::reram};

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

/// Dimensions as "4x8".
std::string dimsText(ArrayRef<int64_t> dims) {
  std::string text;
  for (int64_t d : dims)
    text += (text.empty() ? "" : "x") + std::to_string(d);
  return text;
}

std::string shapeText(Operation *op) {
  if (op->getNumResults() == 0)
    return "-";
  auto tensor = dyn_cast<RankedTensorType>(op->getResult(0).getType());
  return tensor ? dimsText(tensor.getShape()) : "-";
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

/// What hpt-run --sensitivity measured: the all-digital held-out loss and,
/// per frozen weight, how far its crossbars alone move it.
struct Measurement {
  double baselineLoss = 0;
  std::optional<double> together; ///< every candidate at once, if measured
  std::map<std::string, double> sensitivity, increase;
};

const char *policyName(PartitionPolicy p) {
  return p == PartitionPolicy::hpt ? "hpt" : p == PartitionPolicy::cost ? "cost" : "noise-aware";
}

struct PartOp {
  Operation *op = nullptr;
  std::vector<Candidate> candidates;
  bool pinned = false;
  std::string frozenParam; ///< a product of a frozen weight: its parameter
  std::vector<size_t> inputs, outputs;
  size_t choice = 0; ///< index into candidates
  std::string reason;
};

struct HptPartitionPass : hpt::impl::HptPartitionBase<HptPartitionPass> {
  using Base::Base;

  hw::Description description;
  func::FuncOp fn;
  std::vector<PartOp> ops;
  std::vector<hw::ValueInfo> values;
  llvm::StringMap<Stored> stored;
  /// Per frozen weight on a ReRAM candidate: programming it once (s, pJ).
  std::map<std::string, std::pair<double, double>> writeOnce;
  hw::PartitionProblem problem;
  std::optional<Measurement> measured;
  std::optional<hw::NoiseAwarePlacement> noiseAware;
  /// The evaluation function that reads this placement's crossbars, and how
  /// many of its products it reads from them.
  std::string evaluation;
  int64_t evaluationReads = 0;
  bool trainedOnReram = false; ///< a trained weight pinned to ReRAM

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
    if (policy == PartitionPolicy::noise_aware) {
      if (sensitivity.empty())
        return mlir::emitError(module.getLoc(),
                               "hpt-partition: policy=noise-aware needs sensitivity=FILE (the "
                               "weights' noise, measured by hpt-run --sensitivity)");
      if (!std::isfinite(lossBudget) || lossBudget < 0)
        return mlir::emitError(module.getLoc(), "hpt-partition: loss-budget = ")
               << number(lossBudget) << ": must be a fraction that is not negative";
      FailureOr<Measurement> m = readMeasurement();
      if (failed(m))
        return failure();
      measured = std::move(*m);
    }
    return recordHardware(module, description, "hpt-partition");
  }

  /// The sensitivity file, checked against the module: every weight it
  /// names is a parameter of this shape (else it measured another model).
  FailureOr<Measurement> readMeasurement() {
    ModuleOp module = getOperation();
    auto fail = [&](const Twine &what) {
      return mlir::emitError(module.getLoc(), "hpt-partition: sensitivity=") << sensitivity << ": " << what;
    };
    llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> text =
        llvm::MemoryBuffer::getFile(sensitivity);
    if (!text) {
      fail("cannot open: " + text.getError().message());
      return failure();
    }
    llvm::Expected<llvm::json::Value> parsed = llvm::json::parse((*text)->getBuffer());
    if (!parsed) {
      fail("not JSON: " + llvm::toString(parsed.takeError()));
      return failure();
    }
    const llvm::json::Object *root = parsed->getAsObject();
    if (!root || root->getString("kind") != "hpt-sensitivity") {
      fail("\"kind\" is not \"hpt-sensitivity\" (write it with hpt-run --sensitivity)");
      return failure();
    }
    Measurement m;
    std::optional<double> baseline = root->getNumber("baseline_loss");
    if (!baseline || !std::isfinite(*baseline) || *baseline <= 0) {
      fail("\"baseline_loss\" must be a positive number");
      return failure();
    }
    m.baselineLoss = *baseline;
    if (const llvm::json::Object *all = root->getObject("all"))
      m.together = all->getNumber("sensitivity");
    const llvm::json::Array *weights = root->getArray("weights");
    if (!weights) {
      fail("\"weights\" must be an array");
      return failure();
    }
    for (size_t i = 0; i < weights->size(); ++i) {
      const std::string where = "weights[" + std::to_string(i) + "]";
      const llvm::json::Object *entry = (*weights)[i].getAsObject();
      std::optional<llvm::StringRef> name = entry ? entry->getString("param") : std::nullopt;
      std::optional<double> value = entry ? entry->getNumber("sensitivity") : std::nullopt;
      std::optional<double> increase = entry ? entry->getNumber("increase") : std::nullopt;
      const llvm::json::Array *shape = entry ? entry->getArray("shape") : nullptr;
      if (!name || !value || !increase || !shape || !std::isfinite(*value) || *value < 0 ||
          !std::isfinite(*increase)) {
        fail(where + ": needs \"param\", \"shape\", a finite \"increase\" and a "
                     "\"sensitivity\" that is not negative");
        return failure();
      }
      auto param = module.lookupSymbol<ParamOp>(*name);
      if (!param) {
        fail(where + ": @" + *name +
             " is not a parameter of this module (a measurement of another model?)");
        return failure();
      }
      std::string fileShape;
      for (const llvm::json::Value &d : *shape)
        fileShape += (fileShape.empty() ? "" : "x") +
                     (d.getAsInteger() ? std::to_string(*d.getAsInteger()) : std::string("?"));
      const std::string moduleShape = dimsText(cast<RankedTensorType>(param.getType()).getShape());
      if (fileShape != moduleShape) {
        fail(where + ": @" + *name + " is " + fileShape + " in the file but " + moduleShape +
             " in this module (a measurement of another model?)");
        return failure();
      }
      m.sensitivity[name->str()] = *value;
      m.increase[name->str()] = *increase;
    }
    return m;
  }

  /// A product the user pinned to ReRAM: the one way a trained weight
  /// gets there (it is written again after every update).
  static bool pinnedToReram(Operation *op) {
    auto pinned = op->getAttrOfType<DeviceAttr>(kDeviceAttrName);
    return pinned && pinned.getKind() == DeviceKind::reram;
  }

  void findStoredMatrices() {
    getOperation().walk([&](Operation *op) {
      auto parent = op->getParentOfType<func::FuncOp>();
      if (!parent || !(readsFrozenWeight(op, parent) || pinnedToReram(op)))
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

  /// The search's view of the ops: candidates, values, programming.
  void buildProblem() {
    problem.description = &description;
    problem.values = values;
    for (const PartOp &part : ops) {
      hw::PartitionOp op;
      for (const Candidate &c : part.candidates)
        op.candidates.push_back({hardwareKind(c.kind), c.estimate.seconds, c.estimate.energyPj()});
      op.inputs = part.inputs;
      op.outputs = part.outputs;
      op.weight = part.frozenParam;
      problem.ops.push_back(std::move(op));
      if (part.frozenParam.empty() || writeOnce.count(part.frozenParam))
        continue;
      const Stored &st = stored.lookup(part.frozenParam);
      if (hw::Expected<hw::Estimate> write = hw::reramWriteEstimate(
              *description.reram, st.rows, st.cols, part.frozenParam))
        writeOnce[part.frozenParam] = {write->seconds, write->energyPj()};
    }
    // A frozen weight is written once, charged 1/N a step with steps=N; a
    // trained one the user pinned there is written again every step.
    for (const auto &[weight, once] : writeOnce) {
      auto param = getOperation().lookupSymbol<ParamOp>(weight);
      if (param && isTrainedBy(fn, param)) {
        problem.programming[weight] = once;
        trainedOnReram = true;
      } else if (steps > 0) {
        problem.programming[weight] = {once.first / double(steps), once.second / double(steps)};
      }
    }
  }

  /// Programming every ReRAM weight of `placement` once, not amortised.
  std::pair<double, double> programmingOnce(const std::vector<size_t> &placement) const {
    std::pair<double, double> total{0, 0};
    llvm::StringMap<bool> programmed;
    for (size_t i = 0; i < ops.size(); ++i) {
      if (ops[i].candidates[placement[i]].kind != DeviceKind::reram ||
          !programmed.try_emplace(ops[i].frozenParam, true).second)
        continue;
      auto once = writeOnce.find(ops[i].frozenParam);
      if (once != writeOnce.end()) {
        total.first += once->second.first;
        total.second += once->second.second;
      }
    }
    return total;
  }

  hw::Objective hardwareObjective() const {
    return objective == PartitionObjective::latency ? hw::Objective::Latency
           : objective == PartitionObjective::energy ? hw::Objective::Energy
                                                      : hw::Objective::Edp;
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

  static const char *objectiveName(PartitionObjective o) {
    return o == PartitionObjective::latency ? "latency"
           : o == PartitionObjective::energy ? "energy"
                                              : "edp";
  }

  llvm::json::Object scoreJson(const hw::StepScore &s) const {
    return llvm::json::Object{{"seconds", s.seconds},
                              {"energy_pj", s.energyPj},
                              {"transfer_pj", s.transferPj},
                              {"static_pj", s.staticPj},
                              {"programming_pj", s.programmingPj}};
  }

  /// A weight's measured increase; null for a pinned one it did not measure.
  llvm::json::Value increaseOf(const std::string &weight) const {
    auto found = measured->increase.find(weight);
    return found == measured->increase.end() ? llvm::json::Value(nullptr)
                                             : llvm::json::Value(found->second);
  }

  llvm::json::Value noiseAwareJson() const {
    if (!noiseAware)
      return nullptr;
    llvm::json::Array weights;
    for (const hw::AnalogChoice &c : noiseAware->choices)
      weights.push_back(llvm::json::Object{{"param", c.weight},
                                           {"sensitivity", c.sensitivity},
                                           {"increase", increaseOf(c.weight)},
                                           {"saved_pj", c.savedPj},
                                           {"reram", c.analog},
                                           {"reason", noiseReason(c)}});
    return llvm::json::Object{
        {"sensitivity_file", sensitivity},
        {"loss_budget", double(lossBudget)},
        {"baseline_loss", measured->baselineLoss},
        {"allowance", lossBudget * measured->baselineLoss},
        {"kept", noiseAware->spent},
        {"measured_together",
         measured->together ? llvm::json::Value(*measured->together) : llvm::json::Value(nullptr)},
        {"weights", std::move(weights)}};
  }

  void writeNoiseTable(llvm::raw_ostream &os) const {
    if (!noiseAware)
      return;
    os << llvm::format("noise-aware: budget %.4g x all-digital loss %.6g = %.4g; the kept "
                       "weights' sensitivities sum to %.4g",
                       double(lossBudget), measured->baselineLoss,
                       lossBudget * measured->baselineLoss, noiseAware->spent);
    if (measured->together)
      os << llvm::format(" (every candidate at once measured %.4g)", *measured->together);
    os << "\n"
       << llvm::format("%-28s %12s %14s %8s\n", "weight", "sensitivity", "saved nJ/step",
                       "device");
    for (const hw::AnalogChoice &c : noiseAware->choices)
      os << llvm::format("%-28s %12.4g %14.6g %8s\n", c.weight.c_str(), c.sensitivity,
                         c.savedPj * 1e-3, c.analog ? "reram" : "digital");
  }

  LogicalResult writeReport(const hw::StepScore &chosen,
                            const std::optional<hw::StepScore> &baseline,
                            std::pair<double, double> programming) {
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
                              {"policy", policyName(policy)},
                              {"objective", objectiveName(objective)},
                              {"steps", int64_t(steps)},
                              {"reram_programming",
                               llvm::json::Object{{"seconds", programming.first},
                                                  {"energy_pj", programming.second}}},
                              {"step", scoreJson(chosen)},
                              {"hpt_step", baseline ? llvm::json::Value(scoreJson(*baseline))
                                                    : llvm::json::Value(nullptr)},
                              {"ops", std::move(opsJson)},
                              {"transfers", std::move(transfers)},
                              {"evaluation",
                               evaluation.empty()
                                   ? llvm::json::Value(nullptr)
                                   : llvm::json::Value(llvm::json::Object{
                                         {"function", evaluation},
                                         {"reram_products", evaluationReads}})},
                              {"noise_aware", noiseAwareJson()}};
    return writeFile(report, [&](llvm::raw_ostream &os) {
      os << llvm::formatv("{0:2}", llvm::json::Value(std::move(json))) << "\n";
    });
  }

  LogicalResult writeTable(const hw::StepScore &chosen,
                           const std::optional<hw::StepScore> &baseline,
                           std::pair<double, double> programming) {
    return writeFile(table, [&](llvm::raw_ostream &os) {
      os << "hpt-partition @" << fn.getSymName() << " on " << description.name
         << " (policy " << policyName(policy) << ", objective "
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
      const std::string charged =
          (steps == 0 ? std::string("frozen weights': not charged to the step")
                      : "frozen weights': 1/" + std::to_string(steps) + " charged per step") +
          (trainedOnReram ? "; trained weights pinned there: every step" : "");
      os << llvm::format("\nReRAM programming, once: %.6g us, %.6g nJ (%s)\n",
                         programming.first * 1e6, programming.second * 1e-3, charged.c_str());
      writeNoiseTable(os);
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

  static std::string number(double v) {
    char text[32];
    std::snprintf(text, sizeof text, "%.4g", v);
    return text;
  }

  std::string noiseReason(const hw::AnalogChoice &c) const {
    const double allowance = lossBudget * measured->baselineLoss;
    switch (c.reason) {
    case hw::AnalogReason::WithinBudget:
      return "noise-aware: @" + c.weight + " saves " + number(c.savedPj * 1e-3) +
             " nJ a step for a sensitivity of " + number(c.sensitivity) + ", within the budget (" +
             number(c.spentBefore) + " + " + number(c.sensitivity) + " <= " + number(allowance) + ")";
    case hw::AnalogReason::OverBudget:
      return "noise-aware: @" + c.weight + "'s sensitivity " + number(c.sensitivity) +
             " would take the sum past the budget (" + number(c.spentBefore) + " + " +
             number(c.sensitivity) + " > " + number(allowance) + "), so it runs digitally";
    case hw::AnalogReason::SavesNothing:
      return "noise-aware: @" + c.weight + " saves no energy on ReRAM (" +
             number(c.savedPj * 1e-3) + " nJ a step), so it runs digitally";
    case hw::AnalogReason::NoDigitalDevice:
      return "noise-aware: @" + c.weight + " stays on ReRAM: no other device runs all its products";
    }
    return "";
  }

  /// policy=noise-aware: HpT's mapping with only the frozen weights that fit
  /// the loss budget on ReRAM (hardware/Partition.h).
  LogicalResult placeByNoise(const std::vector<size_t> &start, std::vector<size_t> &placement) {
    for (size_t i = 0; i < ops.size(); ++i)
      if (ops[i].candidates[start[i]].kind == DeviceKind::reram && !ops[i].pinned &&
          !measured->sensitivity.count(ops[i].frozenParam))
        return ops[i].op->emitError("hpt-partition: sensitivity=")
               << sensitivity << " measures no sensitivity for @" << ops[i].frozenParam
               << " (a measurement of another model, or of fewer ReRAM weights?)";
    hw::Expected<hw::NoiseAwarePlacement> chosen = hw::noiseAwarePlacement(
        problem, start, measured->sensitivity, lossBudget * measured->baselineLoss);
    if (!chosen)
      return mlir::emitError(getOperation().getLoc(), "hpt-partition: ") << chosen.error();
    for (const hw::AnalogChoice &c : chosen->choices)
      for (size_t i = 0; i < ops.size(); ++i)
        if (ops[i].frozenParam == c.weight && ops[i].candidates[start[i]].kind == DeviceKind::reram)
          ops[i].reason = noiseReason(c);
    placement = chosen->placement;
    noiseAware = std::move(*chosen);
    return success();
  }

  /// The program's evaluation function reads the weights this placement
  /// keeps in crossbars from them too: its products of those weights that
  /// carry no placement yet go on ReRAM.
  void placeEvaluationReads() {
    auto of = fn->getAttrOfType<FlatSymbolRefAttr>(kTrainStepOfAttrName);
    auto eval = of ? getOperation().lookupSymbol<func::FuncOp>(of.getAttr()) : nullptr;
    if (!eval)
      return;
    evaluation = eval.getSymName().str();
    std::set<std::string> inCrossbars;
    for (const PartOp &part : ops)
      if (part.candidates[part.choice].kind == DeviceKind::reram)
        inCrossbars.insert(part.frozenParam);
    for (Operation &op : eval.getBody().front()) {
      if (op.hasAttr(kDeviceAttrName) || !readsFrozenWeight(&op, eval))
        continue;
      std::optional<FrozenRead> read = frozenReadOf(&op);
      if (!read || !inCrossbars.count(read->param.getSymName().str()) ||
          !canRun(DeviceKind::reram, &op, eval))
        continue;
      op.setAttr(kDeviceAttrName, DeviceAttr::get(&getContext(), DeviceKind::reram, std::nullopt));
      ++evaluationReads;
    }
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
    buildProblem();
    Mapping mapping = hptMapping();
    if (mapping.failedAt && policy != PartitionPolicy::cost) {
      mapping.failedAt->emitError(mapping.why);
      return signalPassFailure();
    }
    const bool hasMapping = !mapping.failedAt;
    const std::vector<size_t> start = hasMapping ? mapping.placement : hostPlacement();
    const hw::StepScore baseline = hw::scoreOf(problem, start);
    if (!baseline.feasible) {
      mlir::emitError(getOperation().getLoc(), "hpt-partition: ")
          << (hasMapping ? "HpT's mapping" : "the host placement")
          << " moves values between devices that " << hw << " does not link";
      return signalPassFailure();
    }
    std::vector<size_t> placement = start;
    if (policy == PartitionPolicy::cost) {
      placement = hw::searchPlacement(problem, hardwareObjective(), start);
      for (size_t i = 0; i < ops.size(); ++i)
        if (placement[i] != start[i])
          ops[i].reason = std::string("cost: the least ") + objectiveName(objective) +
                          " of the step moves it off " + (hasMapping ? "HpT's " : "the ") +
                          stringifyDeviceKind(ops[i].candidates[start[i]].kind).str();
    } else if (policy == PartitionPolicy::noise_aware && failed(placeByNoise(start, placement))) {
      return signalPassFailure();
    }
    MLIRContext *context = &getContext();
    for (size_t i = 0; i < ops.size(); ++i) {
      ops[i].choice = placement[i];
      ops[i].op->setAttr(kDeviceAttrName,
                         DeviceAttr::get(context, ops[i].candidates[placement[i]].kind,
                                         std::nullopt));
    }
    placeEvaluationReads();
    const hw::StepScore chosen = hw::scoreOf(problem, placement);
    const std::optional<hw::StepScore> hptScore =
        hasMapping ? std::optional<hw::StepScore>(baseline) : std::nullopt;
    const std::pair<double, double> programming = programmingOnce(placement);
    if (failed(writeReport(chosen, hptScore, programming)) ||
        failed(writeTable(chosen, hptScore, programming)))
      return signalPassFailure();
  }
};

} // namespace
