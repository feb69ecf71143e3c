//===- Profiler.cpp - per-op profiles, Chrome traces and CSV ---------------===//

#include "runtime/core/Profiler.h"

#include "hardware/Cost.h"

#include "runtime/core/Error.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
#include <set>

namespace hpt::rt {
namespace {

/// The accounting model's values of a function: the arguments at home on
/// the host, parameters and their aliases resident.
std::vector<hw::ValueInfo> valuesOf(const FunctionSpec &fn) {
  std::vector<Shape> shapes = valueShapes(fn);
  std::vector<hw::ValueInfo> values(fn.values);
  for (size_t v = 0; v < values.size(); ++v)
    values[v].bytes = uint64_t(numElements(shapes[v])) * sizeof(float);
  for (size_t a = 0; a < fn.args.size(); ++a)
    values[a].home = hw::Placement{hw::DeviceKind::Host, 0};
  for (const OpSpec &op : fn.ops) {
    bool aliasOfResident = op.op == "reshape" && values[op.operands[0]].resident;
    if (op.op == "get_param" || aliasOfResident)
      for (int64_t r : op.results)
        values[r].resident = true;
  }
  return values;
}

/// A task per op of one run.
std::vector<hw::Task> tasksOf(const FunctionSpec &fn,
                              const std::vector<Program::OpRecord> &records,
                              const std::vector<double> &seconds,
                              const std::vector<double> &energy) {
  std::vector<hw::Task> tasks;
  for (size_t i = 0; i < records.size(); ++i) {
    const OpSpec &op = fn.ops[records[i].op];
    hw::Task task;
    task.device = records[i].device;
    task.seconds = seconds[i];
    task.energyPj = energy[i];
    for (int64_t v : op.operands)
      task.inputs.push_back(size_t(v));
    for (int64_t v : op.results)
      task.outputs.push_back(size_t(v));
    tasks.push_back(std::move(task));
  }
  return tasks;
}

/// A link's track name, the lower kind first ("host-gpu").
std::string linkName(hw::DeviceKind a, hw::DeviceKind b) {
  return std::string(hw::name(std::min(a, b))) + "-" + hw::name(std::max(a, b));
}

double total(const std::vector<std::pair<const char *, double>> &components) {
  double sum = 0;
  for (const auto &c : components)
    sum += c.second;
  return sum;
}

} // namespace

Profiler::Profiler(const hw::Description *description, int64_t traceSteps)
    : description(description), traceSteps(traceSteps) {}

Profiler::PhaseTotals &Profiler::phaseNamed(const std::string &name, int64_t step) {
  auto found = std::find_if(phases.begin(), phases.end(),
                            [&](const PhaseTotals &p) { return p.name == name; });
  if (found == phases.end()) {
    phases.push_back(PhaseTotals{});
    phases.back().name = name;
    found = phases.end() - 1;
  }
  if (found->lastStep != step) {
    ++found->steps;
    found->lastStep = step;
    found->keepStep = traceSteps == 0 || found->keptSteps < traceSteps;
    found->keptSteps += found->keepStep;
  }
  return *found;
}

void Profiler::addRun(const Program &program, int64_t step, const std::string &phase) {
  const FunctionSpec &fn = program.function();
  const std::vector<Program::OpRecord> &records = program.lastRun();
  std::vector<Execution> run;
  std::vector<double> seconds, energy;
  for (const Program::OpRecord &r : records) {
    const OpSpec &op = fn.ops[r.op];
    Execution e;
    e.step = step;
    e.phase = phase;
    e.function = fn.name;
    e.op = op.op;
    e.index = r.op;
    e.device = r.device.kind;
    e.wallSeconds = r.wallSeconds;
    e.cycles = r.cost.cycles;
    e.bytesIn = r.cost.bytesIn;
    e.bytesOut = r.cost.bytesOut;
    if (e.device != hw::DeviceKind::Host) {
      e.seconds = r.cost.seconds;
      e.energy = r.cost.energy;
      e.counts = r.cost.counts;
    } else if (description) {
      const hw::Estimate host = hw::hostEstimate(description->host, r.flops, r.elements);
      e.seconds = host.seconds;
      e.energy = host.energy;
    }
    seconds.push_back(e.seconds);
    energy.push_back(total(e.energy));
    run.push_back(std::move(e));
  }
  hw::Timeline timeline;
  if (description) {
    auto values = valuesByFunction.find(&fn);
    if (values == valuesByFunction.end())
      values = valuesByFunction.emplace(&fn, valuesOf(fn)).first;
    timeline = orThrow(
        hw::schedule(*description, values->second, tasksOf(fn, records, seconds, energy)));
  }
  FunctionTotals &f = functions[fn.name];
  ++f.runs;
  f.seconds += timeline.makespan;
  f.energyPj += timeline.opEnergyPj + timeline.transferEnergyPj + timeline.staticEnergyPj;
  for (const Execution &e : run)
    f.wallSeconds += e.wallSeconds;
  PhaseTotals &p = phaseNamed(phase, step);
  account(p, std::move(run), timeline, p.keepStep);
}

void Profiler::addLoad(hw::DeviceKind device, const OpCost &cost, int64_t step) {
  Execution e;
  e.step = step;
  e.phase = "switch";
  e.kind = "load";
  e.function = "(switch)";
  e.op = "load";
  e.device = device;
  e.seconds = cost.seconds;
  e.energy = cost.energy;
  e.counts = cost.counts;
  e.bytesIn = cost.bytesIn;
  e.bytesOut = cost.bytesOut;
  hw::Timeline timeline;
  if (description) {
    hw::Task task;
    task.device = hw::Placement{device, 0};
    task.seconds = e.seconds;
    task.energyPj = total(e.energy);
    timeline = orThrow(hw::schedule(*description, {}, {task}));
  }
  account(phaseNamed("switch", step), {std::move(e)}, timeline, true);
}

void Profiler::account(PhaseTotals &phase, std::vector<Execution> run,
                       const hw::Timeline &t, bool keep) {
  ++phase.runs;
  phase.makespan += t.makespan;
  phase.opEnergy += t.opEnergyPj;
  phase.transferEnergy += t.transferEnergyPj;
  phase.staticEnergy += t.staticEnergyPj;
  phase.transfers += t.transfers.size();
  for (const hw::Transfer &transfer : t.transfers)
    phase.transferBytes += transfer.bytes;
  for (const Execution &e : run) {
    phase.wall += e.wallSeconds;
    Totals &sum = phase.ops[{e.device, e.op}];
    ++sum.calls;
    sum.wall += e.wallSeconds;
    sum.busy += e.seconds;
    sum.energy += total(e.energy);
    sum.cycles += e.cycles;
    sum.bytes += e.bytesIn + e.bytesOut;
  }
  if (keep) {
    for (size_t i = 0; i < run.size(); ++i) {
      if (i < t.tasks.size()) {
        run[i].start = timelineEnd + t.tasks[i].start;
        run[i].instance = t.tasks[i].instance;
      }
      run[i].track = std::string(hw::name(run[i].device)) + " " + std::to_string(run[i].instance);
    }
    const Execution first = run.empty() ? Execution{} : run.front();
    kept.insert(kept.end(), std::make_move_iterator(run.begin()),
                std::make_move_iterator(run.end()));
    for (const hw::Transfer &transfer : t.transfers) {
      Execution e;
      e.step = first.step;
      e.phase = first.phase;
      e.function = first.function;
      e.kind = "transfer";
      e.op = "value " + std::to_string(transfer.value);
      e.index = transfer.value;
      e.device = transfer.toKind;
      e.track = linkName(transfer.fromKind, transfer.toKind);
      e.start = timelineEnd + transfer.start;
      e.seconds = transfer.end - transfer.start;
      e.energy = {{"transfer", transfer.energyPj}};
      e.bytesIn = transfer.bytes;
      kept.push_back(std::move(e));
    }
  }
  timelineEnd += t.makespan;
}

std::optional<Profiler::FunctionTotals> Profiler::function(const std::string &name) const {
  auto found = functions.find(name);
  if (found == functions.end())
    return std::nullopt;
  return found->second;
}

double Profiler::totalSeconds() const {
  double sum = 0;
  for (const PhaseTotals &p : phases)
    sum += p.makespan;
  return sum;
}

double Profiler::totalEnergyPj() const {
  double sum = 0;
  for (const PhaseTotals &p : phases)
    sum += p.opEnergy + p.transferEnergy + p.staticEnergy;
  return sum;
}

void Profiler::printPhase(std::FILE *out, const PhaseTotals &p) const {
  const double n = double(p.steps);
  if (p.name == "switch")
    std::fprintf(out, "profile, the switch: device loads after step %lld:\n",
                 static_cast<long long>(p.lastStep));
  else
    std::fprintf(out, "profile, phase %s: %lld steps (%lld runs of the training step); per step:\n",
                 p.name.c_str(), static_cast<long long>(p.steps), static_cast<long long>(p.runs));
  if (description)
    std::fprintf(out,
                 "  simulated time %.3f us, energy %.3f uJ (modelled on '%s': ops %.3f, "
                 "transfers %.3f, static %.3f uJ; %.1f transfers, %.3f MB)\n",
                 1e6 * p.makespan / n, 1e-6 * (p.opEnergy + p.transferEnergy + p.staticEnergy) / n,
                 description->name.c_str(), 1e-6 * p.opEnergy / n, 1e-6 * p.transferEnergy / n,
                 1e-6 * p.staticEnergy / n, double(p.transfers) / n,
                 1e-6 * double(p.transferBytes) / n);
  else
    std::fprintf(out, "  no hardware description (bundle or --hw): measured figures only\n");
  std::fprintf(out, "  host wall time in ops %.3f ms (measured)\n", 1e3 * p.wall / n);
  std::fprintf(out, "  %-9s %-18s %6s %12s %12s %12s %12s %10s\n", "device", "op", "calls",
               "wall ms", "busy us", "cycles", "energy uJ", "MB moved");
  std::fprintf(out, "  %-9s %-18s %6s %12s %12s %12s %12s %10s\n", "", "", "", "(measured)",
               "(modelled)", "(modelled)", "(modelled)", "");
  std::vector<std::pair<std::pair<hw::DeviceKind, std::string>, Totals>> rows(p.ops.begin(),
                                                                              p.ops.end());
  std::stable_sort(rows.begin(), rows.end(),
                   [](const auto &a, const auto &b) { return a.second.wall > b.second.wall; });
  for (const auto &[key, sum] : rows)
    std::fprintf(out, "  %-9s %-18s %6.0f %12.3f %12.3f %12.0f %12.3f %10.3f\n",
                 hw::name(key.first), key.second.c_str(), sum.calls / n, 1e3 * sum.wall / n,
                 1e6 * sum.busy / n, double(sum.cycles) / n, 1e-6 * sum.energy / n,
                 1e-6 * double(sum.bytes) / n);
}

void Profiler::printSummary(std::FILE *out) const {
  for (const PhaseTotals &p : phases)
    printPhase(out, p);
  if (phases.size() > 1)
    printRunTable(out);
}

void Profiler::printRunTable(std::FILE *out) const {
  if (!description)
    return;
  std::fprintf(out, "profile of the whole run (modelled on '%s'; wall time measured):\n",
               description->name.c_str());
  std::fprintf(out, "  %-8s %6s %12s %11s %11s %11s %11s %10s %10s\n", "phase", "steps",
               "time ms", "energy mJ", "ops mJ", "links mJ", "static mJ", "MB moved",
               "wall s");
  for (const PhaseTotals &p : phases)
    std::fprintf(out, "  %-8s %6lld %12.3f %11.4f %11.4f %11.4f %11.4f %10.3f %10.3f\n",
                 p.name.c_str(), static_cast<long long>(p.steps), 1e3 * p.makespan,
                 1e-9 * (p.opEnergy + p.transferEnergy + p.staticEnergy), 1e-9 * p.opEnergy,
                 1e-9 * p.transferEnergy, 1e-9 * p.staticEnergy,
                 1e-6 * double(p.transferBytes), p.wall);
  std::fprintf(out, "  %-8s %6s %12.3f %11.4f\n", "total", "", 1e3 * totalSeconds(),
               1e-9 * totalEnergyPj());
}

nlohmann::json Profiler::json() const {
  using nlohmann::json;
  json out = {{"kind", "hpt-profile"},
              {"hardware", description ? description->name : ""},
              {"modelled", description != nullptr},
              {"units", "seconds and pJ, modelled; wall_seconds measured"}};
  json phaseList = json::array();
  for (const PhaseTotals &p : phases) {
    std::map<hw::DeviceKind, Totals> devices;
    json ops = json::array();
    for (const auto &[key, sum] : p.ops) {
      Totals &d = devices[key.first];
      d.calls += sum.calls;
      d.busy += sum.busy;
      d.energy += sum.energy;
      d.cycles += sum.cycles;
      d.bytes += sum.bytes;
      d.wall += sum.wall;
      ops.push_back({{"device", hw::name(key.first)}, {"op", key.second},
                     {"calls", sum.calls}, {"busy_seconds", sum.busy},
                     {"energy_pj", sum.energy}, {"cycles", sum.cycles},
                     {"bytes", sum.bytes}, {"wall_seconds", sum.wall}});
    }
    json deviceList = json::array();
    for (const auto &[kind, d] : devices)
      deviceList.push_back({{"device", hw::name(kind)}, {"calls", d.calls},
                            {"busy_seconds", d.busy}, {"energy_pj", d.energy},
                            {"cycles", d.cycles}, {"bytes", d.bytes},
                            {"wall_seconds", d.wall}});
    phaseList.push_back({{"phase", p.name},
                         {"steps", p.steps},
                         {"runs", p.runs},
                         {"seconds", p.makespan},
                         {"energy_pj", p.opEnergy + p.transferEnergy + p.staticEnergy},
                         {"op_pj", p.opEnergy},
                         {"transfer_pj", p.transferEnergy},
                         {"static_pj", p.staticEnergy},
                         {"transfers", p.transfers},
                         {"transfer_bytes", p.transferBytes},
                         {"wall_seconds", p.wall},
                         {"devices", deviceList},
                         {"ops", ops}});
  }
  out["phases"] = phaseList;
  json functionList = json::array();
  for (const auto &[name, f] : functions)
    functionList.push_back({{"function", name}, {"runs", f.runs}, {"seconds", f.seconds},
                            {"energy_pj", f.energyPj}, {"wall_seconds", f.wallSeconds}});
  out["functions"] = functionList;
  out["total"] = {{"seconds", totalSeconds()}, {"energy_pj", totalEnergyPj()}};
  return out;
}

void Profiler::writeTrace(const std::string &path) const {
  using nlohmann::json;
  json events = json::array();
  std::map<std::string, int> pids, links;
  std::set<std::string> named;
  auto trackOf = [&](const Execution &e) {
    const std::string process = e.kind == "transfer" ? "links" : hw::name(e.device);
    auto [pid, fresh] = pids.emplace(process, int(pids.size()) + 1);
    const int tid = e.kind == "transfer" ? links.emplace(e.track, int(links.size())).first->second
                                         : int(e.instance);
    if (named.insert(e.track).second) {
      if (fresh)
        events.push_back({{"name", "process_name"}, {"ph", "M"}, {"pid", pid->second},
                          {"args", {{"name", process}}}});
      events.push_back({{"name", "thread_name"}, {"ph", "M"}, {"pid", pid->second},
                        {"tid", tid}, {"args", {{"name", e.track}}}});
    }
    return std::pair<int, int>(pid->second, tid);
  };
  for (const Execution &e : kept) {
    auto [pid, tid] = trackOf(e);
    json args = {{"step", e.step},          {"phase", e.phase},
                 {"function", e.function},  {"energy_pj_modelled", total(e.energy)},
                 {"bytes_in", e.bytesIn},   {"bytes_out", e.bytesOut}};
    if (e.kind == "op")
      args.update({{"op_index", e.index},
                   {"wall_ms_measured", 1e3 * e.wallSeconds},
                   {"cycles", e.cycles}});
    for (const auto &[name, pj] : e.energy)
      args[std::string(name) + "_pj_modelled"] = pj;
    for (const auto &[name, count] : e.counts)
      args[name] = count;
    events.push_back({{"name", e.op}, {"cat", e.kind == "op" ? e.phase : e.kind},
                      {"ph", "X"}, {"ts", 1e6 * e.start}, {"dur", 1e6 * e.seconds},
                      {"pid", pid}, {"tid", tid}, {"args", args}});
  }
  json trace = {{"traceEvents", events},
                {"displayTimeUnit", "ns"},
                {"otherData", {{"timeline", "simulated time (modelled), docs/accounting.md"},
                               {"hardware", description ? description->name : "none"}}}};
  std::ofstream file(path);
  file << trace.dump() << "\n";
  if (!file)
    throw Error(path + ": cannot write the trace");
}

void Profiler::writeCsv(const std::string &path) const {
  static const char *const kEnergy[] = {"mac",   "sram",    "dram",   "vector", "active",
                                        "adc",   "dac",     "cell",   "digital", "buffer",
                                        "write", "transfer"};
  static const char *const kCounts[] = {"conversions", "cells_written", "write_pulses",
                                        "gpu_event_ns"};
  std::ofstream file(path);
  file << "step,phase,kind,function,op_index,op,device,instance,wall_ms_measured,"
          "start_us_modelled,duration_us_modelled,cycles,energy_pj_modelled";
  for (const char *name : kEnergy)
    file << "," << name << "_pj";
  for (const char *name : kCounts)
    file << "," << name;
  file << ",bytes_in,bytes_out\n";
  file.precision(9);
  for (const Execution &e : kept) {
    const std::string device = e.kind == "transfer" ? e.track : hw::name(e.device);
    file << e.step << "," << e.phase << "," << e.kind << "," << e.function << "," << e.index
         << "," << e.op << "," << device << "," << e.instance << "," << 1e3 * e.wallSeconds
         << "," << 1e6 * e.start << "," << 1e6 * e.seconds << "," << e.cycles << ","
         << total(e.energy);
    for (const char *name : kEnergy) {
      double value = 0;
      for (const auto &c : e.energy)
        if (std::string(c.first) == name)
          value += c.second;
      file << "," << value;
    }
    for (const char *name : kCounts) {
      uint64_t value = 0;
      for (const auto &c : e.counts)
        if (std::string(c.first) == name)
          value += c.second;
      file << "," << value;
    }
    file << "," << e.bytesIn << "," << e.bytesOut << "\n";
  }
  if (!file)
    throw Error(path + ": cannot write the profile CSV");
}

} // namespace hpt::rt
