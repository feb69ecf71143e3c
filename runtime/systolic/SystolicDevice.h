//===- SystolicDevice.h - the systolic array as an hpt-run device -*- C++ -*-===//
//
// Runs the ops a bundle places on the systolic array through the simulator:
// each op's stream (from the bundle's systolic section) on DRAM regions that
// hold the op's tensors where its bindings say: the operands, results,
// dropout's noise, an optimizer's parameter, state and coefficients.
// Functional mode computes the results from the stream (so a model trained
// this way really trains on the simulated array); timing-only mode charges
// the stream's cycles while the host computes. Either way the op's tensors
// are charged as moved between host and device memory (bytes in and out).
//
// On an fp32 array the simulator reads and writes the host's buffers in
// place (mapped into its DRAM regions: the same numbers as a copy in and
// out, without the copies). On an int8 array a product's operands are
// quantised per tensor (hardware/systolic/Quantize.h) into the device's own
// buffers and its int32 result scaled back; an int8 array runs products only.
//
//===----------------------------------------------------------------------===//

#ifndef HPT_RUNTIME_SYSTOLIC_SYSTOLICDEVICE_H
#define HPT_RUNTIME_SYSTOLIC_SYSTOLICDEVICE_H

#include "runtime/core/Device.h"
#include "runtime/systolic/Simulator.h"

#include <list>

namespace hpt::rt {

/// Functional: results from the simulator (a planned stream computed whole,
/// the same bits as walking it); Instructions: every stream walked
/// instruction by instruction; Timing: the host computes, the stream's
/// cycles are charged.
enum class SimMode { Functional, Instructions, Timing };

class SystolicDevice : public Device {
public:
  /// Needs the bundle's hardware description (its systolic section) and
  /// systolic sections; throws Error otherwise.
  SystolicDevice(const Bundle &bundle, SimMode mode, MemoryLimit limit = {});

  hw::DeviceKind kind() const override { return hw::DeviceKind::Systolic; }
  bool computes(const FunctionSpec &, size_t) const override { return mode != SimMode::Timing; }
  void accept(const FunctionSpec &fn, size_t index, const std::string &where) const override;
  OpCost run(const FunctionSpec &fn, size_t index, const Tensors &tensors) override;

private:
  OpCost costOf(const systolic::Report &report) const;
  /// Maps the op's tensors into the simulator's DRAM regions; returns the
  /// scale an int8 array's result is multiplied by (1 on an fp32 array): the
  /// product of the operands' per-tensor scales (systolic/Quantize.h).
  double map(const SystolicOp &op, const Tensors &tensors, bool int8, const std::string &where);
  /// The host buffer of a binding (an optimizer's coefficient block is laid
  /// out here, into `coefficients`).
  float *hostTensor(const DramBinding &binding, const Tensors &tensors, const std::string &where);

  /// An int8 result: the device's words, scaled back into the host's tensor.
  struct Drain {
    const float *from;
    float *to;
    uint64_t words;
  };

  const Bundle &bundle;
  SimMode mode;
  MemoryLimit limit;
  hw::SystolicModel model;
  /// A stream's counts from a timing-only run, computed once: what timing
  /// mode charges, and what a planned functional run reports.
  const systolic::Report &counted(size_t stream);

  std::vector<std::optional<systolic::Report>> timing; ///< per stream
  systolic::Simulator simulator;        ///< functional: the array, its SRAMs kept
  std::list<std::vector<float>> owned;  ///< int8: the running op's quantised tensors
  std::vector<float> coefficients;      ///< an optimizer step's coefficient block
  std::vector<Drain> drains;
};

} // namespace hpt::rt

#endif // HPT_RUNTIME_SYSTOLIC_SYSTOLICDEVICE_H
