//===- RooflineDevice.h - a described GPU, modelled by its roofline -*- C++ -*-===//
//
// hpt-run's GPU where no GPU runs the ops (all of them until the CUDA
// device exists): the host computes every op placed on the GPU, and the
// device charges what the description's GPU would take by its roofline
// (hardware/Cost.h, gpuEstimate: the same function hpt-partition costs the
// GPU with). Every figure it reports is modelled.
//
//===----------------------------------------------------------------------===//

#ifndef HPT_RUNTIME_GPU_ROOFLINEDEVICE_H
#define HPT_RUNTIME_GPU_ROOFLINEDEVICE_H

#include "runtime/core/Device.h"

namespace hpt::rt {

class RooflineGpuDevice : public Device {
public:
  /// Throws Error when the bundle's description has no gpu section.
  explicit RooflineGpuDevice(const Bundle &bundle);

  hw::DeviceKind kind() const override { return hw::DeviceKind::Gpu; }
  bool computes(const FunctionSpec &, size_t) const override { return false; }
  void accept(const FunctionSpec &, size_t, const std::string &) const override {}
  OpCost run(const FunctionSpec &fn, size_t index, const Tensors &tensors) override;

private:
  hw::gpu::GpuModel gpu;
};

} // namespace hpt::rt

#endif // HPT_RUNTIME_GPU_ROOFLINEDEVICE_H
