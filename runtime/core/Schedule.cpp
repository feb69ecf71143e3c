//===- Schedule.cpp - which program trains at each step -------------------===//

#include "runtime/core/Schedule.h"

#include "runtime/core/Archive.h"
#include "runtime/core/Checkpoint.h"
#include "runtime/core/Error.h"
#include "runtime/core/Json.h"
#include "runtime/core/RankEstimate.h"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <fstream>
#include <set>

using nlohmann::json;

namespace hpt::rt {

namespace {
constexpr const char *kScheduleNames[] = {"full", "lora", "hpt"};
/// Prefix of the overlap copy's tensors in a checkpoint.
const std::string kOverlapPrefix = "overlap.";
const std::string kStartPrefix = "start:";
const std::string kBaselineTensor = "switch:baseline";
/// Singular values logged per target with rank=auto.
constexpr size_t kLoggedSpectrum = 32;

/// Encoder layers are the parameter groups enc.<i>.*; the last index.
int64_t lastEncoderLayer(const Bundle &bundle) {
  int64_t last = -1;
  const std::string prefix = "enc.";
  for (const ParamSpec &param : bundle.params) {
    if (param.name.compare(0, prefix.size(), prefix) != 0)
      continue;
    const char *begin = param.name.data() + prefix.size(), *end = param.name.data() + param.name.size();
    int64_t layer = 0;
    auto [next, error] = std::from_chars(begin, end, layer);
    if (error == std::errc() && next != begin && next != end && *next == '.')
      last = std::max(last, layer);
  }
  return last;
}

std::vector<std::string> monitoredNames(const Bundle &bundle, int64_t layer) {
  int64_t last = lastEncoderLayer(bundle);
  if (layer < 0)
    layer = last;
  std::vector<std::string> names = {"enc." + std::to_string(layer) + ".attn.wq",
                                    "enc." + std::to_string(layer) + ".attn.wv"};
  std::set<std::string> known;
  for (const ParamSpec &param : bundle.params)
    known.insert(param.name);
  for (const std::string &name : names)
    if (!known.count(name))
      throw Error("--switch-monitor-layer: " + bundle.path + " has no parameter '" + name +
                  "' (encoder layers 0.." + std::to_string(last) + ")");
  return names;
}

bool placedOffHost(const FunctionSpec &fn) {
  return std::any_of(fn.ops.begin(), fn.ops.end(),
                     [](const OpSpec &op) { return op.device.kind != hw::DeviceKind::Host; });
}

bool isAdapter(const ProgramSpec &program, const std::string &name) {
  for (const AdapterSpec &adapter : program.lora->adapters)
    if (adapter.a == name || adapter.b == name)
      return true;
  return false;
}
} // namespace

const char *scheduleName(ScheduleKind kind) { return kScheduleNames[static_cast<int>(kind)]; }

Schedule::Schedule(const Bundle &bundle, const ScheduleOptions &options,
                   const MemoryLimit &limit, std::ostream &log)
    : bundle(bundle), options(options), limit(limit), logStream(log), rule(options.rule) {
  std::vector<const ProgramSpec *> loras = bundle.loraPrograms();
  if (options.kind != ScheduleKind::Full) {
    if (loras.empty())
      throw Error("--schedule " + std::string(scheduleName(options.kind)) + ": " + bundle.path +
                  " has no LoRA program (compile the model with --hpt-lora and "
                  "--hpt-autodiff=\"function=forward_lora ...\")");
    if (options.rank == -1 && options.kind != ScheduleKind::Hpt)
      throw Error("--rank auto needs the full phase's weight changes: use --schedule hpt");
    if (options.rank == 0 && loras.size() > 1)
      throw Error("--rank: " + bundle.path + " has LoRA programs of several ranks; name one "
                  "or give auto");
    if (options.rank > 0) {
      lora = bundle.loraProgram(options.rank);
      if (!lora) {
        std::string ranks;
        for (const ProgramSpec *p : loras)
          ranks += (ranks.empty() ? "" : ", ") + std::to_string(p->lora->rank);
        throw Error("--rank " + std::to_string(options.rank) + ": " + bundle.path +
                    " has LoRA programs of rank " + ranks);
      }
    } else if (options.rank == 0) {
      lora = loras.front();
    }
  }
  if (!options.logPath.empty()) {
    logFile = std::make_unique<std::ofstream>(options.logPath);
    if (!*logFile)
      throw Error("--switch-log: cannot write '" + options.logPath + "'");
  }
  if (options.kind != ScheduleKind::Lora) {
    const ProgramSpec &full = bundle.fullProgram();
    fullStore = std::make_unique<ParamStore>(bundle);
    fullTrain = makeProgram(full.train, *fullStore, Mode::Train);
    fullEval = makeProgram(full.eval, *fullStore, Mode::Eval);
  }
  if (options.kind == ScheduleKind::Hpt) {
    if (options.rule.window <= 0)
      throw Error("--switch-window must be positive");
    if (overlapDevice() == hw::DeviceKind::Gpu)
      for (const ProgramSpec *p : loras)
        if (!placedOffHost(*bundle.function(p->train)))
          throw Error("--schedule hpt: " + bundle.path + " places the full-parameter program (@" +
                      bundle.fullProgram().train + ") on the gpu, but not the LoRA program @" +
                      p->train + ": every op of it would run on the host after the switch "
                      "(place it with hpt-partition function=" + p->train + ")");
    monitored = monitoredNames(bundle, options.monitorLayer);
    if (options.rank == -1)
      for (const AdapterSpec &adapter : loras.front()->lora->adapters)
        startWeights[adapter.target] = fullStore->at(adapter.target).value();
  }
  if (options.kind == ScheduleKind::Lora) {
    rule = PhaseSwitch(options.rule, Phase::Lora);
    selectLora(*lora);
  }
}

Schedule::~Schedule() = default;

std::unique_ptr<Program> Schedule::makeProgram(const std::string &function, ParamStore &store,
                                               Mode mode,
                                               std::optional<hw::DeviceKind> everyOpOn) {
  auto program = std::make_unique<Program>(bundle, function, store, mode, limit, options.devices,
                                           everyOpOn);
  program->setProfiling(observer.ran && mode == Mode::Train);
  return program;
}

void Schedule::observe(ScheduleObserver observe) {
  observer = std::move(observe);
  for (Program *program : {fullTrain.get(), loraTrain.get(), overlapTrain.get()})
    if (program)
      program->setProfiling(bool(observer.ran));
}

void Schedule::observed(const Program &program, const JobState &job, Phase phase) {
  if (observer.ran)
    observer.ran(program, job.counters.step + 1, phase);
}

hw::DeviceKind Schedule::overlapDevice() const {
  const FunctionSpec *full = bundle.function(bundle.fullProgram().train);
  for (const OpSpec &op : full->ops)
    if (op.device.kind == hw::DeviceKind::Gpu)
      return hw::DeviceKind::Gpu;
  return hw::DeviceKind::Host;
}

Program &Schedule::overlapCopy() {
  if (!overlapTrain)
    overlapTrain = makeProgram(lora->train, *loraStore, Mode::Train, overlapDevice());
  return *overlapTrain;
}

void Schedule::loadLora(int64_t iteration) {
  overlapTrain.reset(); // no overlap after the switch
  if (!options.devices)
    return;
  auto costs = options.devices->load(loraTrain->function(), [&](const std::string &name) {
    return loraStore->at(name).value().data();
  });
  for (const auto &[kind, cost] : costs) {
    logStream << "switch at iteration " << iteration << ": " << hw::name(kind)
              << " loaded what @" << loraTrain->function().name << " keeps resident:";
    for (const auto &[name, count] : cost.counts)
      logStream << " " << count << " " << name;
    double energy = 0;
    for (const auto &component : cost.energy)
      energy += component.second;
    logStream << " (modelled: " << cost.seconds * 1e3 << " ms, " << energy * 1e-6 << " uJ)\n";
    if (observer.loaded)
      observer.loaded(kind, cost, iteration);
  }
}

void Schedule::selectLora(const ProgramSpec &program) {
  if (lora == &program && loraTrain)
    return;
  lora = &program;
  if (!loraStore)
    loraStore = std::make_unique<ParamStore>(bundle);
  loraTrain.reset();
  loraEval.reset();
  overlapTrain.reset();
  loraTrain = makeProgram(program.train, *loraStore, Mode::Train);
  loraEval = makeProgram(program.eval, *loraStore, Mode::Eval);
}

/// The LoRA store takes the full store's values, with fresh adapters and no
/// optimizer state: HpT's clone of the current model.
void Schedule::cloneToLora() {
  for (ParamEntry &param : loraStore->entries()) {
    resetParam(param);
    if (!isAdapter(*lora, param.spec.name))
      param.mutableValue() = fullStore->at(param.spec.name).value();
  }
}

int64_t Schedule::rank() const { return lora ? lora->lora->rank : 0; }

Program &Schedule::trainProgram() {
  return phase() == Phase::Lora ? *loraTrain : *fullTrain;
}

Program &Schedule::evalProgram() { return phase() == Phase::Lora ? *loraEval : *fullEval; }

ParamStore &Schedule::params() { return phase() == Phase::Lora ? *loraStore : *fullStore; }

std::vector<float> Schedule::monitoredWeights() const {
  std::vector<float> m;
  for (const std::string &name : monitored) {
    const std::vector<float> &w = fullStore->at(name).value();
    m.insert(m.end(), w.begin(), w.end());
  }
  return m;
}

/// rank=auto: each target's 90 %-energy rank of dW = W - W_start; the
/// program's rank is the smallest compiled rank that holds the median.
int64_t Schedule::estimateRank(int64_t iteration) {
  std::vector<const ProgramSpec *> loras = bundle.loraPrograms();
  std::vector<int64_t> compiled, estimates;
  for (const ProgramSpec *p : loras)
    compiled.push_back(p->lora->rank);
  json targets = json::array();
  for (const AdapterSpec &adapter : loras.front()->lora->adapters) {
    const ParamEntry &w = fullStore->at(adapter.target);
    const std::vector<float> &start = startWeights.at(adapter.target);
    std::vector<float> delta(w.value().size());
    for (size_t i = 0; i < delta.size(); ++i)
      delta[i] = w.value()[i] - start[i];
    std::vector<double> sv = singularValues(delta.data(), w.spec.shape[0], w.spec.shape[1]);
    int64_t estimate = energyRank(sv, options.energy);
    estimates.push_back(estimate);
    sv.resize(std::min(sv.size(), kLoggedSpectrum));
    targets.push_back({{"target", adapter.target}, {"estimate", estimate}, {"spectrum", sv}});
  }
  std::vector<int64_t> sorted = estimates;
  std::sort(sorted.begin(), sorted.end());
  int64_t median = sorted.empty() ? 1 : sorted[(sorted.size() - 1) / 2];
  int64_t chosen = chooseRank(std::max<int64_t>(median, 1), compiled);
  json line = {{"event", "rank"},       {"iteration", iteration},
               {"energy", options.energy}, {"median_estimate", median},
               {"chosen", chosen},       {"targets", targets}};
  writeLogLine(line);
  logStream << "rank=auto at iteration " << iteration << ": median " << options.energy * 100
            << " %-energy rank of dW over " << estimates.size() << " targets is " << median
            << " -> LoRA rank " << chosen << "\n";
  return chosen;
}

void Schedule::writeLogLine(const json &line) {
  if (logFile)
    *logFile << line.dump() << "\n" << std::flush;
}

void Schedule::report(const SwitchEvent &event) {
  log.push_back(event);
  logStream << event.text() << "\n";
  json line = event.json();
  line["event"] = "check";
  line["rank"] = rank();
  writeLogLine(line);
}

float Schedule::step(const std::vector<const float *> &args, const JobState &job) {
  auto start = std::chrono::steady_clock::now();
  Phase before = phase();
  float loss;
  if (before == Phase::Lora) {
    loraTrain->run(args, job.counters);
    observed(*loraTrain, job, before);
    loss = *loraTrain->result(0);
  } else {
    fullTrain->run(args, job.counters);
    observed(*fullTrain, job, before);
    loss = *fullTrain->result(0);
    std::optional<double> loraLoss;
    if (before == Phase::Overlap) {
      Program &copy = overlapCopy();
      copy.run(args, job.counters);
      observed(copy, job, before);
      loraLoss = *copy.result(0);
    }
    if (options.kind == ScheduleKind::Hpt)
      checkSwitch(job, loss, loraLoss);
  }
  PhaseTime &time = times[before];
  ++time.steps;
  time.seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return loss;
}

void Schedule::checkSwitch(const JobState &job, float loss, std::optional<double> loraLoss) {
  const int64_t iteration = job.counters.step + 1;
  std::optional<SwitchEvent> event;
  if (options.switchAt > 0) {
    if (iteration == options.switchAt)
      event = rule.force(iteration, job.counters.epoch, loss);
  } else {
    event = rule.afterIteration(iteration, job.counters.epoch, loss, loraLoss,
                                [&] { return monitoredWeights(); });
  }
  if (!event)
    return;
  const bool forced = event->check == "forced";
  if (event->decision == Decision::Overlap || forced)
    selectLora(options.rank == -1 ? *bundle.loraProgram(estimateRank(iteration)) : *lora);
  report(*event);
  // Every clone starts from the latest full weights: the overlap's copy,
  // its re-clone after a failed test, and the LoRA model that trains after
  // the switch.
  if (event->decision != Decision::Continue && event->decision != Decision::Baseline)
    cloneToLora();
  if (event->decision == Decision::Switch)
    loadLora(iteration);
}

void Schedule::epochEnded(const JobState &job) {
  if (options.kind != ScheduleKind::Hpt || !rule.startEpoch())
    return;
  // The overlap's partial window is dropped like any other; its copy is
  // re-cloned so that the next window compares a fresh one.
  cloneToLora();
  logStream << "overlap window cut short by the end of epoch " << job.counters.epoch - 1
            << " at iteration " << job.counters.step << " -> re-clone\n";
  writeLogLine({{"event", "epoch-end"},
                {"iteration", job.counters.step},
                {"epoch", job.counters.epoch - 1},
                {"decision", decisionName(Decision::Reclone)}});
}

void Schedule::save(Archive &archive) const {
  json state = {{"kind", scheduleName(options.kind)}, {"rank", rank()}};
  if (options.kind == ScheduleKind::Hpt) {
    state["switch"] = rule.state();
    if (!rule.baseline().empty())
      archive.add(kBaselineTensor, {static_cast<int64_t>(rule.baseline().size())},
                  rule.baseline().data());
    for (const auto &[name, weights] : startWeights)
      archive.add(kStartPrefix + name, fullStore->at(name).spec.shape, weights.data());
  }
  archive.meta["schedule"] = state;
  Phase current = phase();
  addParams(archive, current == Phase::Lora ? *loraStore : *fullStore, "");
  if (current == Phase::Overlap)
    addParams(archive, *loraStore, kOverlapPrefix);
  if (options.devices)
    options.devices->saveState(archive);
}

void Schedule::restore(const Archive &archive, const std::string &origin) {
  auto it = archive.meta.find("schedule");
  if (it == archive.meta.end() || !it->is_object())
    throw Error(origin + ": has no schedule state");
  const json &state = *it;
  std::string kind = state.value("kind", "");
  if (kind != scheduleName(options.kind))
    throw Error(origin + ": was written under --schedule " + kind +
                "; resuming it under --schedule " + scheduleName(options.kind) +
                " would not repeat that run");
  std::optional<int64_t> savedRank = state.contains("rank") ? jsonInt64(state["rank"]) : std::nullopt;
  if (!savedRank)
    throw Error(origin + ": the schedule's rank is not an integer");
  // Check everything, then change.
  PhaseSwitch restored(options.rule);
  const ProgramSpec *program = lora;
  std::map<std::string, std::vector<float>> start;
  if (options.kind == ScheduleKind::Hpt) {
    const ArchiveTensor *baseline = archive.find(kBaselineTensor);
    std::vector<float> m = baseline ? baseline->data : std::vector<float>{};
    if (!m.empty() && m.size() != monitoredWeights().size())
      throw Error(origin + ": the switch baseline does not match the monitored layer");
    restored.restore(state.value("switch", json()), std::move(m), origin);
    for (const auto &[name, weights] : startWeights) {
      const ArchiveTensor *t = archive.find(kStartPrefix + name);
      if (!t || t->data.size() != weights.size())
        throw Error(origin + ": has no starting value of '" + name + "' for rank=auto");
      start[name] = t->data;
    }
  } else if (options.kind == ScheduleKind::Lora) {
    restored = rule;
  }
  if (restored.phase() != Phase::Full) {
    program = bundle.loraProgram(*savedRank);
    if (!program)
      throw Error(origin + ": was written with a LoRA program of rank " +
                  std::to_string(*savedRank) + ", which " + bundle.path + " does not have");
  }
  // Stores are read against the layout of the bundle's parameters.
  if (restored.phase() != Phase::Full && !loraStore)
    loraStore = std::make_unique<ParamStore>(bundle);
  ParamStore &active = restored.phase() == Phase::Lora ? *loraStore : *fullStore;
  StoredParams main(archive, origin, active, "");
  std::optional<StoredParams> overlap;
  if (restored.phase() == Phase::Overlap)
    overlap.emplace(archive, origin, *loraStore, kOverlapPrefix);
  // A device's state (ReRAM cells as programmed) checks itself before it
  // changes anything.
  if (options.devices)
    options.devices->restoreState(archive, origin);
  if (program)
    selectLora(*program);
  rule = restored;
  startWeights = std::move(start);
  main.applyTo(active);
  if (overlap)
    overlap->applyTo(*loraStore);
}

void Schedule::initFrom(const Archive &archive, const std::string &origin) {
  // A checkpoint names values "param:<name>", --export-params plainly.
  auto valueOf = [&](const ParamEntry &param) {
    const ArchiveTensor *t = archive.find("param:" + param.spec.name);
    return t ? t : archive.find(param.spec.name);
  };
  ParamStore &store = params();
  int64_t taken = 0;
  for (const ParamEntry &param : store.entries())
    if (const ArchiveTensor *t = valueOf(param)) {
      if (t->shape != param.spec.shape)
        throw Error(origin + ": tensor '" + t->name + "' has shape " + shapeText(t->shape) +
                    ", the model expects " + shapeText(param.spec.shape));
      ++taken;
    }
  if (taken == 0)
    throw Error(origin + ": holds no parameter of " + bundle.path);
  for (ParamEntry &param : store.entries())
    if (const ArchiveTensor *t = valueOf(param))
      param.mutableValue() = t->data;
}

} // namespace hpt::rt
