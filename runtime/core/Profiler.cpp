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
    task.device = op.device;
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

double total(const std::vector<std::pair<const char *, double>> &components) {
  double sum = 0;
  for (const auto &c : components)
    sum += c.second;
  return sum;
}

} // namespace

Profiler::Profiler(const hw::Description *description, int64_t traceSteps)
    : description(description), traceSteps(traceSteps) {}

void Profiler::addRun(const Program &program, int64_t step) {
  const FunctionSpec &fn = program.function();
  const std::vector<Program::OpRecord> &records = program.lastRun();
  std::vector<Execution> run;
  std::vector<double> seconds, energy;
  double wall = 0;
  for (const Program::OpRecord &r : records) {
    const OpSpec &op = fn.ops[r.op];
    Execution e;
    e.step = step;
    e.function = fn.name;
    e.op = op.op;
    e.index = r.op;
    e.kind = op.device.kind;
    e.wallSeconds = r.wallSeconds;
    e.cycles = r.cost.cycles;
    e.bytesIn = r.cost.bytesIn;
    e.bytesOut = r.cost.bytesOut;
    if (e.kind != hw::DeviceKind::Host) {
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
    wall += e.wallSeconds;
    run.push_back(std::move(e));
  }
  RunTimeline timeline{step, timelineEnd, {}};
  if (description) {
    auto values = valuesByFunction.find(&fn);
    if (values == valuesByFunction.end())
      values = valuesByFunction.emplace(&fn, valuesOf(fn)).first;
    timeline.timeline = orThrow(
        hw::schedule(*description, values->second, tasksOf(fn, records, seconds, energy)));
    for (size_t i = 0; i < run.size(); ++i) {
      run[i].start = timeline.offset + timeline.timeline.tasks[i].start;
      run[i].instance = timeline.timeline.tasks[i].instance;
    }
  }
  const hw::Timeline &t = timeline.timeline;
  ++runs;
  wallTotal += wall;
  makespanTotal += t.makespan;
  opEnergy += t.opEnergyPj;
  transferEnergy += t.transferEnergyPj;
  staticEnergy += t.staticEnergyPj;
  transfers += t.transfers.size();
  for (const hw::Transfer &transfer : t.transfers)
    transferBytes += transfer.bytes;
  timelineEnd += t.makespan;
  for (const Execution &e : run) {
    Totals &sum = totals[{e.kind, e.op}];
    ++sum.calls;
    sum.wall += e.wallSeconds;
    sum.busy += e.seconds;
    sum.energy += total(e.energy);
    sum.cycles += e.cycles;
    sum.bytes += e.bytesIn + e.bytesOut;
  }
  if (traceSteps == 0 || int64_t(timelines.size()) < traceSteps) {
    timelines.push_back(std::move(timeline));
    kept.insert(kept.end(), run.begin(), run.end());
  }
}

void Profiler::printSummary(std::FILE *out) const {
  if (runs == 0)
    return;
  const double n = double(runs);
  std::fprintf(out, "profile: %lld runs of the training step; per step:\n",
               static_cast<long long>(runs));
  if (description)
    std::fprintf(out,
                 "  simulated time %.3f us, energy %.3f uJ (modelled on '%s': ops %.3f, "
                 "transfers %.3f, static %.3f uJ; %.1f transfers, %.3f MB)\n",
                 1e6 * makespanTotal / n, 1e-6 * (opEnergy + transferEnergy + staticEnergy) / n,
                 description->name.c_str(), 1e-6 * opEnergy / n, 1e-6 * transferEnergy / n,
                 1e-6 * staticEnergy / n, double(transfers) / n, 1e-6 * transferBytes / n);
  else
    std::fprintf(out, "  no hardware description (bundle or --hw): measured figures only\n");
  std::fprintf(out, "  host wall time in ops %.3f ms (measured)\n", 1e3 * wallTotal / n);
  std::fprintf(out, "  %-9s %-18s %6s %12s %12s %12s %12s %10s\n", "device", "op", "calls",
               "wall ms", "busy us", "cycles", "energy uJ", "MB moved");
  std::fprintf(out, "  %-9s %-18s %6s %12s %12s %12s %12s %10s\n", "", "", "", "(measured)",
               "(modelled)", "(modelled)", "(modelled)", "");
  std::vector<std::pair<std::pair<hw::DeviceKind, std::string>, Totals>> rows(totals.begin(),
                                                                              totals.end());
  std::sort(rows.begin(), rows.end(),
            [](const auto &a, const auto &b) { return a.second.wall > b.second.wall; });
  for (const auto &[key, sum] : rows)
    std::fprintf(out, "  %-9s %-18s %6.0f %12.3f %12.3f %12.0f %12.3f %10.3f\n",
                 hw::name(key.first), key.second.c_str(), sum.calls / n, 1e3 * sum.wall / n,
                 1e6 * sum.busy / n, double(sum.cycles) / n, 1e-6 * sum.energy / n,
                 1e-6 * double(sum.bytes) / n);
}

void Profiler::writeTrace(const std::string &path) const {
  using nlohmann::json;
  json events = json::array();
  auto pidOf = [](hw::DeviceKind kind) { return 1 + static_cast<int>(kind); };
  const int linkPid = 100;
  std::set<std::pair<int, uint32_t>> named;
  auto nameTrack = [&](int pid, uint32_t tid, const std::string &process,
                       const std::string &thread) {
    if (!named.insert({pid, tid}).second)
      return;
    events.push_back({{"name", "process_name"}, {"ph", "M"}, {"pid", pid},
                      {"args", {{"name", process}}}});
    events.push_back({{"name", "thread_name"}, {"ph", "M"}, {"pid", pid}, {"tid", tid},
                      {"args", {{"name", thread}}}});
  };
  size_t at = 0;
  for (const RunTimeline &run : timelines) {
    for (; at < kept.size() && kept[at].step == run.step; ++at) {
      const Execution &e = kept[at];
      int pid = pidOf(e.kind);
      nameTrack(pid, e.instance, hw::name(e.kind),
                std::string(hw::name(e.kind)) + " " + std::to_string(e.instance));
      json args = {{"step", e.step},         {"function", e.function},
                   {"op_index", e.index},    {"wall_ms_measured", 1e3 * e.wallSeconds},
                   {"cycles", e.cycles},     {"energy_pj_modelled", total(e.energy)},
                   {"bytes_in", e.bytesIn},  {"bytes_out", e.bytesOut}};
      for (const auto &[name, pj] : e.energy)
        args[std::string(name) + "_pj_modelled"] = pj;
      for (const auto &[name, count] : e.counts)
        args[name] = count;
      events.push_back({{"name", e.op}, {"cat", hw::name(e.kind)}, {"ph", "X"},
                        {"ts", 1e6 * e.start}, {"dur", 1e6 * e.seconds},
                        {"pid", pid}, {"tid", e.instance}, {"args", args}});
    }
    for (const hw::Transfer &t : run.timeline.transfers) {
      uint32_t tid = static_cast<uint32_t>(std::min(t.fromKind, t.toKind)) * 8 +
                     static_cast<uint32_t>(std::max(t.fromKind, t.toKind));
      nameTrack(linkPid, tid, "links",
                std::string(hw::name(std::min(t.fromKind, t.toKind))) + " - " +
                    hw::name(std::max(t.fromKind, t.toKind)));
      events.push_back(
          {{"name", "value " + std::to_string(t.value)}, {"cat", "transfer"}, {"ph", "X"},
           {"ts", 1e6 * (run.offset + t.start)}, {"dur", 1e6 * (t.end - t.start)},
           {"pid", linkPid}, {"tid", tid},
           {"args", {{"bytes", t.bytes}, {"from", std::string(hw::name(t.fromKind)) + " " +
                                                      std::to_string(t.fromInstance)},
                     {"to", std::string(hw::name(t.toKind)) + " " +
                                std::to_string(t.toInstance)},
                     {"energy_pj_modelled", t.energyPj}}}});
    }
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
  std::ofstream file(path);
  file << "step,function,op_index,op,device,instance,wall_ms_measured,start_us_modelled,"
          "duration_us_modelled,cycles,energy_pj_modelled,mac_pj,sram_pj,dram_pj,vector_pj,"
          "active_pj,adc_pj,dac_pj,cell_pj,digital_pj,buffer_pj,write_pj,conversions,cells_written,"
          "write_pulses,bytes_in,bytes_out\n";
  file.precision(9);
  for (const Execution &e : kept) {
    auto component = [&](const char *name) {
      for (const auto &c : e.energy)
        if (std::string(c.first) == name)
          return c.second;
      return 0.0;
    };
    auto count = [&](const char *name) {
      for (const auto &c : e.counts)
        if (std::string(c.first) == name)
          return c.second;
      return uint64_t(0);
    };
    file << e.step << "," << e.function << "," << e.index << "," << e.op << ","
         << hw::name(e.kind) << "," << e.instance << "," << 1e3 * e.wallSeconds << ","
         << 1e6 * e.start << "," << 1e6 * e.seconds << "," << e.cycles << ","
         << total(e.energy) << "," << component("mac") << "," << component("sram") << ","
         << component("dram") << "," << component("vector") << "," << component("active")
         << "," << component("adc") << "," << component("dac") << "," << component("cell")
         << "," << component("digital") << "," << component("buffer") << ","
         << component("write") << ","
         << count("conversions") << "," << count("cells_written") << ","
         << count("write_pulses") << "," << e.bytesIn << "," << e.bytesOut << "\n";
  }
  if (!file)
    throw Error(path + ": cannot write the profile CSV");
}

} // namespace hpt::rt
