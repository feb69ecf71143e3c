//===- Partition.h - choosing each op's device for one step -----*- C++ -*-===//
//
// hpt-partition's search, without MLIR: ops in program order, each with the
// devices that can run it and what it costs there (hardware/Cost.h), the
// values between them, and the one-time programming of ReRAM weights. A
// placement (a candidate per op) is scored by the accounting model's
// schedule of one step; the search finds the placement with the least
// objective.
//
//===----------------------------------------------------------------------===//

#ifndef HPT_HARDWARE_PARTITION_H
#define HPT_HARDWARE_PARTITION_H

#include "hardware/Accounting.h"
#include "hardware/Expected.h"

#include <cstddef>
#include <map>
#include <string>
#include <vector>

namespace hpt::hw {

enum class Objective : uint8_t { Latency, Energy, Edp };

struct PartitionCandidate {
  DeviceKind kind = DeviceKind::Host;
  double seconds = 0, energyPj = 0;
};

struct PartitionOp {
  std::vector<PartitionCandidate> candidates; ///< at least one
  std::vector<size_t> inputs, outputs;        ///< value indices
  /// The frozen weight its ReRAM candidate reads ("" when none): the first
  /// op on ReRAM reading a weight pays its programming.
  std::string weight;
};

struct PartitionProblem {
  const Description *description = nullptr;
  std::vector<ValueInfo> values;
  std::vector<PartitionOp> ops;
  /// Per weight, the programming charged to one step (seconds, pJ).
  std::map<std::string, std::pair<double, double>> programming;
};

struct StepScore {
  bool feasible = false; ///< false when a value would cross an unlinked pair
  double seconds = 0, energyPj = 0;
  double transferPj = 0, staticPj = 0, programmingPj = 0;
  Timeline timeline;
};

/// One step with op i on candidate placement[i].
StepScore scoreOf(const PartitionProblem &problem, const std::vector<size_t> &placement);
/// +infinity for an infeasible step.
double objectiveValue(Objective objective, const StepScore &score);

/// Ops in program order, each on the candidate that, given the ops before
/// it, ends soonest (latency), adds the least energy (energy) or the least
/// end × energy so far (edp); empty when some op has no feasible candidate.
std::vector<size_t> greedyPlacement(const PartitionProblem &problem, Objective objective);

/// The placement with the least objective among every placement when there
/// are at most `exhaustiveLimit`; else the better of `start` and the greedy
/// one, improved by moving each frozen weight's products together to each
/// device kind while that lowers the objective. `start` wins ties, and an
/// earlier placement (the first op's candidate varying fastest) wins ties
/// among the rest.
std::vector<size_t> searchPlacement(const PartitionProblem &problem, Objective objective,
                                    const std::vector<size_t> &start,
                                    double exhaustiveLimit = 1 << 20);

/// Why noise-aware placement put a weight where it did.
enum class AnalogReason : uint8_t {
  WithinBudget,    ///< on ReRAM: its sensitivity fits what is left of the budget
  OverBudget,      ///< digital: its sensitivity would take the sum past the budget
  SavesNothing,    ///< digital: its ReRAM reads save no energy in the step
  NoDigitalDevice, ///< on ReRAM: no other device can run one of its ops
};

struct AnalogChoice {
  std::string weight;
  double sensitivity = 0; ///< loss units, as measured
  double savedPj = 0;     ///< the step's energy with it digital minus on ReRAM
  bool analog = false;
  AnalogReason reason = AnalogReason::WithinBudget;
  double spentBefore = 0; ///< the sum of the sensitivities kept before it
};

struct NoiseAwarePlacement {
  std::vector<size_t> placement;
  std::vector<AnalogChoice> choices; ///< in the order considered
  double spent = 0;                  ///< the kept weights' sensitivities, summed
};

/// policy=noise-aware: from `start`, whose ReRAM ops read the weights
/// `sensitivity` measures, keeps on ReRAM the weights that save the step the
/// most energy per unit of sensitivity (each weight's saving measured alone
/// against `start`; ties: the larger saving, then the name), best first,
/// while their sensitivities sum to at most `allowance`; the other weights'
/// ops move to their digital candidate (systolic, else host, else any
/// other; a weight whose ops cannot all move, or whose move leaves the step
/// unlinked, stays, and needs no measurement). Any other weight without a
/// measurement is an error.
Expected<NoiseAwarePlacement> noiseAwarePlacement(const PartitionProblem &problem,
                                                  const std::vector<size_t> &start,
                                                  const std::map<std::string, double> &sensitivity,
                                                  double allowance);

} // namespace hpt::hw

#endif // HPT_HARDWARE_PARTITION_H
