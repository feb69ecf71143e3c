//===- EmulatedCuda.cpp - a CUDA driver and cuBLAS that run on the host ---===//
//
// hpt-run's CUDA device (runtime/gpu/CudaDevice.cpp), tested where there is
// no GPU: this library defines the driver-API and cuBLAS entry points hpt-run
// opens (HPT_CUDA_DRIVER and HPT_CUBLAS name it), with the toolkit's own
// declarations (cuda.h, cublas_api.h), so that a signature hpt-run's tables
// get wrong does not compile here.
//
// Memory is host memory, filled with NaN when allocated (a kernel that reads
// what nothing wrote shows), and every copy and product is checked against
// the allocation it touches. A module is the PTX or cubin hpt-run hands over
// (each function it asks for must be an entry of it) together with the same
// kernels compiled for the host (hpt-translate --hpt-to-gpu-host, llc; the
// library $HPT_EMULATED_GPU_KERNELS names): a launch calls the kernel's
// packed entry once per block and thread, in order. cuBLAS's sgemm is the
// column-major definition, summed in double and rounded once (a reference,
// not cuBLAS's order of operations).
//
// The GPU it reports: compute capability $HPT_EMULATED_GPU_ARCH (default
// 90), $HPT_EMULATED_GPU_MEMORY bytes (default 1 GiB), driver
// $HPT_EMULATED_DRIVER_VERSION (default 13000: 13.0), which JIT-compiles PTX
// up to the ISA its CUDA release introduced (8.x: CUDA 12.x, 9.x: 13.x) and
// refuses newer PTX as a driver does (CUDA_ERROR_UNSUPPORTED_PTX_VERSION).
// With HPT_EMULATED_GPU_SKIP=1 it computes nothing (launches and products
// return at once, memory starts zeroed, no host kernels are needed): what is
// left of a run is hpt-run's own host-side cost of driving the GPU
// (bench/gpu_host_overhead.sh).
//
//===----------------------------------------------------------------------===//

#include <cublas_api.h>
#include <cuda.h>
#include <dlfcn.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <string>

#define EXPORT extern "C" __attribute__((visibility("default")))

namespace {

using Packed = void (*)(void **, int64_t, int64_t);

struct Function {
  std::string name;
  Packed entry = nullptr;
};

struct Module {
  std::string image; ///< what hpt-run loaded: PTX text or the cubin's bytes
  bool ptx = false;
  void *kernels = nullptr; ///< the host build of the same kernels
  std::map<std::string, Function> functions;
};

struct Event {
  std::chrono::steady_clock::time_point at;
};

struct Gpu {
  bool skip = std::getenv("HPT_EMULATED_GPU_SKIP") != nullptr;
  int capability = 90;
  int driverVersion = 13000;
  uint64_t memory = 1ull << 30;
  uint64_t held = 0;
  std::map<uintptr_t, size_t> allocations; ///< start → bytes
  int primaryRetains = 0;

  Gpu() {
    if (const char *arch = std::getenv("HPT_EMULATED_GPU_ARCH"))
      capability = std::atoi(arch);
    if (const char *bytes = std::getenv("HPT_EMULATED_GPU_MEMORY"))
      memory = std::strtoull(bytes, nullptr, 10);
    if (const char *version = std::getenv("HPT_EMULATED_DRIVER_VERSION"))
      driverVersion = std::atoi(version);
  }

  /// Whether [pointer, pointer + bytes) lies inside one allocation.
  bool holds(uintptr_t pointer, size_t bytes) const {
    auto it = allocations.upper_bound(pointer);
    if (it == allocations.begin())
      return false;
    --it;
    return pointer + bytes <= it->first + it->second;
  }
};

Gpu &gpu() {
  static Gpu state;
  return state;
}

CUresult complain(CUresult result, const std::string &what) {
  std::fprintf(stderr, "emulated CUDA: %s\n", what.c_str());
  return result;
}

/// Bytes of an ELF image from its header (the section headers come last).
size_t elfBytes(const unsigned char *image) {
  uint64_t sectionHeaders = 0;
  uint16_t entrySize = 0, entries = 0;
  std::memcpy(&sectionHeaders, image + 0x28, 8);
  std::memcpy(&entrySize, image + 0x3a, 2);
  std::memcpy(&entries, image + 0x3c, 2);
  return size_t(sectionHeaders + uint64_t(entrySize) * entries);
}

bool defines(const Module &module, const std::string &name) {
  if (module.ptx)
    return module.image.find(".entry " + name + "(") != std::string::npos;
  const std::string symbol = std::string(1, '\0') + name + std::string(1, '\0');
  return module.image.find(symbol) != std::string::npos;
}

void writeLog(unsigned count, CUjit_option *options, void **values, const std::string &text) {
  char *buffer = nullptr;
  size_t bytes = 0;
  for (unsigned i = 0; i < count; ++i) {
    if (options[i] == CU_JIT_ERROR_LOG_BUFFER)
      buffer = static_cast<char *>(values[i]);
    if (options[i] == CU_JIT_ERROR_LOG_BUFFER_SIZE_BYTES)
      bytes = size_t(reinterpret_cast<uintptr_t>(values[i]));
  }
  if (buffer && bytes)
    std::snprintf(buffer, bytes, "%s", text.c_str());
}

} // namespace

//===----------------------------------------------------------------------===//
// Driver API
//===----------------------------------------------------------------------===//

EXPORT CUresult cuInit(unsigned) { return CUDA_SUCCESS; }

EXPORT CUresult cuDriverGetVersion(int *version) {
  *version = gpu().driverVersion;
  return CUDA_SUCCESS;
}

EXPORT CUresult cuDeviceGetCount(int *count) {
  *count = 1;
  return CUDA_SUCCESS;
}

EXPORT CUresult cuDeviceGet(CUdevice *device, int ordinal) {
  if (ordinal != 0)
    return CUDA_ERROR_INVALID_DEVICE;
  *device = 0;
  return CUDA_SUCCESS;
}

EXPORT CUresult cuDeviceGetName(char *name, int length, CUdevice) {
  std::snprintf(name, size_t(length), "hpt emulated GPU");
  return CUDA_SUCCESS;
}

EXPORT CUresult cuDeviceGetAttribute(int *value, CUdevice_attribute attribute, CUdevice) {
  if (attribute == CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR)
    *value = gpu().capability / 10;
  else if (attribute == CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR)
    *value = gpu().capability % 10;
  else
    return CUDA_ERROR_INVALID_VALUE;
  return CUDA_SUCCESS;
}

EXPORT CUresult cuDeviceTotalMem(size_t *bytes, CUdevice) {
  *bytes = size_t(gpu().memory);
  return CUDA_SUCCESS;
}

EXPORT CUresult cuGetErrorName(CUresult error, const char **name) {
  switch (error) {
  case CUDA_SUCCESS: *name = "CUDA_SUCCESS"; return CUDA_SUCCESS;
  case CUDA_ERROR_INVALID_VALUE: *name = "CUDA_ERROR_INVALID_VALUE"; return CUDA_SUCCESS;
  case CUDA_ERROR_OUT_OF_MEMORY: *name = "CUDA_ERROR_OUT_OF_MEMORY"; return CUDA_SUCCESS;
  case CUDA_ERROR_INVALID_IMAGE: *name = "CUDA_ERROR_INVALID_IMAGE"; return CUDA_SUCCESS;
  case CUDA_ERROR_INVALID_PTX: *name = "CUDA_ERROR_INVALID_PTX"; return CUDA_SUCCESS;
  case CUDA_ERROR_NOT_FOUND: *name = "CUDA_ERROR_NOT_FOUND"; return CUDA_SUCCESS;
  case CUDA_ERROR_UNSUPPORTED_PTX_VERSION:
    *name = "CUDA_ERROR_UNSUPPORTED_PTX_VERSION";
    return CUDA_SUCCESS;
  default: return CUDA_ERROR_INVALID_VALUE;
  }
}

EXPORT CUresult cuDevicePrimaryCtxRetain(CUcontext *context, CUdevice) {
  ++gpu().primaryRetains;
  *context = reinterpret_cast<CUcontext>(&gpu());
  return CUDA_SUCCESS;
}

EXPORT CUresult cuDevicePrimaryCtxRelease(CUdevice) {
  if (gpu().primaryRetains-- <= 0)
    return complain(CUDA_ERROR_INVALID_CONTEXT, "the primary context is released more often "
                                                "than retained");
  if (gpu().primaryRetains == 0 && !gpu().allocations.empty())
    return complain(CUDA_ERROR_INVALID_CONTEXT,
                    std::to_string(gpu().allocations.size()) +
                        " allocations outlive the context");
  return CUDA_SUCCESS;
}

EXPORT CUresult cuCtxSetCurrent(CUcontext) { return CUDA_SUCCESS; }

EXPORT CUresult cuMemGetInfo(size_t *free, size_t *total) {
  *free = size_t(gpu().memory - gpu().held);
  *total = size_t(gpu().memory);
  return CUDA_SUCCESS;
}

EXPORT CUresult cuModuleLoadDataEx(CUmodule *module, const void *image, unsigned count,
                                   CUjit_option *options, void **values) {
  const auto *bytes = static_cast<const unsigned char *>(image);
  auto loaded = std::make_unique<Module>();
  if (std::memcmp(bytes, "\x7f" "ELF", 4) == 0) {
    loaded->image.assign(reinterpret_cast<const char *>(bytes), elfBytes(bytes));
  } else {
    loaded->ptx = true;
    loaded->image = static_cast<const char *>(image);
    const size_t target = loaded->image.find(".target sm_");
    if (target == std::string::npos)
      return CUDA_ERROR_INVALID_PTX;
    const size_t isa = loaded->image.find(".version ");
    if (isa == std::string::npos)
      return CUDA_ERROR_INVALID_PTX;
    // PTX ISA 8.y came with CUDA 12.y, 9.y with 13.y.
    const int major = std::atoi(loaded->image.c_str() + isa + 9);
    const int minor = std::atoi(loaded->image.c_str() + loaded->image.find('.', isa + 9) + 1);
    if ((major + 4) * 1000 + minor * 10 > gpu().driverVersion)
      return CUDA_ERROR_UNSUPPORTED_PTX_VERSION;
    const int wanted = std::atoi(loaded->image.c_str() + target + 11);
    if (wanted > gpu().capability) {
      writeLog(count, options, values,
               "ptxas fatal: SM version specified by .target is higher than the GPU's");
      return CUDA_ERROR_INVALID_PTX;
    }
  }
  const char *path = std::getenv("HPT_EMULATED_GPU_KERNELS");
  if (gpu().skip) {
    *module = reinterpret_cast<CUmodule>(loaded.release());
    return CUDA_SUCCESS;
  }
  if (!path)
    return complain(CUDA_ERROR_INVALID_IMAGE, "HPT_EMULATED_GPU_KERNELS names no kernels");
  loaded->kernels = dlopen(path, RTLD_NOW | RTLD_LOCAL);
  if (!loaded->kernels)
    return complain(CUDA_ERROR_INVALID_IMAGE, std::string("cannot load the kernels: ") + dlerror());
  *module = reinterpret_cast<CUmodule>(loaded.release());
  return CUDA_SUCCESS;
}

EXPORT CUresult cuModuleUnload(CUmodule handle) {
  auto *module = reinterpret_cast<Module *>(handle);
  if (module->kernels)
    dlclose(module->kernels);
  delete module;
  return CUDA_SUCCESS;
}

EXPORT CUresult cuModuleGetFunction(CUfunction *function, CUmodule handle, const char *name) {
  auto &module = *reinterpret_cast<Module *>(handle);
  if (!defines(module, name))
    return complain(CUDA_ERROR_NOT_FOUND,
                    std::string("the module's ") + (module.ptx ? "PTX" : "cubin") +
                        " has no entry " + name);
  Function &f = module.functions[name];
  f.name = name;
  if (gpu().skip) {
    *function = reinterpret_cast<CUfunction>(&f);
    return CUDA_SUCCESS;
  }
  f.entry = reinterpret_cast<Packed>(dlsym(module.kernels, ("hpt_packed_" + f.name).c_str()));
  if (!f.entry)
    return complain(CUDA_ERROR_NOT_FOUND, "the host kernels have no " + f.name);
  *function = reinterpret_cast<CUfunction>(&f);
  return CUDA_SUCCESS;
}

EXPORT CUresult cuMemAlloc(CUdeviceptr *pointer, size_t bytes) {
  Gpu &g = gpu();
  if (bytes == 0)
    return CUDA_ERROR_INVALID_VALUE;
  if (g.held + bytes > g.memory)
    return CUDA_ERROR_OUT_OF_MEMORY;
  void *memory = std::aligned_alloc(256, (bytes + 255) / 256 * 256);
  if (!memory)
    return CUDA_ERROR_OUT_OF_MEMORY;
  std::memset(memory, g.skip ? 0 : 0xff, bytes); // NaN, as floats, unless nothing computes
  g.allocations[reinterpret_cast<uintptr_t>(memory)] = bytes;
  g.held += bytes;
  *pointer = reinterpret_cast<CUdeviceptr>(memory);
  return CUDA_SUCCESS;
}

EXPORT CUresult cuMemFree(CUdeviceptr pointer) {
  Gpu &g = gpu();
  auto it = g.allocations.find(uintptr_t(pointer));
  if (it == g.allocations.end())
    return complain(CUDA_ERROR_INVALID_VALUE, "cuMemFree of memory not allocated");
  g.held -= it->second;
  g.allocations.erase(it);
  std::free(reinterpret_cast<void *>(pointer));
  return CUDA_SUCCESS;
}

EXPORT CUresult cuMemcpyHtoDAsync(CUdeviceptr to, const void *from, size_t bytes, CUstream) {
  if (!gpu().holds(uintptr_t(to), bytes))
    return complain(CUDA_ERROR_INVALID_VALUE, "a copy to the GPU overruns its allocation");
  std::memcpy(reinterpret_cast<void *>(to), from, bytes);
  return CUDA_SUCCESS;
}

EXPORT CUresult cuMemcpyDtoHAsync(void *to, CUdeviceptr from, size_t bytes, CUstream) {
  if (!gpu().holds(uintptr_t(from), bytes))
    return complain(CUDA_ERROR_INVALID_VALUE, "a copy from the GPU overruns its allocation");
  std::memcpy(to, reinterpret_cast<const void *>(from), bytes);
  return CUDA_SUCCESS;
}

EXPORT CUresult cuMemcpyDtoDAsync(CUdeviceptr to, CUdeviceptr from, size_t bytes, CUstream) {
  if (!gpu().holds(uintptr_t(to), bytes) || !gpu().holds(uintptr_t(from), bytes))
    return complain(CUDA_ERROR_INVALID_VALUE, "a copy on the GPU overruns its allocation");
  std::memmove(reinterpret_cast<void *>(to), reinterpret_cast<const void *>(from), bytes);
  return CUDA_SUCCESS;
}

EXPORT CUresult cuLaunchKernel(CUfunction handle, unsigned gridX, unsigned gridY, unsigned gridZ,
                               unsigned blockX, unsigned blockY, unsigned blockZ,
                               unsigned sharedBytes, CUstream, void **params, void **extra) {
  const auto &f = *reinterpret_cast<const Function *>(handle);
  if (gridY != 1 || gridZ != 1 || blockY != 1 || blockZ != 1 || sharedBytes || extra ||
      gridX == 0 || blockX == 0 || blockX > 1024)
    return complain(CUDA_ERROR_INVALID_VALUE, f.name + ": a launch shape hpt's kernels never use");
  if (gpu().skip)
    return CUDA_SUCCESS;
  for (int64_t block = 0; block < int64_t(gridX); ++block)
    for (int64_t thread = 0; thread < int64_t(blockX); ++thread)
      f.entry(params, block, thread);
  return CUDA_SUCCESS;
}

EXPORT CUresult cuStreamCreate(CUstream *stream, unsigned) {
  *stream = reinterpret_cast<CUstream>(new int(0));
  return CUDA_SUCCESS;
}

EXPORT CUresult cuStreamDestroy(CUstream stream) {
  delete reinterpret_cast<int *>(stream);
  return CUDA_SUCCESS;
}

EXPORT CUresult cuStreamSynchronize(CUstream) { return CUDA_SUCCESS; }

EXPORT CUresult cuEventCreate(CUevent *event, unsigned) {
  *event = reinterpret_cast<CUevent>(new Event{});
  return CUDA_SUCCESS;
}

EXPORT CUresult cuEventRecord(CUevent event, CUstream) {
  reinterpret_cast<Event *>(event)->at = std::chrono::steady_clock::now();
  return CUDA_SUCCESS;
}

EXPORT CUresult cuEventSynchronize(CUevent) { return CUDA_SUCCESS; }

EXPORT CUresult cuEventElapsedTime(float *milliseconds, CUevent start, CUevent end) {
  *milliseconds = std::chrono::duration<float, std::milli>(
                      reinterpret_cast<Event *>(end)->at - reinterpret_cast<Event *>(start)->at)
                      .count();
  return CUDA_SUCCESS;
}

EXPORT CUresult cuEventDestroy(CUevent event) {
  delete reinterpret_cast<Event *>(event);
  return CUDA_SUCCESS;
}

//===----------------------------------------------------------------------===//
// cuBLAS
//===----------------------------------------------------------------------===//

EXPORT cublasStatus_t cublasCreate_v2(cublasHandle_t *handle) {
  *handle = reinterpret_cast<cublasHandle_t>(new cublasMath_t(CUBLAS_DEFAULT_MATH));
  return CUBLAS_STATUS_SUCCESS;
}

EXPORT cublasStatus_t cublasDestroy_v2(cublasHandle_t handle) {
  delete reinterpret_cast<cublasMath_t *>(handle);
  return CUBLAS_STATUS_SUCCESS;
}

EXPORT cublasStatus_t cublasSetStream_v2(cublasHandle_t, cudaStream_t) {
  return CUBLAS_STATUS_SUCCESS;
}

EXPORT cublasStatus_t cublasSetMathMode(cublasHandle_t handle, cublasMath_t mode) {
  // The emulation is fp32 only: a mode that would allow TF32 products is refused.
  if (mode != CUBLAS_DEFAULT_MATH && mode != CUBLAS_PEDANTIC_MATH)
    return CUBLAS_STATUS_NOT_SUPPORTED;
  *reinterpret_cast<cublasMath_t *>(handle) = mode;
  return CUBLAS_STATUS_SUCCESS;
}

namespace {

/// C = α·op(A)·op(B) + β·C, column-major, with every element each operand
/// reaches checked to lie in its allocation.
cublasStatus_t sgemm(cublasOperation_t transa, cublasOperation_t transb, int m, int n, int k,
                     float alpha, const float *a, int lda, const float *b, int ldb, float beta,
                     float *c, int ldc) {
  const bool ta = transa == CUBLAS_OP_T, tb = transb == CUBLAS_OP_T;
  if (m < 0 || n < 0 || k < 0 || lda < (ta ? k : m) || ldb < (tb ? n : k) || ldc < m)
    return CUBLAS_STATUS_INVALID_VALUE;
  auto reaches = [](const float *p, int ld, int rows, int columns) {
    return rows == 0 || columns == 0 ||
           gpu().holds(uintptr_t(p), (size_t(ld) * size_t(columns - 1) + size_t(rows)) * 4);
  };
  if (!reaches(a, lda, ta ? k : m, ta ? m : k) || !reaches(b, ldb, tb ? n : k, tb ? k : n) ||
      !reaches(c, ldc, m, n)) {
    std::fprintf(stderr, "emulated CUDA: an sgemm operand overruns its allocation\n");
    return CUBLAS_STATUS_INVALID_VALUE;
  }
  if (gpu().skip)
    return CUBLAS_STATUS_SUCCESS;
  for (int j = 0; j < n; ++j)
    for (int i = 0; i < m; ++i) {
      double sum = 0;
      for (int l = 0; l < k; ++l)
        sum += double(ta ? a[l + size_t(i) * lda] : a[i + size_t(l) * lda]) *
               double(tb ? b[j + size_t(l) * ldb] : b[l + size_t(j) * ldb]);
      float &out = c[i + size_t(j) * ldc];
      const float product = float(alpha * sum);
      out = beta == 0 ? product : product + beta * out; // β = 0 reads nothing
    }
  return CUBLAS_STATUS_SUCCESS;
}

} // namespace

EXPORT cublasStatus_t cublasSgemm_v2(cublasHandle_t, cublasOperation_t transa,
                                     cublasOperation_t transb, int m, int n, int k,
                                     const float *alpha, const float *a, int lda, const float *b,
                                     int ldb, const float *beta, float *c, int ldc) {
  return sgemm(transa, transb, m, n, k, *alpha, a, lda, b, ldb, *beta, c, ldc);
}

EXPORT cublasStatus_t cublasSgemmStridedBatched(cublasHandle_t, cublasOperation_t transa,
                                                cublasOperation_t transb, int m, int n, int k,
                                                const float *alpha, const float *a, int lda,
                                                long long strideA, const float *b, int ldb,
                                                long long strideB, const float *beta, float *c,
                                                int ldc, long long strideC, int batches) {
  for (int i = 0; i < batches; ++i)
    if (cublasStatus_t s = sgemm(transa, transb, m, n, k, *alpha, a + i * strideA, lda,
                                 b + i * strideB, ldb, *beta, c + i * strideC, ldc);
        s != CUBLAS_STATUS_SUCCESS)
      return s;
  return CUBLAS_STATUS_SUCCESS;
}
