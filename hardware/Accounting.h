//===- Accounting.h - simulated time and energy of a program ----*- C++ -*-===//
//
// hpt's one accounting model (docs/accounting.md), used by hpt-run's profiler
// and, later, by the partitioner's cost model:
//  - the simulated time of a program is the makespan of its ops scheduled as
//    a dataflow graph: an op starts when its inputs are on its device and
//    the instance it runs on is free; each instance runs one op at a time, in
//    program order;
//  - a value crossing devices is a transfer that occupies the link between
//    the two device kinds for latency + bytes / bandwidth, one transfer at a
//    time per link;
//  - energy is the sum of the ops' and the transfers' energies plus every
//    device instance's static power over the makespan.
// An op without a pinned instance goes to the instance of its kind where it
// can start first (the lowest index on a tie), so the schedule is
// deterministic.
//
//===----------------------------------------------------------------------===//

#ifndef HPT_HARDWARE_ACCOUNTING_H
#define HPT_HARDWARE_ACCOUNTING_H

#include "hardware/Description.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

namespace hpt::hw {

struct Placement {
  DeviceKind kind = DeviceKind::Host;
  std::optional<uint32_t> instance; ///< none: any instance of the kind
};

/// A value of the program. One with a `home` exists on that device when the
/// program starts (the batch on the host); a resident one (a parameter,
/// optimizer state) stays on every device that uses it, so it never moves;
/// any other is written by a task.
struct ValueInfo {
  uint64_t bytes = 0;
  std::optional<Placement> home;
  bool resident = false;
};

/// One op: where it runs, what it costs there (modelled by its device), what
/// it reads and writes (indices into the value list).
struct Task {
  Placement device;
  double seconds = 0;
  double energyPj = 0;
  std::vector<size_t> inputs, outputs;
};

struct ScheduledTask {
  uint32_t instance = 0;
  double start = 0, end = 0; ///< seconds from the program's start
};

struct Transfer {
  size_t value = 0;
  size_t consumer = 0; ///< the task that needed it
  DeviceKind fromKind = DeviceKind::Host, toKind = DeviceKind::Host;
  uint32_t fromInstance = 0, toInstance = 0;
  uint64_t bytes = 0;
  double start = 0, end = 0, energyPj = 0;
};

struct Timeline {
  std::vector<ScheduledTask> tasks; ///< one per task, in program order
  std::vector<Transfer> transfers;  ///< in the order they were scheduled
  double makespan = 0;              ///< seconds
  double opEnergyPj = 0, transferEnergyPj = 0, staticEnergyPj = 0;
};

/// Schedules `tasks` (in program order) on the machine `description`
/// describes. Fails, naming the task, on a device the description lacks, an
/// instance out of range, an input that is not resident, has no home and no
/// earlier task wrote, or a transfer between devices with no link.
Expected<Timeline> schedule(const Description &description, const std::vector<ValueInfo> &values,
                            const std::vector<Task> &tasks);

/// schedule's engine, one task at a time, for searches that choose each
/// task's device as they go: `trial` says what adding a task would do
/// without adding it.
class StepScheduler {
public:
  StepScheduler(const Description &description, const std::vector<ValueInfo> &values);
  ~StepScheduler();
  StepScheduler(const StepScheduler &) = delete;
  StepScheduler &operator=(const StepScheduler &) = delete;

  struct Trial {
    double end = 0;      ///< when the task would end, seconds from the start
    double energyPj = 0; ///< its energy and its transfers'
  };
  /// Fails as schedule does (a device the description lacks, no link).
  Expected<Trial> trial(const Task &task) const;
  std::optional<Failure> add(const Task &task);
  /// The tasks added so far (without static energy).
  const Timeline &scheduled() const { return timeline; }

private:
  struct Impl;
  std::unique_ptr<Impl> impl;
  Timeline timeline;
};

/// The host model: seconds of `flops` floating-point operations in matrix
/// products and `elements` element visits of vector work at the measured
/// rates, and the energy of that time at the host's active power.
double hostSeconds(const HostModel &host, double flops, double elements);
double hostEnergyPj(const HostModel &host, double seconds);

/// Seconds and energy of moving `bytes` over `link`.
double transferSeconds(const Link &link, uint64_t bytes);
double transferEnergyPj(const Link &link, uint64_t bytes);

} // namespace hpt::hw

#endif // HPT_HARDWARE_ACCOUNTING_H
