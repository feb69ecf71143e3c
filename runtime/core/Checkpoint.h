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

class Schedule;
struct Archive;
struct ArchiveTensor;

/// Writes the job and the schedule's state (parameters, optimizer state, the
/// phase switch's counters) atomically to `path`.
void saveCheckpoint(const std::string &path, const Bundle &bundle, const Schedule &schedule,
                    const JobState &job);

/// Restores `schedule` and `job`; throws Error when the checkpoint belongs to
/// another model (or schedule) or is damaged. Nothing is modified unless the
/// whole checkpoint is usable.
void loadCheckpoint(const std::string &path, const Bundle &bundle, Schedule &schedule,
                    JobState &job);
/// loadCheckpoint for an archive already read; `origin` names it in errors.
void restoreCheckpoint(const Archive &archive, const std::string &origin, const Bundle &bundle,
                       Schedule &schedule, JobState &job);

/// Adds every parameter of `params` with its optimizer state under `prefix`
/// (tensors `<prefix>param:<name>`, `<prefix>moment1:<name>`, ...; update
/// counts in meta "updates" as `<prefix><name>`).
void addParams(Archive &archive, const ParamStore &params, const std::string &prefix);

/// A store's tensors in an archive, checked against the store's shapes but
/// not yet applied (so that a checkpoint is applied whole or not at all).
class StoredParams {
public:
  /// With `withState`, optimizer state and update counts are read too.
  StoredParams(const Archive &archive, const std::string &origin, const ParamStore &params,
               const std::string &prefix, bool withState = true);
  void applyTo(ParamStore &params) const;

private:
  struct Entry {
    const ArchiveTensor *value, *moment1, *moment2;
    int64_t updates;
  };
  std::vector<Entry> entries;
  bool withState;
};

} // namespace hpt::rt

#endif // HPT_RUNTIME_CORE_CHECKPOINT_H
