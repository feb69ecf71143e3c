//===- Partition.cpp - choosing each op's device for one step ---------------===//

#include "hardware/Partition.h"

#include <algorithm>
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

namespace {

/// A frozen weight and the ops that read it.
struct WeightGroup {
  std::string weight;
  std::vector<size_t> ops;
};

/// Per frozen weight, in the order ops first read it.
std::vector<WeightGroup> weightGroups(const PartitionProblem &problem) {
  std::vector<WeightGroup> groups;
  for (size_t i = 0; i < problem.ops.size(); ++i) {
    const std::string &w = problem.ops[i].weight;
    if (w.empty())
      continue;
    auto found = std::find_if(groups.begin(), groups.end(),
                              [&](const WeightGroup &g) { return g.weight == w; });
    if (found == groups.end())
      found = groups.insert(groups.end(), WeightGroup{w, {}});
    found->ops.push_back(i);
  }
  return groups;
}

/// Moves each frozen weight's products together to each device kind that
/// can run one of them, keeping a move when it lowers the objective, until
/// a pass over the weights keeps none (at most `passes` passes).
void improveByWeights(const PartitionProblem &problem, Objective objective,
                      std::vector<size_t> &best, double &bestValue, int passes = 4) {
  const std::vector<WeightGroup> groups = weightGroups(problem);
  for (int pass = 0; pass < passes; ++pass) {
    bool improved = false;
    for (const WeightGroup &group : groups)
      for (DeviceKind kind : {DeviceKind::Host, DeviceKind::Gpu, DeviceKind::Systolic,
                              DeviceKind::Reram}) {
        std::vector<size_t> moved = best;
        for (size_t op : group.ops)
          for (size_t c = 0; c < problem.ops[op].candidates.size(); ++c)
            if (problem.ops[op].candidates[c].kind == kind)
              moved[op] = c;
        if (moved == best)
          continue;
        const double value = objectiveValue(objective, scoreOf(problem, moved));
        if (value < bestValue) {
          best = std::move(moved);
          bestValue = value;
          improved = true;
        }
      }
    if (!improved)
      return;
  }
}

/// The candidate of op `op` that is not ReRAM, systolic first, then the
/// host, then any other; none when ReRAM is its only device.
std::optional<size_t> digitalCandidate(const PartitionOp &op) {
  for (DeviceKind kind : {DeviceKind::Systolic, DeviceKind::Host})
    for (size_t c = 0; c < op.candidates.size(); ++c)
      if (op.candidates[c].kind == kind)
        return c;
  for (size_t c = 0; c < op.candidates.size(); ++c)
    if (op.candidates[c].kind != DeviceKind::Reram)
      return c;
  return std::nullopt;
}

bool onReram(const PartitionProblem &problem, const std::vector<size_t> &placement, size_t op) {
  return problem.ops[op].candidates[placement[op]].kind == DeviceKind::Reram;
}

/// `placement` with `group`'s ReRAM ops on their digital candidates; false
/// when one has none.
bool moveOffReram(const PartitionProblem &problem, std::vector<size_t> &placement,
                  const WeightGroup &group) {
  for (size_t i : group.ops) {
    if (!onReram(problem, placement, i))
      continue;
    std::optional<size_t> digital = digitalCandidate(problem.ops[i]);
    if (!digital)
      return false;
    placement[i] = *digital;
  }
  return true;
}

} // namespace

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
    improveByWeights(problem, objective, best, bestValue);
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

Expected<NoiseAwarePlacement> noiseAwarePlacement(const PartitionProblem &problem,
                                                  const std::vector<size_t> &start,
                                                  const std::map<std::string, double> &sensitivity,
                                                  double allowance) {
  std::vector<WeightGroup> groups = weightGroups(problem);
  groups.erase(std::remove_if(groups.begin(), groups.end(),
                              [&](const WeightGroup &g) {
                                return std::none_of(g.ops.begin(), g.ops.end(), [&](size_t i) {
                                  return onReram(problem, start, i);
                                });
                              }),
               groups.end());
  const double startEnergy = scoreOf(problem, start).energyPj;
  std::vector<AnalogChoice> choices;
  for (const WeightGroup &group : groups) {
    AnalogChoice choice;
    choice.weight = group.weight;
    std::vector<size_t> digital = start;
    const bool movable = moveOffReram(problem, digital, group);
    const StepScore score = movable ? scoreOf(problem, digital) : StepScore{};
    auto measured = sensitivity.find(group.weight);
    if (measured != sensitivity.end())
      choice.sensitivity = measured->second;
    else if (score.feasible)
      return fail("no sensitivity measured for weight '" + group.weight + "'");
    if (!score.feasible) {
      choice.reason = AnalogReason::NoDigitalDevice;
    } else {
      choice.savedPj = score.energyPj - startEnergy;
      choice.reason = choice.savedPj > 0 ? AnalogReason::WithinBudget : AnalogReason::SavesNothing;
    }
    choices.push_back(std::move(choice));
  }
  // Best first: the most energy saved per unit of sensitivity (a weight
  // whose noise costs nothing first of all); weights kept regardless before
  // them, those that save nothing last.
  auto rank = [](const AnalogChoice &c) {
    return c.reason == AnalogReason::NoDigitalDevice ? 0
           : c.reason == AnalogReason::SavesNothing  ? 2
                                                     : 1;
  };
  auto ratio = [](const AnalogChoice &c) {
    return c.sensitivity > 0 ? c.savedPj / c.sensitivity : std::numeric_limits<double>::infinity();
  };
  std::sort(choices.begin(), choices.end(), [&](const AnalogChoice &a, const AnalogChoice &b) {
    if (rank(a) != rank(b))
      return rank(a) < rank(b);
    if (ratio(a) != ratio(b))
      return ratio(a) > ratio(b);
    if (a.savedPj != b.savedPj)
      return a.savedPj > b.savedPj;
    return a.weight < b.weight;
  });
  NoiseAwarePlacement result;
  result.placement = start;
  for (AnalogChoice &choice : choices) {
    choice.spentBefore = result.spent;
    if (choice.reason == AnalogReason::WithinBudget &&
        result.spent + choice.sensitivity > allowance)
      choice.reason = AnalogReason::OverBudget;
    choice.analog = choice.reason == AnalogReason::WithinBudget ||
                    choice.reason == AnalogReason::NoDigitalDevice;
    if (choice.analog)
      result.spent += choice.sensitivity;
    else
      moveOffReram(problem, result.placement,
                   *std::find_if(groups.begin(), groups.end(), [&](const WeightGroup &g) {
                     return g.weight == choice.weight;
                   }));
  }
  result.choices = std::move(choices);
  return result;
}

} // namespace hpt::hw
