//===- CudaDevice.h - the GPU ops run on a CUDA GPU --------------*- C++ -*-===//
//
// hpt-run's GPU where a CUDA GPU and the bundle's compiled kernels are there
// (docs/gpu.md): each op the GPU section lists runs as its kernel's
// launches (cuLaunchKernel, arguments bound as the kernel's bindings say)
// or a cuBLAS sgemm, on one stream. Tensors stay in GPU memory between ops;
// only values read elsewhere (Residency::readElsewhere) are copied back.
// Parameters and optimizer state stay resident across steps: a parameter is
// uploaded again only when the host has written it since, and after each
// update on the GPU the host's copies are refreshed, so that checkpoints,
// evaluation and the phase switch read current values. Ops without GPU code
// (parameter reads, reshapes, learning rates) run on the host.
//
// Costs: the description's roofline (modelled, as RooflineGpuDevice), and
// when profiling each op's time between two CUDA events (measured, the
// count `gpu_event_ns`); the GPU's energy over the run from NVML's counter
// (measured) when NVML is there.
//
//===----------------------------------------------------------------------===//

#ifndef HPT_RUNTIME_GPU_CUDADEVICE_H
#define HPT_RUNTIME_GPU_CUDADEVICE_H

#include "runtime/core/Device.h"
#include "runtime/gpu/CudaDriver.h"
#include "runtime/gpu/RooflineDevice.h"

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace hpt::rt {

struct CudaDeviceOptions {
  /// Bytes of GPU memory hpt-run may allocate (--gpu-mem-limit); the GPU's
  /// own limit applies as well.
  uint64_t memoryLimit = UINT64_MAX;
};

/// What the GPU measured over a run.
struct CudaMeasurements {
  double eventSeconds = 0;            ///< sum of the ops' CUDA-event times (profiling)
  std::optional<double> joules;       ///< NVML's energy counter's difference
  std::string energyUnavailable;      ///< why joules is empty
  uint64_t peakBytes = 0;             ///< GPU memory hpt-run held at most
  uint64_t bytesToGpu = 0, bytesFromGpu = 0; ///< copied between host and GPU
};

class CudaDevice : public Device {
public:
  /// Opens cuBLAS (HPT_CUBLAS, else libcublas.so.13, .12) and NVML, and
  /// loads the bundle's kernels: the cubin for the GPU's architecture, else
  /// the PTX through the driver's JIT. Throws Error saying why the GPU
  /// cannot run them (the caller falls back to the roofline).
  CudaDevice(const Bundle &bundle, std::unique_ptr<CudaDriver> driver,
             const CudaDeviceOptions &options);
  ~CudaDevice() override;
  CudaDevice(const CudaDevice &) = delete;
  CudaDevice &operator=(const CudaDevice &) = delete;

  hw::DeviceKind kind() const override { return hw::DeviceKind::Gpu; }
  bool computes(const FunctionSpec &fn, size_t index) const override;
  bool drawsDropout() const override { return true; }
  bool ownMemory() const override { return true; }
  void accept(const FunctionSpec &, size_t, const std::string &) const override {}
  OpCost run(const FunctionSpec &fn, size_t index, const Tensors &tensors) override;
  void finish() override;

  const CudaGpu &gpu() const { return driver->gpu(); }
  /// "the cubin for sm_90", "the PTX for sm_80, compiled by the driver for sm_86".
  const std::string &image() const { return loaded; }
  CudaMeasurements measurements() const;

private:
  struct Impl;
  std::unique_ptr<CudaDriver> driver;
  std::unique_ptr<Impl> impl;
  std::string loaded;
};

} // namespace hpt::rt

#endif // HPT_RUNTIME_GPU_CUDADEVICE_H
