//===- Schedule.h - which program trains at each step ----------*- C++ -*-===//
//
// hpt-run's --schedule: `full` trains the bundle's full-parameter program,
// `lora` its LoRA program (from the seeds, or from --init-from), and `hpt`
// trains fully until HpT's rule (PhaseSwitch) switches to LoRA. The two
// programs have parameter stores of their own: the LoRA store takes the
// full store's current values of every shared name (frozen bases, trained
// MLPs), fresh adapters (A from its seed, B = 0) and a fresh optimizer at
// each clone. With rank=auto the rank is chosen at the clone from the
// singular values of each target's change since the start of training.
//
//===----------------------------------------------------------------------===//

#ifndef HPT_RUNTIME_CORE_SCHEDULE_H
#define HPT_RUNTIME_CORE_SCHEDULE_H

#include "runtime/core/PhaseSwitch.h"
#include "runtime/core/Program.h"

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace hpt::rt {

struct Archive;
struct JobState;

enum class ScheduleKind { Full, Lora, Hpt };
const char *scheduleName(ScheduleKind kind);

struct ScheduleOptions {
  ScheduleKind kind = ScheduleKind::Full;
  /// A compiled LoRA rank, 0 for the bundle's only LoRA program, or -1 for
  /// auto (hpt only: chosen at the switch from the intrinsic dimension).
  int64_t rank = 0;
  double energy = 0.9; ///< rank=auto: fraction of the energy of dW kept
  SwitchConfig rule;
  int64_t monitorLayer = 0; ///< encoder layer whose concat(W_q, W_v) is M; -1: the last
  std::string logPath;      ///< --switch-log: one JSON line per check
  /// hpt only: switch to LoRA right after this iteration, with no checks
  /// (0: HpT's rule decides).
  int64_t switchAt = 0;
  DeviceSet *devices = nullptr; ///< where ops placed off the host run
};

/// What a profiler hears of a schedule: every run of a training program,
/// with the step (1-based) and the phase it belongs to, and every device
/// load (the crossbars programmed at the switch) with the step it follows.
struct ScheduleObserver {
  std::function<void(const Program &, int64_t step, Phase phase)> ran;
  std::function<void(hw::DeviceKind, const OpCost &, int64_t step)> loaded;
};

class Schedule {
public:
  /// Builds the programs the schedule starts with; throws Error naming the
  /// option or the bundle when they cannot run (no LoRA program, unknown
  /// rank, monitored layer absent).
  Schedule(const Bundle &bundle, const ScheduleOptions &options, const MemoryLimit &limit,
           std::ostream &log);
  ~Schedule();

  /// One training iteration on (input, target) at `job`'s counters; returns
  /// the loss of the program that is training (the full one until the switch).
  float step(const std::vector<const float *> &args, const JobState &job);
  /// Called when an epoch has ended (windows restart).
  void epochEnded(const JobState &job);

  /// Profiles every training program, now and after a switch, and tells
  /// `observer` of each run and device load.
  void observe(ScheduleObserver observer);
  /// Where HpT's overlap copy of the LoRA program trains: beside the full
  /// program, on the GPU when the bundle places the full step there, else
  /// on the host.
  hw::DeviceKind overlapDevice() const;

  Phase phase() const { return rule.phase(); }
  Program &trainProgram();
  Program &evalProgram();
  ParamStore &params(); ///< the store of the program that is training
  int64_t rank() const; ///< the LoRA program's rank (0 before one is chosen)
  const std::vector<SwitchEvent> &events() const { return log; }
  /// Steps and seconds spent per phase by this process.
  struct PhaseTime {
    int64_t steps = 0;
    double seconds = 0;
  };
  const std::map<Phase, PhaseTime> &phaseTimes() const { return times; }

  /// Adds parameters, optimizer state and the switch state to a checkpoint.
  void save(Archive &archive) const;
  /// Restores them; throws Error, changing nothing, when the checkpoint was
  /// written under another schedule or is incomplete.
  void restore(const Archive &archive, const std::string &origin);
  /// --init-from: the values of every parameter the archive holds (a
  /// checkpoint or --export-params), no optimizer state.
  void initFrom(const Archive &archive, const std::string &origin);

private:
  std::unique_ptr<Program> makeProgram(const std::string &function, ParamStore &store, Mode mode,
                                       std::optional<hw::DeviceKind> everyOpOn = std::nullopt);
  void observed(const Program &program, const JobState &job, Phase phase);

  ScheduleObserver observer;
  void selectLora(const ProgramSpec &program);
  void cloneToLora();
  /// HpT's switch: the LoRA program's devices take what it keeps resident
  /// (the crossbars are programmed here, once).
  void loadLora(int64_t iteration);
  /// After a full-phase iteration: HpT's rule (or --switch-at) and what its
  /// decision starts.
  void checkSwitch(const JobState &job, float loss, std::optional<double> loraLoss);
  Program &overlapCopy();
  int64_t estimateRank(int64_t iteration);
  std::vector<float> monitoredWeights() const;
  void report(const SwitchEvent &event);
  void writeLogLine(const nlohmann::json &line);

  const Bundle &bundle;
  ScheduleOptions options;
  MemoryLimit limit;
  std::ostream &logStream;
  std::unique_ptr<std::ostream> logFile;
  PhaseSwitch rule;
  std::unique_ptr<ParamStore> fullStore, loraStore;
  std::unique_ptr<Program> fullTrain, fullEval, loraTrain, loraEval;
  std::unique_ptr<Program> overlapTrain; ///< the overlap copy (hpt), on overlapDevice()
  const ProgramSpec *lora = nullptr;
  std::vector<std::string> monitored;           ///< M = concat of these
  std::map<std::string, std::vector<float>> startWeights; ///< rank=auto: W at the start
  std::vector<SwitchEvent> log;
  std::map<Phase, PhaseTime> times;
};

} // namespace hpt::rt

#endif // HPT_RUNTIME_CORE_SCHEDULE_H
