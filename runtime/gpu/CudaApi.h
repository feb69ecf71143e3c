//===- CudaApi.h - the CUDA entry points hpt-run calls, as pointers -*- C++ -*-===//
//
// hpt-run builds without the CUDA toolkit and runs without a GPU: it opens
// the driver (libcuda.so.1), cuBLAS and NVML at run time and calls them
// through these tables. The types and values are cuda.h's, cublas_api.h's
// and nvml.h's (the ABI), declared here so that nothing includes them.
//
//===----------------------------------------------------------------------===//

#ifndef HPT_RUNTIME_GPU_CUDAAPI_H
#define HPT_RUNTIME_GPU_CUDAAPI_H

#include <cstddef>
#include <cstdint>

namespace hpt::rt::cuda {

using Result = int; ///< CUresult
using Device = int; ///< CUdevice
using DevicePtr = unsigned long long; ///< CUdeviceptr
using Context = struct CUctx_st *;
using Module = struct CUmod_st *;
using Function = struct CUfunc_st *;
using Stream = struct CUstream_st *;
using Event = struct CUevent_st *;

constexpr Result kSuccess = 0;
constexpr Result kOutOfMemory = 2; ///< CUDA_ERROR_OUT_OF_MEMORY
constexpr int kComputeCapabilityMajor = 75; ///< CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR
constexpr int kComputeCapabilityMinor = 76; ///< CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR
constexpr int kJitErrorLogBuffer = 5;       ///< CU_JIT_ERROR_LOG_BUFFER
constexpr int kJitErrorLogBufferBytes = 6;  ///< CU_JIT_ERROR_LOG_BUFFER_SIZE_BYTES
constexpr unsigned kStreamNonBlocking = 1;  ///< CU_STREAM_NON_BLOCKING

/// The driver API (cuda.h; the names are the symbols, _v2 where cuda.h
/// maps to it).
struct DriverApi {
  Result (*init)(unsigned);                                    // cuInit
  Result (*driverGetVersion)(int *);                           // cuDriverGetVersion
  Result (*deviceGetCount)(int *);                             // cuDeviceGetCount
  Result (*deviceGet)(Device *, int);                          // cuDeviceGet
  Result (*deviceGetName)(char *, int, Device);                // cuDeviceGetName
  Result (*deviceGetAttribute)(int *, int, Device);            // cuDeviceGetAttribute
  Result (*deviceTotalMem)(size_t *, Device);                  // cuDeviceTotalMem_v2
  Result (*getErrorName)(Result, const char **);               // cuGetErrorName
  Result (*primaryCtxRetain)(Context *, Device);               // cuDevicePrimaryCtxRetain
  Result (*primaryCtxRelease)(Device);                         // cuDevicePrimaryCtxRelease_v2
  Result (*ctxSetCurrent)(Context);                            // cuCtxSetCurrent
  Result (*memGetInfo)(size_t *, size_t *);                    // cuMemGetInfo_v2
  // cuModuleLoadDataEx
  Result (*moduleLoadDataEx)(Module *, const void *, unsigned, int *, void **);
  Result (*moduleUnload)(Module);                              // cuModuleUnload
  Result (*moduleGetFunction)(Function *, Module, const char *); // cuModuleGetFunction
  Result (*memAlloc)(DevicePtr *, size_t);                     // cuMemAlloc_v2
  Result (*memFree)(DevicePtr);                                // cuMemFree_v2
  Result (*memcpyHtoDAsync)(DevicePtr, const void *, size_t, Stream); // cuMemcpyHtoDAsync_v2
  Result (*memcpyDtoHAsync)(void *, DevicePtr, size_t, Stream);       // cuMemcpyDtoHAsync_v2
  Result (*memcpyDtoDAsync)(DevicePtr, DevicePtr, size_t, Stream);    // cuMemcpyDtoDAsync_v2
  Result (*launchKernel)(Function, unsigned, unsigned, unsigned, unsigned, unsigned, unsigned,
                         unsigned, Stream, void **, void **);  // cuLaunchKernel
  Result (*streamCreate)(Stream *, unsigned);                  // cuStreamCreate
  Result (*streamDestroy)(Stream);                             // cuStreamDestroy_v2
  Result (*streamSynchronize)(Stream);                         // cuStreamSynchronize
  Result (*eventCreate)(Event *, unsigned);                    // cuEventCreate
  Result (*eventRecord)(Event, Stream);                        // cuEventRecord
  Result (*eventSynchronize)(Event);                           // cuEventSynchronize
  Result (*eventElapsedTime)(float *, Event, Event);           // cuEventElapsedTime(_v2)
  Result (*eventDestroy)(Event);                               // cuEventDestroy_v2
};

/// cuBLAS (cublas_api.h), for sgemm and its strided batches.
namespace blas {
using Status = int; ///< cublasStatus_t
using Handle = struct cublasContext *;
constexpr Status kSuccess = 0;
constexpr int kOpN = 0, kOpT = 1;   ///< CUBLAS_OP_N, CUBLAS_OP_T
constexpr int kDefaultMath = 0;     ///< CUBLAS_DEFAULT_MATH: full fp32, no TF32
} // namespace blas

struct BlasApi {
  blas::Status (*create)(blas::Handle *);         // cublasCreate_v2
  blas::Status (*destroy)(blas::Handle);          // cublasDestroy_v2
  blas::Status (*setStream)(blas::Handle, Stream); // cublasSetStream_v2
  blas::Status (*setMathMode)(blas::Handle, int); // cublasSetMathMode
  blas::Status (*sgemm)(blas::Handle, int, int, int, int, int, const float *, const float *,
                        int, const float *, int, const float *, float *, int); // cublasSgemm_v2
  blas::Status (*sgemmStridedBatched)(blas::Handle, int, int, int, int, int, const float *,
                                      const float *, int, long long, const float *, int,
                                      long long, const float *, float *, int, long long,
                                      int); // cublasSgemmStridedBatched
};

/// NVML (nvml.h), for the GPU's energy counter.
using NvmlDevice = struct nvmlDevice_st *;
struct NvmlApi {
  int (*init)();                                              // nvmlInit_v2
  int (*shutdown)();                                          // nvmlShutdown
  int (*deviceGetHandleByIndex)(unsigned, NvmlDevice *);      // nvmlDeviceGetHandleByIndex_v2
  int (*deviceGetTotalEnergyConsumption)(NvmlDevice, unsigned long long *); // millijoules
};

} // namespace hpt::rt::cuda

#endif // HPT_RUNTIME_GPU_CUDAAPI_H
