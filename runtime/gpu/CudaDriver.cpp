//===- CudaDriver.cpp - the CUDA driver, opened at run time ---------------===//

#include "runtime/gpu/CudaDriver.h"

#include "runtime/core/Error.h"

#include <cstdio>

namespace hpt::rt {

std::string CudaGpu::arch() const { return "sm_" + std::to_string(major * 10 + minor); }

std::string CudaGpu::describe() const {
  char text[384];
  std::snprintf(text, sizeof(text), "%s (%s, %.0f GiB, driver %d.%d)", name.c_str(),
                arch().c_str(), double(memoryBytes) / double(1ull << 30), driverVersion / 1000,
                driverVersion % 1000 / 10);
  return text;
}


/// The toolkit's stub library names no errors: the codes a probe meets are
/// named here.
std::string CudaDriver::failure(const char *call, cuda::Result result) const {
  const char *name = nullptr;
  if (calls.getErrorName(result, &name) != cuda::kSuccess || !name)
    switch (result) {
    case 34:
      name = "CUDA_ERROR_STUB_LIBRARY: the toolkit's stub, not a driver";
      break;
    case 35:
      name = "CUDA_ERROR_INSUFFICIENT_DRIVER";
      break;
    case 100:
      name = "CUDA_ERROR_NO_DEVICE";
      break;
    default:
      name = "an error the driver does not name";
    }
  return std::string(call) + " returned " + name + " (" + std::to_string(result) + ")";
}

void CudaDriver::check(cuda::Result result, const char *call) const {
  if (result != cuda::kSuccess)
    throw Error(library.name() + ": " + failure(call, result));
}

bool CudaDriver::resolveAll(std::string &why) {
  cuda::DriverApi &a = calls;
  // A driver that lacks one of these is older than CUDA 12.
  return library.resolve(a.init, why, {"cuInit"}) &&
         library.resolve(a.driverGetVersion, why, {"cuDriverGetVersion"}) &&
         library.resolve(a.deviceGetCount, why, {"cuDeviceGetCount"}) &&
         library.resolve(a.deviceGet, why, {"cuDeviceGet"}) &&
         library.resolve(a.deviceGetName, why, {"cuDeviceGetName"}) &&
         library.resolve(a.deviceGetAttribute, why, {"cuDeviceGetAttribute"}) &&
         library.resolve(a.deviceTotalMem, why, {"cuDeviceTotalMem_v2"}) &&
         library.resolve(a.getErrorName, why, {"cuGetErrorName"}) &&
         library.resolve(a.primaryCtxRetain, why, {"cuDevicePrimaryCtxRetain"}) &&
         library.resolve(a.primaryCtxRelease, why, {"cuDevicePrimaryCtxRelease_v2"}) &&
         library.resolve(a.ctxSetCurrent, why, {"cuCtxSetCurrent"}) &&
         library.resolve(a.memGetInfo, why, {"cuMemGetInfo_v2"}) &&
         library.resolve(a.moduleLoadDataEx, why, {"cuModuleLoadDataEx"}) &&
         library.resolve(a.moduleUnload, why, {"cuModuleUnload"}) &&
         library.resolve(a.moduleGetFunction, why, {"cuModuleGetFunction"}) &&
         library.resolve(a.memAlloc, why, {"cuMemAlloc_v2"}) &&
         library.resolve(a.memFree, why, {"cuMemFree_v2"}) &&
         library.resolve(a.memcpyHtoDAsync, why, {"cuMemcpyHtoDAsync_v2"}) &&
         library.resolve(a.memcpyDtoHAsync, why, {"cuMemcpyDtoHAsync_v2"}) &&
         library.resolve(a.memcpyDtoDAsync, why, {"cuMemcpyDtoDAsync_v2"}) &&
         library.resolve(a.launchKernel, why, {"cuLaunchKernel"}) &&
         library.resolve(a.streamCreate, why, {"cuStreamCreate"}) &&
         library.resolve(a.streamDestroy, why, {"cuStreamDestroy_v2"}) &&
         library.resolve(a.streamSynchronize, why, {"cuStreamSynchronize"}) &&
         library.resolve(a.eventCreate, why, {"cuEventCreate"}) &&
         library.resolve(a.eventRecord, why, {"cuEventRecord"}) &&
         library.resolve(a.eventSynchronize, why, {"cuEventSynchronize"}) &&
         library.resolve(a.eventElapsedTime, why,
                         {"cuEventElapsedTime_v2", "cuEventElapsedTime"}) &&
         library.resolve(a.eventDestroy, why, {"cuEventDestroy_v2"});
}

std::unique_ptr<CudaDriver> CudaDriver::open(std::string &why) {
  SharedLibrary library(libraryCandidates("HPT_CUDA_DRIVER", {"libcuda.so.1"}).front(), why,
                        "the CUDA driver ");
  if (!library.valid())
    return nullptr;
  std::unique_ptr<CudaDriver> driver(new CudaDriver(std::move(library)));
  if (!driver->resolveAll(why)) {
    why += " (not a CUDA driver, or one older than CUDA 12)";
    return nullptr;
  }
  const cuda::DriverApi &api = driver->calls;
  const std::string &path = driver->library.name();
  if (cuda::Result r = api.init(0); r != cuda::kSuccess) {
    why = path + ": " + driver->failure("cuInit", r);
    return nullptr;
  }
  int count = 0;
  if (cuda::Result r = api.deviceGetCount(&count); r != cuda::kSuccess || count == 0) {
    why = path + ": " +
          (r != cuda::kSuccess ? driver->failure("cuDeviceGetCount", r) : "no CUDA device");
    return nullptr;
  }
  char name[256] = {};
  size_t memory = 0;
  CudaGpu &gpu = driver->device;
  if (cuda::Result r = api.deviceGet(&driver->handle, 0); r != cuda::kSuccess) {
    why = path + ": " + driver->failure("cuDeviceGet", r);
    return nullptr;
  }
  if (cuda::Result r = api.deviceGetName(name, sizeof(name) - 1, driver->handle);
      r != cuda::kSuccess) {
    why = path + ": " + driver->failure("cuDeviceGetName", r);
    return nullptr;
  }
  api.deviceGetAttribute(&gpu.major, cuda::kComputeCapabilityMajor, driver->handle);
  api.deviceGetAttribute(&gpu.minor, cuda::kComputeCapabilityMinor, driver->handle);
  api.deviceTotalMem(&memory, driver->handle);
  api.driverGetVersion(&gpu.driverVersion);
  gpu.name = name;
  gpu.memoryBytes = memory;
  return driver;
}

} // namespace hpt::rt
