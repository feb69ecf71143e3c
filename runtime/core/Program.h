//===- Program.h - executing a bundle function on the host ------*- C++ -*-===//
//
// A Program is one function of a bundle, checked and turned into a list of
// kernel calls with planned buffers: reshapes and parameter reads alias their
// storage, every other value gets a buffer from a pool when it is produced and
// returns it after its last use, so a training step allocates nothing after
// the first run. Parameters and optimizer state live in a ParamStore that
// several programs (train step, evaluation) share.
//
//===----------------------------------------------------------------------===//

#ifndef HPT_RUNTIME_CORE_PROGRAM_H
#define HPT_RUNTIME_CORE_PROGRAM_H

#include "runtime/core/Bundle.h"
#include "runtime/core/Device.h"

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace hpt::rt {

/// A parameter's value and its optimizer state, as the host holds them. A
/// device that keeps its own copy and updates it there (the CUDA device)
/// leaves the host's copy behind and registers how to bring it up to date;
/// every accessor below does that first, so that a reader never sees a
/// stale value.
struct ParamEntry {
  ParamSpec spec;
  int64_t updates = 0;        ///< optimizer steps applied (Adam's t)

  const std::vector<float> &value() const {
    catchUp();
    return values;
  }
  /// Every write goes through here, right before it is made (the reference
  /// is not to be kept): a program that keeps a packed copy of a frozen
  /// weight repacks it when writes() has moved on.
  std::vector<float> &mutableValue() {
    catchUp();
    ++writeCount;
    return values;
  }
  /// SGD's momentum buffer or Adam's m, and Adam's v (empty until used).
  std::vector<float> &moment1() {
    catchUp();
    return firstMoment;
  }
  const std::vector<float> &moment1() const {
    catchUp();
    return firstMoment;
  }
  std::vector<float> &moment2() {
    catchUp();
    return secondMoment;
  }
  const std::vector<float> &moment2() const {
    catchUp();
    return secondMoment;
  }
  uint64_t writes() const { return writeCount; }

  /// An update a device makes on its own copy: counts the write and gives
  /// the state `moments` buffers (zeros) when it has none yet, copying
  /// nothing back.
  void updateOnDevice(int moments);
  /// Registers how the device that now holds the newer value and state
  /// copies them into the host buffers (copyBack(value, moment1, moment2),
  /// null where the optimizer keeps none); the next access calls it once.
  using CopyBack = std::function<void(float *, float *, float *)>;
  void heldNewerBy(CopyBack copyBack) { pending = std::move(copyBack); }
  /// The host's buffer of the value as it stands, for a parameter read
  /// that only names it (nothing on the host reads it).
  const float *hostBuffer() const { return values.data(); }

private:
  void catchUp() const;

  std::vector<float> values, firstMoment, secondMoment;
  uint64_t writeCount = 0;
  mutable CopyBack pending;
};

/// Sets a parameter to its initial value (from its seed) with no optimizer
/// state.
void resetParam(ParamEntry &entry);

class ParamStore {
public:
  /// Allocates every parameter of `bundle` and initialises it from its seed
  /// (uniform_fan_in: U(±1/√fan_in) from Philox stream 0 of the seed).
  explicit ParamStore(const Bundle &bundle);
  // Programs hold pointers to the entries and their write counts.
  ParamStore(const ParamStore &) = delete;
  ParamStore &operator=(const ParamStore &) = delete;

  ParamEntry &at(const std::string &name);
  std::vector<ParamEntry> &entries() { return params; }
  const std::vector<ParamEntry> &entries() const { return params; }

private:
  std::vector<ParamEntry> params;
  std::map<std::string, size_t> index;
};

/// Counters that the programs read: dropout masks depend on the step, StepLR
/// on the epoch.
struct TrainingState {
  int64_t step = 0;  ///< training steps completed
  int64_t epoch = 0; ///< epochs completed
};

enum class Mode { Train, Eval };

class Program {
public:
  /// Compiles `function` of `bundle`; throws Error (naming the op and its IR
  /// location) on anything it cannot execute, and when its buffers, workspace,
  /// parameters and optimizer state together would exceed `limit`. In Eval
  /// mode dropout is the identity and optimizer updates are refused. Ops
  /// placed off the host run on the device of their kind in `devices`, which
  /// must have it. `everyOpOn`, when given, runs every op on that device
  /// kind instead (HpT's overlap copy of the LoRA program trains on the GPU
  /// beside the full program).
  Program(const Bundle &bundle, const std::string &function, ParamStore &params,
          Mode mode, const MemoryLimit &limit = {}, DeviceSet *devices = nullptr,
          std::optional<hw::DeviceKind> everyOpOn = std::nullopt);
  ~Program();
  Program(const Program &) = delete;
  Program &operator=(const Program &) = delete;

  const std::vector<Shape> &argShapes() const;
  const std::vector<Shape> &resultShapes() const;

  /// Runs the function on `args` (one pointer per argument, argShapes()
  /// elements each). Results stay valid until the next run.
  void run(const std::vector<const float *> &args, const TrainingState &state);
  const float *result(size_t index) const;

  /// One op of the last run, when profiling: its measured host wall time,
  /// and what it cost where it ran (device ops: the device's figures; host
  /// ops: the work the host model charges).
  struct OpRecord {
    size_t op = 0; ///< index into function().ops
    hw::Placement device; ///< where it ran
    double wallSeconds = 0;
    OpCost cost;
    double flops = 0, elements = 0; ///< host ops: products' FLOPs, vector element visits
  };
  void setProfiling(bool enabled);
  const std::vector<OpRecord> &lastRun() const;
  const FunctionSpec &function() const;

  /// Called for each optimizer update with the parameter and its gradient,
  /// before the update is applied (to export gradients).
  std::function<void(const ParamEntry &, const float *grad)> onGradient;

private:
  struct Impl;
  std::unique_ptr<Impl> impl;
};

} // namespace hpt::rt

#endif // HPT_RUNTIME_CORE_PROGRAM_H
