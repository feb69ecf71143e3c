//===- PhaseSwitch.h - HpT's full-parameter -> LoRA switch rule --*- C++ -*-===//
//
// The rule of the HpT authors' code (docs/reference/hpt-models.md, "Phase
// switch"), as a state machine fed one iteration at a time:
//  - windows of W iterations are counted within an epoch (a partial window at
//    the end of an epoch is dropped);
//  - at the end of window k, the loss test on the window means L and the
//    weight test on d_k = ||M_k - M_{k-1}||_F (M: the monitored layer's
//    concat(W_q, W_v)) each require, for their series x and threshold h,
//    (x_{k-2}-x_{k-1})/x_{k-2} < h, (x_{k-1}-x_k)/x_{k-1} < h and
//    x_{k-1}-x_k < x_{k-2}-x_{k-1};
//  - both pass: an overlap window begins, in which a LoRA copy of the model
//    trains in lock-step on the same batches; at its end a two-sample Student
//    t-test (equal variances) compares the two per-batch loss series: p > alpha
//    switches (for good), otherwise the copy is re-cloned and tested again
//    after another W iterations.
//
//===----------------------------------------------------------------------===//

#ifndef HPT_RUNTIME_CORE_PHASESWITCH_H
#define HPT_RUNTIME_CORE_PHASESWITCH_H

#include <nlohmann/json.hpp>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace hpt::rt {

enum class Phase { Full, Overlap, Lora };
const char *phaseName(Phase phase);
std::optional<Phase> phaseNamed(const std::string &name);

struct SwitchConfig {
  int64_t window = 480;          ///< W, iterations per check
  double lossThreshold = 0.1;    ///< relative change of the window mean loss
  double weightThreshold = 0.01; ///< relative change of d_k
  double alpha = 0.01;           ///< significance level of the t-test
  bool rebaselineEachEpoch = false; ///< SWE, Weather: M's baseline restarts per epoch
};

enum class Decision {
  Continue, ///< tests not both passed; full training goes on
  Baseline, ///< no earlier M this epoch: M_k only becomes the baseline
  Overlap,  ///< both tests passed: a LoRA copy starts training alongside
  Reclone,  ///< the t-test found the copy's losses different: clone again
  Switch,   ///< the t-test passed: LoRA from now on
};
const char *decisionName(Decision decision);

/// One check, as written to stderr and to --switch-log (one JSON line).
struct SwitchEvent {
  int64_t iteration = 0; ///< training steps completed (global)
  int64_t epoch = 0;
  std::string check; ///< "window" or "overlap"
  double loss = 0;   ///< L_k (window), the full model's mean loss (overlap)
  std::optional<double> distance;         ///< d_k
  std::optional<double> t, p, loraLoss;   ///< overlap checks
  bool lossTest = false, weightTest = false;
  Decision decision = Decision::Continue;
  /// Overlap checks: the per-batch losses the t-test compared (logged, so
  /// that the decision can be replayed).
  std::vector<double> fullLosses, loraLosses;

  nlohmann::json json() const;
  std::string text() const;
};

/// The relative-change test on the last three values of `series`.
bool settled(const std::vector<double> &series, double threshold);

class PhaseSwitch {
public:
  explicit PhaseSwitch(SwitchConfig config, Phase start = Phase::Full)
      : config(config), current(start) {}

  Phase phase() const { return current; }
  const SwitchConfig &settings() const { return config; }

  /// Feeds one iteration: the full model's loss, and during the overlap the
  /// LoRA copy's. At the end of a window it runs the check (reading M_k
  /// through `monitored` only then) and returns its event.
  std::optional<SwitchEvent> afterIteration(int64_t iteration, int64_t epoch, double loss,
                                            std::optional<double> loraLoss,
                                            const std::function<std::vector<float>()> &monitored);
  /// hpt-run --switch-at: switches to LoRA after `iteration` whatever the
  /// tests would say (check "forced").
  SwitchEvent force(int64_t iteration, int64_t epoch, double loss);
  /// An epoch ended: the window counter restarts and a partial window is
  /// dropped. Returns true when an overlap window was cut short (the caller
  /// re-clones the copy).
  bool startEpoch();

  /// The state a checkpoint needs (the baseline M separately: it is large).
  nlohmann::json state() const;
  const std::vector<float> &baseline() const { return lastWeights; }
  /// Restores a state(); throws Error (naming `origin`) when it is malformed.
  void restore(const nlohmann::json &state, std::vector<float> baseline,
               const std::string &origin);

private:
  SwitchEvent checkWindow(int64_t iteration, int64_t epoch,
                          const std::function<std::vector<float>()> &monitored);
  SwitchEvent checkOverlap(int64_t iteration, int64_t epoch);
  void clearWindow();

  SwitchConfig config;
  Phase current;
  int64_t inWindow = 0;  ///< iterations of the current window
  double lossSum = 0;    ///< their full-model losses
  std::vector<double> windowLosses, distances; ///< L and d, last three
  std::vector<float> lastWeights;              ///< M_{k-1} (empty: no baseline)
  std::vector<double> fullSeries, loraSeries;  ///< the overlap window's losses
};

} // namespace hpt::rt

#endif // HPT_RUNTIME_CORE_PHASESWITCH_H
