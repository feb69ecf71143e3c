//===- Checkpoint.h - saving and resuming a training job --------*- C++ -*-===//
//
// A checkpoint holds everything a training run depends on: every parameter,
// its optimizer state and update count, the step/epoch counters and the
// position in the epoch's shuffled order. Resuming from it gives the same
// losses, bit for bit, as the uninterrupted run.
//
//===----------------------------------------------------------------------===//

#ifndef HPT_RUNTIME_CORE_CHECKPOINT_H
#define HPT_RUNTIME_CORE_CHECKPOINT_H

#include "runtime/core/Program.h"

#include <cstdint>
#include <string>

namespace hpt::rt {

/// Where a training job stands.
struct JobState {
  TrainingState counters;
  int64_t position = 0;     ///< samples of the current epoch already used
  uint64_t shuffleSeed = 0; ///< seeds each epoch's sample order
};

void saveCheckpoint(const std::string &path, const Bundle &bundle,
                    const ParamStore &params, const JobState &job);

/// Restores `params` and `job`; throws Error when the checkpoint belongs to
/// another model (naming the parameter that differs) or is damaged. Nothing
/// is modified unless the whole checkpoint is usable.
void loadCheckpoint(const std::string &path, const Bundle &bundle, ParamStore &params,
                    JobState &job);

struct Archive;
/// loadCheckpoint for an archive already read; `origin` names it in errors.
void restoreCheckpoint(const Archive &archive, const std::string &origin, const Bundle &bundle,
                       ParamStore &params, JobState &job);

} // namespace hpt::rt

#endif // HPT_RUNTIME_CORE_CHECKPOINT_H
