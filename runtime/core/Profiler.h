//===- Profiler.h - per-op profiles, Chrome traces and CSV ------*- C++ -*-===//
//
// Collects every op execution of the profiled runs (hpt-run --profile,
// --trace, --profile-csv): its device, its measured host wall time, and its
// modelled cost. Each run is scheduled by the accounting model
// (hardware/Accounting.h, docs/accounting.md), which gives every op its
// simulated start, duration and device instance, and every value that
// crosses devices its transfer. Modelled figures need a hardware
// description (the bundle's, or hpt-run --hw); without one only measured
// figures are reported.
//
//===----------------------------------------------------------------------===//

#ifndef HPT_RUNTIME_CORE_PROFILER_H
#define HPT_RUNTIME_CORE_PROFILER_H

#include "hardware/Accounting.h"
#include "runtime/core/Program.h"

#include <cstdio>
#include <map>
#include <string>
#include <vector>

namespace hpt::rt {

class Profiler {
public:
  /// `description` may be null (measured figures only); `traceSteps` bounds
  /// how many runs the trace and the CSV keep (0: all).
  Profiler(const hw::Description *description, int64_t traceSteps);

  /// Adds the last run of `program` (profiling on) as training step `step`.
  void addRun(const Program &program, int64_t step);

  /// Per device and op kind, per step: calls, measured wall time, modelled
  /// busy time, cycles, energy and bytes moved; then the step's makespan and
  /// energy (modelled) beside its measured wall time.
  void printSummary(std::FILE *out) const;
  /// Chrome Trace Event Format: one track per device instance and one per
  /// link, simulated time on the timeline, runs one after the other.
  void writeTrace(const std::string &path) const;
  /// One row per op execution.
  void writeCsv(const std::string &path) const;

private:
  struct Execution {
    int64_t step = 0;
    std::string function, op;
    size_t index = 0;
    hw::DeviceKind kind = hw::DeviceKind::Host;
    uint32_t instance = 0;
    double wallSeconds = 0;
    double start = 0, seconds = 0; ///< simulated, start on the trace's timeline
    uint64_t cycles = 0, bytesIn = 0, bytesOut = 0;
    std::vector<std::pair<const char *, double>> energy;
    std::vector<std::pair<const char *, uint64_t>> counts;
  };
  struct RunTimeline {
    int64_t step = 0;
    double offset = 0; ///< where the run starts on the trace's timeline
    hw::Timeline timeline;
  };
  struct Totals {
    int64_t calls = 0;
    double wall = 0, busy = 0, energy = 0;
    uint64_t cycles = 0, bytes = 0;
  };

  const hw::Description *description;
  int64_t traceSteps;
  int64_t runs = 0;
  double timelineEnd = 0, wallTotal = 0, makespanTotal = 0;
  double opEnergy = 0, transferEnergy = 0, staticEnergy = 0;
  uint64_t transfers = 0, transferBytes = 0;
  std::map<std::pair<hw::DeviceKind, std::string>, Totals> totals;
  std::vector<Execution> kept;     ///< the first traceSteps runs' ops
  std::vector<RunTimeline> timelines;
  /// The accounting model's values of each profiled function, built once.
  std::map<const FunctionSpec *, std::vector<hw::ValueInfo>> valuesByFunction;
};

} // namespace hpt::rt

#endif // HPT_RUNTIME_CORE_PROFILER_H
