//===- Profiler.h - per-op profiles, Chrome traces and CSV ------*- C++ -*-===//
//
// Collects every op execution of the profiled runs (hpt-run --profile,
// --trace, --profile-csv, --profile-json) by phase of the schedule (full,
// overlap, lora) and the device loads between them (the crossbars
// programmed at HpT's switch): its device, its measured host wall time, and
// its modelled cost. Each run is scheduled by the accounting model
// (hardware/Accounting.h, docs/accounting.md), which gives every op its
// simulated start, duration and device instance, and every value that
// crosses devices its transfer; runs and loads follow one another on one
// simulated timeline. Modelled figures need a hardware description (the
// bundle's, or hpt-run --hw); without one only measured figures are
// reported.
//
//===----------------------------------------------------------------------===//

#ifndef HPT_RUNTIME_CORE_PROFILER_H
#define HPT_RUNTIME_CORE_PROFILER_H

#include "hardware/Accounting.h"
#include "runtime/core/Program.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace hpt::rt {

class Profiler {
public:
  /// `description` may be null (measured figures only); `traceSteps` bounds
  /// how many steps of each phase the trace and the CSV keep (0: all).
  Profiler(const hw::Description *description, int64_t traceSteps);

  /// Adds the last run of `program` (profiling on) as training step `step`
  /// of `phase`.
  void addRun(const Program &program, int64_t step, const std::string &phase);
  /// Adds a device load after step `step` (phase "switch"): `cost` is what
  /// the device charged for writing what the next program keeps resident.
  void addLoad(hw::DeviceKind device, const OpCost &cost, int64_t step);

  /// Per phase: steps, modelled time and energy (ops, transfers, static),
  /// measured wall time; then per phase, device and op kind, per step:
  /// calls, measured wall time, modelled busy time, cycles, energy and
  /// bytes moved.
  void printSummary(std::FILE *out) const;
  /// The whole run per phase: steps, modelled time and energy (ops, links,
  /// static), bytes moved and measured wall time, and the total.
  void printRunTable(std::FILE *out) const;
  /// Chrome Trace Event Format: one track per device instance and one per
  /// link, simulated time on the timeline.
  void writeTrace(const std::string &path) const;
  /// One row per op execution, transfer and device load.
  void writeCsv(const std::string &path) const;
  /// The totals printSummary prints, per phase, device and op kind, and per
  /// function, as JSON (seconds and pJ; modelled unless named measured).
  nlohmann::json json() const;

  /// Modelled figures of the runs of one function (seconds, pJ).
  struct FunctionTotals {
    int64_t runs = 0;
    double seconds = 0, energyPj = 0, wallSeconds = 0;
  };
  std::optional<FunctionTotals> function(const std::string &name) const;
  /// The whole profiled run: modelled seconds and pJ (all phases and loads).
  double totalSeconds() const;
  double totalEnergyPj() const;
  bool modelled() const { return description != nullptr; }

private:
  struct Execution {
    int64_t step = 0;
    std::string phase, function, op;
    std::string kind = "op"; ///< op, transfer or load
    size_t index = 0;
    hw::DeviceKind device = hw::DeviceKind::Host;
    std::string track; ///< the device instance, or the link ("host-gpu")
    uint32_t instance = 0;
    double wallSeconds = 0;
    double start = 0, seconds = 0; ///< simulated, start on the trace's timeline
    uint64_t cycles = 0, bytesIn = 0, bytesOut = 0;
    std::vector<std::pair<const char *, double>> energy;
    std::vector<std::pair<const char *, uint64_t>> counts;
  };
  struct Totals {
    int64_t calls = 0;
    double wall = 0, busy = 0, energy = 0;
    uint64_t cycles = 0, bytes = 0;
  };
  struct PhaseTotals {
    std::string name;
    int64_t steps = 0, runs = 0, lastStep = -1, keptSteps = 0;
    bool keepStep = false; ///< the trace and the CSV keep the current step
    double wall = 0, makespan = 0;
    double opEnergy = 0, transferEnergy = 0, staticEnergy = 0; ///< pJ
    uint64_t transfers = 0, transferBytes = 0;
    std::map<std::pair<hw::DeviceKind, std::string>, Totals> ops;
  };

  void printPhase(std::FILE *out, const PhaseTotals &phase) const;
  PhaseTotals &phaseNamed(const std::string &phase, int64_t step);
  /// Adds one accounted run (or load) to its phase and, when kept, to the
  /// trace and the CSV.
  void account(PhaseTotals &phase, std::vector<Execution> run, const hw::Timeline &timeline,
               bool keep);

  const hw::Description *description;
  int64_t traceSteps;
  double timelineEnd = 0;
  std::vector<PhaseTotals> phases; ///< in the order they began
  std::map<std::string, FunctionTotals> functions;
  std::vector<Execution> kept; ///< ops, transfers and loads of the kept steps
  /// The accounting model's values of each profiled function, built once.
  std::map<const FunctionSpec *, std::vector<hw::ValueInfo>> valuesByFunction;
};

} // namespace hpt::rt

#endif // HPT_RUNTIME_CORE_PROFILER_H
