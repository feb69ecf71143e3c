//===- Device.h - the devices hpt-run executes programs on ------*- C++ -*-===//
//
// A program's ops carry a device (docs/bundle.md). The host runs its ops
// through the Program's kernels; every other device sits behind this
// interface: it owns its memory, moves an op's tensors in and out of it
// explicitly (the bytes are reported), runs the op and says what it cost on
// the modelled hardware. A new backend is a new Device, not a branch in the
// executor.
//
//===----------------------------------------------------------------------===//

#ifndef HPT_RUNTIME_CORE_DEVICE_H
#define HPT_RUNTIME_CORE_DEVICE_H

#include "runtime/core/Bundle.h"
#include "runtime/host/Kernels.h"

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <variant>
#include <vector>

namespace hpt::rt {

/// What one op cost where it ran: modelled figures (from the hardware
/// description), and the bytes of its tensors the device moved.
struct OpCost {
  double seconds = 0;  ///< simulated duration
  uint64_t cycles = 0; ///< device cycles (0 on the host)
  /// Dynamic energy by component, pJ (host: "active"; systolic: mac, sram,
  /// dram, vector).
  std::vector<std::pair<const char *, double>> energy;
  /// Bytes of the op's tensors the device reads and writes in its own memory
  /// (the systolic array: its DRAM bindings, an updated parameter both ways).
  /// Which of them cross a link is the accounting model's business
  /// (docs/accounting.md: parameters and optimizer state stay resident).
  uint64_t bytesIn = 0, bytesOut = 0;
  /// What the device counted (ReRAM: ADC conversions, cells written, write
  /// pulses), for the profile.
  std::vector<std::pair<const char *, uint64_t>> counts;
};

struct ParamEntry;

/// An optimizer update handed to a device: the parameter and its state
/// (host buffers of `count` floats, written in place; `moment1`, `moment2`
/// null when the optimizer keeps none; all three null for a device with its
/// own memory, which updates its copies) and this step's coefficients, the
/// numbers the host kernels use (runtime/host/Kernels.h).
struct OptimizerStep {
  ParamEntry *param = nullptr; ///< whose value and state these are
  float *value = nullptr, *moment1 = nullptr, *moment2 = nullptr;
  int moments = 0; ///< state buffers the optimizer keeps: 0, 1 (SGD's momentum) or 2 (Adam)
  int64_t count = 0;
  std::variant<SgdCoefficients, AdamCoefficients> coefficients;
};

/// Where a run's values are, for a device that keeps tensors in its own
/// memory between ops (the CUDA device) and copies only what crosses to
/// the host. Per value unless it says per storage value (the value whose
/// buffer an alias shares: a reshape's operand, a parameter read).
struct Residency {
  const void *program = nullptr; ///< whose values these are
  uint64_t run = 0;              ///< this run of it; no two runs share it
  const std::vector<int64_t> &storage;
  /// Per storage value: the parameter it is, else null.
  const std::vector<const ParamEntry *> &param;
  /// Per storage value: read where it was not computed (the host, another
  /// device, the function's results, the gradient hook).
  const std::vector<uint8_t> &readElsewhere;
  int64_t step = 0;      ///< training steps completed: dropout's stream
  bool training = true;  ///< false at evaluation, where dropout is the identity
  bool timed = false;    ///< profiling: measure each op on the device
};

/// The program's tensors during a run, as host buffers, and what a device
/// needs besides them.
struct Tensors {
  const std::vector<float *> &ptr;
  const std::vector<Shape> &shapes;
  /// Dropout's noise, made by the host's generator: 1/(1−p) where dropout
  /// keeps an element, else 0 (all ones at evaluation); null for other ops
  /// and for a device that draws it itself.
  const float *dropoutNoise = nullptr;
  const OptimizerStep *update = nullptr; ///< an optimizer update's state, else null
  /// The op's work as the host model counts it: a product's FLOPs, else the
  /// elements it writes (both 0 for an alias: a parameter read, a reshape).
  double flops = 0, elements = 0;
  const Residency *residency = nullptr;
};

struct Archive;

/// A parameter's current value by name (host buffer), for Device::load.
using ParamValues = std::function<const float *(const std::string &param)>;

class Device {
public:
  virtual ~Device() = default;
  virtual hw::DeviceKind kind() const = 0;
  /// Whether run() computes op `index` of `fn`. Where it does not (a
  /// timing-only device, an op the device has no code for), the device
  /// charges its cost while the host computes the op.
  virtual bool computes(const FunctionSpec &fn, size_t index) const = 0;
  /// Whether the device draws dropout's noise itself (from Residency::step,
  /// on the host's stream) rather than being handed it.
  virtual bool drawsDropout() const { return false; }
  /// Whether the device keeps tensors, parameters and optimizer state in
  /// its own memory (Residency; ParamEntry::heldNewerBy) rather than
  /// computing on the host's buffers.
  virtual bool ownMemory() const { return false; }
  /// Throws Error (naming `where`) unless op `index` of `fn` can run here.
  virtual void accept(const FunctionSpec &fn, size_t index, const std::string &where) const = 0;
  /// Runs op `index` of `fn` on `tensors` (computing its results when
  /// computes()) and returns its cost.
  virtual OpCost run(const FunctionSpec &fn, size_t index, const Tensors &tensors) = 0;
  /// Waits until what run() started has reached the host's buffers: the
  /// executor calls it before the host or another device reads them, and
  /// at the end of a run. A device that works synchronously has nothing to
  /// wait for.
  virtual void finish() {}
  /// Writes what `fn` keeps resident here before it first runs (ReRAM: the
  /// frozen weights its products read, from `paramValue`) and returns what
  /// that cost; a device that keeps nothing returns no cost. The schedule
  /// calls it at HpT's switch, so that the crossbars are programmed there.
  virtual OpCost load(const FunctionSpec &, const ParamValues &) { return {}; }
  /// Adds what a checkpoint must keep of the device (a ReRAM device's
  /// programmed cells, write counters and drift clock); nothing by default.
  virtual void saveState(Archive &) const {}
  /// Restores saveState's part of a checkpoint; throws Error naming `origin`
  /// when it does not fit the device.
  virtual void restoreState(const Archive &, const std::string &) {}
};

/// The devices of one hpt-run, by kind; the host is implicit.
class DeviceSet {
public:
  void add(std::unique_ptr<Device> device);
  /// The device of `kind`, or null.
  Device *find(hw::DeviceKind kind) const;
  /// Device::load on every device; the costs of those that wrote something.
  std::vector<std::pair<hw::DeviceKind, OpCost>> load(const FunctionSpec &fn,
                                                      const ParamValues &paramValue);
  /// Every device's part of a checkpoint (Device::saveState).
  void saveState(Archive &archive) const;
  void restoreState(const Archive &archive, const std::string &origin);

private:
  std::map<hw::DeviceKind, std::unique_ptr<Device>> devices;
};

} // namespace hpt::rt

#endif // HPT_RUNTIME_CORE_DEVICE_H
