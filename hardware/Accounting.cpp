//===- Accounting.cpp - simulated time and energy of a program -------------===//

#include "hardware/Accounting.h"

#include <algorithm>
#include <array>
#include <map>
#include <memory>

namespace hpt::hw {
namespace {

/// One device instance.
struct Where {
  DeviceKind kind;
  uint32_t instance;
  bool operator<(const Where &o) const {
    return kind != o.kind ? kind < o.kind : instance < o.instance;
  }
  bool operator==(const Where &o) const { return kind == o.kind && instance == o.instance; }
};

/// When each link (an unordered pair of device kinds) is next free.
constexpr size_t kKinds = 4;
static_assert(size_t(DeviceKind::Gpu) + 1 == kKinds, "a link index per pair of kinds");
using LinkTimes = std::array<double, kKinds * kKinds>;

size_t linkIndex(DeviceKind a, DeviceKind b) {
  const size_t x = size_t(a), y = size_t(b);
  return x < y ? x * kKinds + y : y * kKinds + x;
}

/// The state of the machine as tasks are placed one by one.
class Scheduler {
public:
  Scheduler(const Description &description, const std::vector<ValueInfo> &values)
      : description(description), values(values), copies(values.size()) {
    for (size_t v = 0; v < values.size(); ++v)
      if (values[v].home)
        copies[v][{values[v].home->kind, values[v].home->instance.value_or(0)}] = 0;
  }

  std::optional<Failure> add(size_t index, const Task &task, Timeline &timeline);

  /// Where `task` would run if added now, when it would start, and the
  /// transfers it would need.
  struct Choice {
    Where at{DeviceKind::Host, 0};
    double start = 0;
    std::vector<Transfer> transfers;
  };
  Expected<Choice> choose(size_t index, const Task &task) const;

private:
  /// When `task` could start on `at`, and the transfers it would need.
  Expected<double> plan(size_t index, const Task &task, const Where &at,
                        std::vector<Transfer> *transfers) const;
  std::string where(size_t index) const { return "task " + std::to_string(index); }

  const Description &description;
  const std::vector<ValueInfo> &values;
  /// Per value: the instances holding a copy, and when it got there.
  std::vector<std::map<Where, double>> copies;
  std::map<Where, double> busyUntil;
  LinkTimes linkBusyUntil{};
};

Expected<double> Scheduler::plan(size_t index, const Task &task, const Where &at,
                                 std::vector<Transfer> *transfers) const {
  double ready = busyUntil.count(at) ? busyUntil.at(at) : 0.0;
  LinkTimes links = linkBusyUntil;
  for (size_t v : task.inputs) {
    if (v >= values.size())
      return fail(where(index) + ": reads value " + std::to_string(v) + " of " +
                  std::to_string(values.size()));
    const std::map<Where, double> &held = copies[v];
    if (values[v].resident)
      continue;
    if (held.empty())
      return fail(where(index) + ": reads value " + std::to_string(v) +
                  ", which no earlier task wrote");
    if (auto here = held.find(at); here != held.end()) {
      ready = std::max(ready, here->second);
      continue;
    }
    // The copy that can arrive first (the earliest one on a tie), over a
    // link the description has.
    std::optional<Transfer> best;
    for (const auto &[from, since] : held) {
      const Link *link = description.linkBetween(from.kind, at.kind);
      if (!link)
        continue;
      const double start = std::max(since, links[linkIndex(from.kind, at.kind)]);
      Transfer t{v, index, from.kind, at.kind, from.instance, at.instance, values[v].bytes,
                 start, start + transferSeconds(*link, values[v].bytes),
                 transferEnergyPj(*link, values[v].bytes)};
      if (!best || t.end < best->end)
        best = t;
    }
    if (!best)
      return fail(where(index) + ": value " + std::to_string(v) + " must move from " +
                  name(held.begin()->first.kind) + " to " + name(at.kind) +
                  ", and the description has no link between them");
    links[linkIndex(best->fromKind, best->toKind)] = best->end;
    ready = std::max(ready, best->end);
    if (transfers)
      transfers->push_back(*best);
  }
  return ready;
}

Expected<Scheduler::Choice> Scheduler::choose(size_t index, const Task &task) const {
  const uint32_t count = description.instances(task.device.kind);
  if (count == 0)
    return fail(where(index) + ": placed on " + name(task.device.kind) +
                ", which the description does not have");
  if (task.device.instance && *task.device.instance >= count)
    return fail(where(index) + ": instance " + std::to_string(*task.device.instance) + " of " +
                name(task.device.kind) + ", which has " + std::to_string(count));
  std::optional<Where> chosen;
  double start = 0;
  for (uint32_t i = 0; i < count; ++i) {
    if (task.device.instance && *task.device.instance != i)
      continue;
    Where candidate{task.device.kind, i};
    Expected<double> when = plan(index, task, candidate, nullptr);
    if (!when)
      return fail(when.error());
    if (!chosen || *when < start) {
      chosen = candidate;
      start = *when;
    }
  }
  Choice choice;
  choice.at = *chosen;
  Expected<double> when = plan(index, task, *chosen, &choice.transfers);
  if (!when)
    return fail(when.error());
  choice.start = *when;
  return choice;
}

std::optional<Failure> Scheduler::add(size_t index, const Task &task, Timeline &timeline) {
  Expected<Choice> choice = choose(index, task);
  if (!choice)
    return fail(choice.error());
  for (const Transfer &t : choice->transfers) {
    linkBusyUntil[linkIndex(t.fromKind, t.toKind)] = t.end;
    copies[t.value][choice->at] = t.end;
    timeline.transferEnergyPj += t.energyPj;
    timeline.transfers.push_back(t);
  }
  const double end = choice->start + task.seconds;
  busyUntil[choice->at] = end;
  for (size_t v : task.outputs) {
    if (v >= values.size())
      return fail(where(index) + ": writes value " + std::to_string(v) + " of " +
                  std::to_string(values.size()));
    copies[v] = {{choice->at, end}};
  }
  timeline.tasks.push_back({choice->at.instance, choice->start, end});
  timeline.opEnergyPj += task.energyPj;
  timeline.makespan = std::max(timeline.makespan, end);
  return std::nullopt;
}

/// Static power, W, of every instance of the host and of every device kind
/// a task runs on: a kind the program leaves idle throughout (the GPU after
/// HpT's switch) is taken to be released, not idling.
double staticWatts(const Description &d, const std::vector<Task> &tasks) {
  auto used = [&](DeviceKind kind) {
    return std::any_of(tasks.begin(), tasks.end(),
                       [&](const Task &t) { return t.device.kind == kind; });
  };
  double watts = d.host.staticPower.value;
  if (d.systolic && used(DeviceKind::Systolic))
    watts += d.systolic->staticPower.value * d.instances(DeviceKind::Systolic);
  if (d.gpu && used(DeviceKind::Gpu))
    watts += d.gpu->staticPower.value * d.instances(DeviceKind::Gpu);
  return watts;
}

} // namespace

double hostSeconds(const HostModel &host, double flops, double elements) {
  return flops / (host.gemmRate.value * 1e9) + elements / (host.vectorRate.value * 1e9);
}

double hostEnergyPj(const HostModel &host, double seconds) {
  return host.activePower.value * seconds * 1e12;
}

double transferSeconds(const Link &link, uint64_t bytes) {
  return link.latency.value * 1e-9 + double(bytes) / (link.bandwidth.value * 1e9);
}

double transferEnergyPj(const Link &link, uint64_t bytes) {
  return double(bytes) * link.energy.value;
}

struct StepScheduler::Impl {
  Impl(const Description &description, const std::vector<ValueInfo> &values)
      : scheduler(description, values) {}
  Scheduler scheduler;
};

StepScheduler::StepScheduler(const Description &description,
                             const std::vector<ValueInfo> &values)
    : impl(std::make_unique<Impl>(description, values)) {}

StepScheduler::~StepScheduler() = default;

Expected<StepScheduler::Trial> StepScheduler::trial(const Task &task) const {
  Expected<Scheduler::Choice> choice = impl->scheduler.choose(timeline.tasks.size(), task);
  if (!choice)
    return fail(choice.error());
  Trial t;
  t.end = choice->start + task.seconds;
  t.energyPj = task.energyPj;
  for (const Transfer &transfer : choice->transfers) {
    t.energyPj += transfer.energyPj;
    t.end = std::max(t.end, transfer.end);
  }
  return t;
}

std::optional<Failure> StepScheduler::add(const Task &task) {
  return impl->scheduler.add(timeline.tasks.size(), task, timeline);
}

Expected<Timeline> schedule(const Description &description, const std::vector<ValueInfo> &values,
                            const std::vector<Task> &tasks) {
  Scheduler scheduler(description, values);
  Timeline timeline;
  for (size_t i = 0; i < tasks.size(); ++i)
    if (std::optional<Failure> failure = scheduler.add(i, tasks[i], timeline))
      return *failure;
  for (const Transfer &t : timeline.transfers)
    timeline.makespan = std::max(timeline.makespan, t.end);
  timeline.staticEnergyPj = staticWatts(description, tasks) * timeline.makespan * 1e12;
  return timeline;
}

} // namespace hpt::hw
