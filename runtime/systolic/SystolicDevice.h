//===- SystolicDevice.h - the systolic array as an hpt-run device -*- C++ -*-===//
//
// Runs the ops a bundle places on the systolic array through the simulator:
// each op's stream (from the bundle's systolic section) on DRAM regions the
// device owns, filled from and drained to the host's tensors as the op's
// bindings say. Functional mode computes the results from the stream (so a
// model trained this way really trains on the simulated array); timing-only
// mode charges the stream's cycles while the host computes. On an int8 array
// a product's operands are quantised per tensor (hardware/systolic/Quantize.h)
// and its int32 result scaled back; an int8 array runs products only.
//
//===----------------------------------------------------------------------===//

#ifndef HPT_RUNTIME_SYSTOLIC_SYSTOLICDEVICE_H
#define HPT_RUNTIME_SYSTOLIC_SYSTOLICDEVICE_H

#include "runtime/core/Device.h"
#include "runtime/systolic/Simulator.h"

namespace hpt::rt {

enum class SimMode { Functional, Timing };

class SystolicDevice : public Device {
public:
  /// Needs the bundle's hardware description (its systolic section) and
  /// systolic sections; throws Error otherwise.
  SystolicDevice(const Bundle &bundle, SimMode mode, MemoryLimit limit = {});

  hw::DeviceKind kind() const override { return hw::DeviceKind::Systolic; }
  bool computes() const override { return mode == SimMode::Functional; }
  void accept(const FunctionSpec &fn, size_t index, const std::string &where) const override;
  OpCost run(const FunctionSpec &fn, size_t index, const Tensors &tensors) override;

private:
  OpCost costOf(const systolic::Report &report) const;
  /// The scale an int8 array's result is multiplied by (1 on an fp32 array):
  /// the product of the operands' per-tensor scales (systolic/Quantize.h).
  double fill(const SystolicOp &op, const Tensors &tensors, systolic::Simulator &sim,
              const systolic::Stream &stream, OpCost &cost);
  void drain(const SystolicOp &op, const Tensors &tensors, const systolic::Simulator &sim,
             double scale, OpCost &cost) const;

  const Bundle &bundle;
  SimMode mode;
  MemoryLimit limit;
  hw::SystolicModel model;
  std::vector<systolic::Report> timing; ///< timing mode: per stream, computed once
  systolic::Simulator simulator;        ///< functional: the array, its SRAMs kept
  std::vector<double> regions[3];       ///< DRAM storage, reused from op to op
};

} // namespace hpt::rt

#endif // HPT_RUNTIME_SYSTOLIC_SYSTOLICDEVICE_H
