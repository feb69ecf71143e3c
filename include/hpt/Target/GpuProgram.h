//===- GpuProgram.h - the GPU kernels of a module, lowered to PTX -*- C++ -*-===//
//
// convert-hpt-to-gpu leaves the kernels of GPU-placed ops as linalg on
// tensors in @hpt_gpu. This lowers them the rest of the way:
//   1. one-shot bufferization, in place on the kernels' arguments;
//   2. linalg to parallel loops;
//   3. every top-level parallel loop nest becomes a gpu.func that one thread
//      per iteration runs (flattened, `blockSize` threads per block, a guard
//      for the last block); the ops between them run in a one-thread gpu.func;
//      each kernel's func.func is left as the sequence of gpu.launch_func it
//      makes, every launch taking all of the kernel's arguments (the GPU-level
//      IR, `hpt-translate --hpt-to-gpu-ir`);
//   4. NVVM and LLVM's NVPTX backend: PTX for `chip` (`--hpt-to-ptx`);
//   5. ptxas: a cubin per architecture.
// The thread mapping is deliberately plain (a thread per output element or
// per row of a reduction); docs/gpu.md says what it costs.
//
//===----------------------------------------------------------------------===//

#ifndef HPT_TARGET_GPUPROGRAM_H
#define HPT_TARGET_GPUPROGRAM_H

#include "hardware/gpu/Launch.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/OwningOpRef.h"

#include <cstdint>
#include <string>
#include <vector>

namespace hpt {

struct GpuTargetOptions {
  int64_t blockSize = 256;       ///< threads per block
  std::string chip = "sm_80";    ///< the PTX's target (the driver JITs it for newer GPUs)
  std::string features = "+ptx80";
  std::vector<std::string> cubinArchs = {"sm_80", "sm_90"};
  /// ptxas; empty: $HPT_PTXAS, then the toolkit's ($HPT_CUDA_TOOLKIT, else
  /// /usr/local/cuda, which also gives libdevice), then PATH.
  std::string ptxas;
};

/// A kernel of @hpt_gpu as the GPU runs it: its launches, in order.
struct GpuKernelLaunches {
  std::string kernel;
  std::vector<hw::gpu::Launch> launches;
};

struct GpuProgram {
  std::string ptx; ///< for the driver's JIT
  std::vector<std::pair<std::string, std::string>> cubins; ///< (arch, ELF)
  std::vector<GpuKernelLaunches> kernels;
};

/// What the lowering needs registered (dialects, bufferization and LLVM
/// conversion interfaces, the NVVM target).
void registerGpuLowering(mlir::DialectRegistry &registry);

/// Steps 1-2, then the LLVM dialect for the host (bare-pointer arguments):
/// the kernels' semantics, for MLIR's ExecutionEngine, without the thread
/// mapping.
mlir::FailureOr<mlir::OwningOpRef<mlir::ModuleOp>> lowerKernelsToLLVM(mlir::ModuleOp module);

/// The gpu.funcs of the result of lowerToGpuDialect as host functions of
/// their arguments and then (block, thread) x indices, in the LLVM dialect:
/// a launch is emulated by calling its entry once per block and thread, which
/// checks the thread mapping and the launches on a machine without a GPU.
mlir::FailureOr<mlir::OwningOpRef<mlir::ModuleOp>> lowerGpuFuncsForHost(mlir::ModuleOp gpuLevel);

/// The result of lowerGpuFuncsForHost as LLVM IR text, with an entry
/// hpt_packed_NAME(void **args, int64_t block, int64_t thread) per function
/// that reads its arguments as cuLaunchKernel's kernelParams hold them:
/// compiled with llc, the emulated CUDA driver's kernels (test/emulated-cuda).
mlir::FailureOr<std::string> translateToHostLibrary(mlir::ModuleOp gpuLevel);

/// Steps 1-3 on a copy of `module`'s @hpt_gpu; failure is reported as
/// diagnostics. A module without kernels gives an empty module.
mlir::FailureOr<mlir::OwningOpRef<mlir::ModuleOp>>
lowerToGpuDialect(mlir::ModuleOp module, const GpuTargetOptions &options);

/// Step 4 on the result of lowerToGpuDialect.
mlir::FailureOr<std::string> translateToPtx(mlir::ModuleOp gpuLevel,
                                            const GpuTargetOptions &options);

/// The launches of every kernel of the result of lowerToGpuDialect.
std::vector<GpuKernelLaunches> launchesOf(mlir::ModuleOp gpuLevel);

/// Step 5: `ptx` assembled for `arch`; failure sets `error` (no ptxas, or
/// what it said).
mlir::FailureOr<std::string> assemblePtx(const std::string &ptx, const std::string &arch,
                                         const GpuTargetOptions &options, std::string &error);

/// --hpt-to-gpu-ir (steps 1-3), --hpt-to-ptx (1-4) and --hpt-to-gpu-host.
void registerGpuTranslations();

} // namespace hpt

#endif // HPT_TARGET_GPUPROGRAM_H
