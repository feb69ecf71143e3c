//===- CudaDriver.cpp - the CUDA driver, opened at run time ---------------===//

#include "runtime/gpu/CudaDriver.h"

#include <dlfcn.h>

#include <cstdlib>

namespace hpt::rt {

namespace {

// The driver API's types and the few entry points the probe uses, declared
// here (cuda.h's values) so that the runtime builds without the toolkit.
using CUresult = int;
using CUdevice = int;
constexpr CUresult kSuccess = 0;
constexpr int kComputeCapabilityMajor = 75; // CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR
constexpr int kComputeCapabilityMinor = 76; // CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR

struct ProbeApi {
  CUresult (*init)(unsigned);
  CUresult (*driverGetVersion)(int *);
  CUresult (*deviceGetCount)(int *);
  CUresult (*deviceGet)(CUdevice *, int);
  CUresult (*deviceGetName)(char *, int, CUdevice);
  CUresult (*deviceGetAttribute)(int *, int, CUdevice);
  CUresult (*deviceTotalMem)(size_t *, CUdevice);
  CUresult (*getErrorName)(CUresult, const char **);
};

template <typename Fn>
bool resolve(void *library, const char *symbol, Fn &fn, std::string &why) {
  fn = reinterpret_cast<Fn>(dlsym(library, symbol));
  if (!fn)
    why = cudaDriverLibrary() + " has no " + symbol + " (not a CUDA driver?)";
  return fn != nullptr;
}

/// "cuInit returned CUDA_ERROR_NO_DEVICE (100)". The toolkit's stub
/// library names no errors: the codes a probe meets are named here.
std::string failure(const ProbeApi &api, const char *call, CUresult result) {
  const char *name = nullptr;
  if (api.getErrorName(result, &name) != kSuccess || !name)
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

} // namespace

std::string CudaGpu::arch() const { return "sm_" + std::to_string(major * 10 + minor); }

std::string cudaDriverLibrary() {
  const char *chosen = std::getenv("HPT_CUDA_DRIVER");
  return chosen && *chosen ? chosen : "libcuda.so.1";
}

std::unique_ptr<CudaDriver> CudaDriver::open(std::string &why) {
  const std::string path = cudaDriverLibrary();
  void *library = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!library) {
    const char *error = dlerror();
    why = "cannot load the CUDA driver " + path + (error ? std::string(": ") + error : "");
    return nullptr;
  }
  std::unique_ptr<CudaDriver> driver(new CudaDriver(library));
  ProbeApi api{};
  if (!resolve(library, "cuInit", api.init, why) ||
      !resolve(library, "cuDriverGetVersion", api.driverGetVersion, why) ||
      !resolve(library, "cuDeviceGetCount", api.deviceGetCount, why) ||
      !resolve(library, "cuDeviceGet", api.deviceGet, why) ||
      !resolve(library, "cuDeviceGetName", api.deviceGetName, why) ||
      !resolve(library, "cuDeviceGetAttribute", api.deviceGetAttribute, why) ||
      !resolve(library, "cuDeviceTotalMem_v2", api.deviceTotalMem, why) ||
      !resolve(library, "cuGetErrorName", api.getErrorName, why))
    return nullptr;
  if (CUresult r = api.init(0); r != kSuccess) {
    why = path + ": " + failure(api, "cuInit", r);
    return nullptr;
  }
  int count = 0;
  if (CUresult r = api.deviceGetCount(&count); r != kSuccess || count == 0) {
    why = path + ": " + (r != kSuccess ? failure(api, "cuDeviceGetCount", r) : "no CUDA device");
    return nullptr;
  }
  CUdevice device = 0;
  char name[256] = {};
  size_t memory = 0;
  CudaGpu &gpu = driver->device;
  if (CUresult r = api.deviceGet(&device, 0); r != kSuccess) {
    why = path + ": " + failure(api, "cuDeviceGet", r);
    return nullptr;
  }
  if (CUresult r = api.deviceGetName(name, sizeof(name) - 1, device); r != kSuccess) {
    why = path + ": " + failure(api, "cuDeviceGetName", r);
    return nullptr;
  }
  api.deviceGetAttribute(&gpu.major, kComputeCapabilityMajor, device);
  api.deviceGetAttribute(&gpu.minor, kComputeCapabilityMinor, device);
  api.deviceTotalMem(&memory, device);
  api.driverGetVersion(&gpu.driverVersion);
  gpu.name = name;
  gpu.memoryBytes = memory;
  return driver;
}

CudaDriver::~CudaDriver() { dlclose(library); }

} // namespace hpt::rt
