//===- CudaDriver.h - the CUDA driver, opened at run time --------*- C++ -*-===//
//
// hpt-run builds and runs on machines without CUDA: it opens the driver
// (libcuda.so.1, or the library $HPT_CUDA_DRIVER names) with dlopen and
// resolves the entry points it uses (CudaApi.h), so that nothing links
// against CUDA. A machine without a driver, with the toolkit's stub library
// (CI's), without a device, or with a driver too old for them gets a
// sentence saying which, and hpt-run runs the GPU's ops on the host
// (docs/gpu.md).
//
//===----------------------------------------------------------------------===//

#ifndef HPT_RUNTIME_GPU_CUDADRIVER_H
#define HPT_RUNTIME_GPU_CUDADRIVER_H

#include "runtime/gpu/CudaApi.h"
#include "runtime/gpu/SharedLibrary.h"

#include <cstdint>
#include <memory>
#include <string>

namespace hpt::rt {

/// The GPU the driver reports as device 0.
struct CudaGpu {
  std::string name;
  int major = 0, minor = 0;  ///< compute capability
  uint64_t memoryBytes = 0;
  int driverVersion = 0;     ///< e.g. 13000 for CUDA 13.0
  /// "sm_90" for compute capability 9.0.
  std::string arch() const;
  /// "NVIDIA H200 (sm_90, 140 GiB, driver 13.0)".
  std::string describe() const;
};

class CudaDriver {
public:
  /// The driver, initialised, and its first GPU; null with `why` set when
  /// there is none to use.
  static std::unique_ptr<CudaDriver> open(std::string &why);

  const CudaGpu &gpu() const { return device; }
  cuda::Device ordinal() const { return handle; }
  const cuda::DriverApi &api() const { return calls; }
  /// "cuMemAlloc returned CUDA_ERROR_OUT_OF_MEMORY (2)".
  std::string failure(const char *call, cuda::Result result) const;
  /// Throws Error(failure(call, result)) unless `result` is success.
  void check(cuda::Result result, const char *call) const;

private:
  explicit CudaDriver(SharedLibrary library) : library(std::move(library)) {}
  bool resolveAll(std::string &why);

  SharedLibrary library;
  cuda::DriverApi calls{};
  cuda::Device handle = 0;
  CudaGpu device;
};

} // namespace hpt::rt

#endif // HPT_RUNTIME_GPU_CUDADRIVER_H
