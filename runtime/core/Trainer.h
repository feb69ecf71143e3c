//===- Trainer.h - the training loop of hpt-run -----------------*- C++ -*-===//

#ifndef HPT_RUNTIME_CORE_TRAINER_H
#define HPT_RUNTIME_CORE_TRAINER_H

#include "runtime/core/Checkpoint.h"
#include "runtime/core/Schedule.h"
#include "runtime/data/Dataset.h"

#include <cstdint>
#include <functional>
#include <ostream>
#include <string>
#include <vector>

namespace hpt::rt {

struct TrainOptions {
  int64_t steps = 0;  ///< stop after this many steps in total (0: no limit)
  int64_t epochs = 0; ///< stop after this many epochs in total (0: no limit)
  bool shuffle = true;
  std::string checkpointPath; ///< written every checkpointEvery steps and at the end
  int64_t checkpointEvery = 0;
  bool progress = true;    ///< report progress on the progress stream
  bool interactive = true; ///< redraw one line (a terminal); else a line per 10%
};

struct TrainResult {
  std::vector<float> losses;        ///< one per step run by this call
  std::vector<double> stepSeconds;  ///< wall time of each of those steps
  int64_t firstStep = 0;     ///< global step of losses[0]
  double seconds = 0;
};

struct EvalResult {
  double meanLoss = 0;
  double rmse = 0; ///< in the data's units, over all target elements
  int64_t samples = 0;
};

class Trainer {
public:
  /// Checks that the data's shapes are the programs' argument shapes.
  Trainer(const Bundle &bundle, Schedule &schedule, const Dataset &train,
          const Dataset *test);

  /// Trains from `job` until the options' budget; throws Error when the loss
  /// stops being finite (naming the step; the last checkpoint is kept).
  TrainResult train(JobState &job, const TrainOptions &options, std::ostream &progress);
  /// On the samples given (indices into `data`), or on all of them.
  EvalResult evaluate(const Dataset &data, const std::vector<int64_t> &samples = {});

private:
  const Bundle &bundle;
  Schedule &schedule;
  const Dataset &trainData;
};

/// The sample order of an epoch: a Fisher-Yates shuffle driven by Philox
/// (seed, epoch), or the identity.
std::vector<int64_t> epochOrder(int64_t size, uint64_t seed, int64_t epoch, bool shuffle);

} // namespace hpt::rt

#endif // HPT_RUNTIME_CORE_TRAINER_H
