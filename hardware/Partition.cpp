//===- Partition.cpp - choosing each op's device for one step ---------------===//

#include "hardware/Partition.h"

#include <limits>
#include <optional>
#include <set>

namespace hpt::hw {
namespace {

Task taskOf(const PartitionProblem &problem, size_t op, size_t candidate) {
  const PartitionOp &o = problem.ops[op];
  const PartitionCandidate &c = o.candidates[candidate];
  return {{c.kind, std::nullopt}, c.seconds, c.energyPj, o.inputs, o.outputs};
}

/// The programming op `op` pays on `candidate` when `programmed` holds the
/// weights already paid for.
std::pair<double, double> programmingOf(const PartitionProblem &problem, size_t op,
                                        size_t candidate, const std::set<std::string> &programmed) {
  const PartitionOp &o = problem.ops[op];
  if (o.candidates[candidate].kind != DeviceKind::Reram || o.weight.empty() ||
      programmed.count(o.weight))
    return {0, 0};
  auto found = problem.programming.find(o.weight);
  return found == problem.programming.end() ? std::pair{0.0, 0.0} : found->second;
}

} // namespace

StepScore scoreOf(const PartitionProblem &problem, const std::vector<size_t> &placement) {
  std::vector<Task> tasks;
  tasks.reserve(problem.ops.size());
  std::set<std::string> programmed;
  StepScore s;
  for (size_t i = 0; i < problem.ops.size(); ++i) {
    tasks.push_back(taskOf(problem, i, placement[i]));
    const auto [seconds, energy] = programmingOf(problem, i, placement[i], programmed);
    if (problem.ops[i].candidates[placement[i]].kind == DeviceKind::Reram)
      programmed.insert(problem.ops[i].weight);
    s.seconds += seconds;
    s.programmingPj += energy;
  }
  Expected<Timeline> timeline = schedule(*problem.description, problem.values, tasks);
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

double objectiveValue(Objective objective, const StepScore &score) {
  if (!score.feasible)
    return std::numeric_limits<double>::infinity();
  switch (objective) {
  case Objective::Latency:
    return score.seconds;
  case Objective::Energy:
    return score.energyPj;
  case Objective::Edp:
    return score.seconds * score.energyPj;
  }
  return score.seconds;
}

std::vector<size_t> greedyPlacement(const PartitionProblem &problem, Objective objective) {
  StepScheduler scheduler(*problem.description, problem.values);
  std::set<std::string> programmed;
  std::vector<size_t> placement;
  double energy = 0;
  for (size_t i = 0; i < problem.ops.size(); ++i) {
    std::optional<size_t> best;
    double bestKey = 0, bestEnergy = 0;
    for (size_t c = 0; c < problem.ops[i].candidates.size(); ++c) {
      Expected<StepScheduler::Trial> trial = scheduler.trial(taskOf(problem, i, c));
      if (!trial)
        continue;
      const auto [writeSeconds, writeEnergy] = programmingOf(problem, i, c, programmed);
      const double added = trial->energyPj + writeEnergy, end = trial->end + writeSeconds;
      const double key = objective == Objective::Latency  ? end
                         : objective == Objective::Energy ? added
                                                          : end * (energy + added);
      if (!best || key < bestKey) {
        best = c;
        bestKey = key;
        bestEnergy = added;
      }
    }
    if (!best || scheduler.add(taskOf(problem, i, *best)))
      return {};
    if (problem.ops[i].candidates[*best].kind == DeviceKind::Reram)
      programmed.insert(problem.ops[i].weight);
    energy += bestEnergy;
    placement.push_back(*best);
  }
  return placement;
}

std::vector<size_t> searchPlacement(const PartitionProblem &problem, Objective objective,
                                    const std::vector<size_t> &start, double exhaustiveLimit) {
  std::vector<size_t> best = start;
  double bestValue = objectiveValue(objective, scoreOf(problem, best));
  auto consider = [&](const std::vector<size_t> &placement) {
    const double value = objectiveValue(objective, scoreOf(problem, placement));
    if (value < bestValue) {
      bestValue = value;
      best = placement;
    }
  };
  double count = 1;
  for (const PartitionOp &op : problem.ops)
    count *= double(op.candidates.size());
  if (count > exhaustiveLimit) {
    if (std::vector<size_t> guess = greedyPlacement(problem, objective); !guess.empty())
      consider(guess);
    return best;
  }
  std::vector<size_t> placement(problem.ops.size(), 0);
  while (true) {
    consider(placement);
    size_t i = 0;
    while (i < placement.size() && ++placement[i] == problem.ops[i].candidates.size())
      placement[i++] = 0;
    if (i == placement.size())
      return best;
  }
}

} // namespace hpt::hw
