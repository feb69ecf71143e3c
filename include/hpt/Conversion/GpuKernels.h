//===- GpuKernels.h - the GPU kernels of hpt ops, at linalg level -*- C++ -*-===//
//
// convert-hpt-to-gpu gives every op placed on the GPU what runs it there:
// nothing (an alias: a parameter read, a reshape; or a learning rate, a host
// scalar), cuBLAS (the products), or a generated kernel: a func.func on
// tensors in destination-passing style, built from linalg ops, that computes
// the op as the host runtime's kernel does (runtime/host/Kernels.h: the same
// formulas, reductions in double where the host sums in double). Kernels are
// collected in one nested module and shared by ops of the same kind,
// attributes and shapes. hpt-translate bufferizes and maps them to the GPU
// (docs/gpu.md).
//
// A kernel says what each of its arguments binds to (kGpuArgsAttrName, one
// string per argument):
//   "operand:N"   the op's operand N             "result:N"  its result N
//   "param"       an update's parameter, read and written in place
//   "moment1", "moment2"   its optimizer state, in place
//   "workspace"   scratch the caller provides (its type gives the size)
//   "scalar:NAME" a number the runtime computes per call: "step" (dropout's
//                 Philox stream), the optimizer's coefficients
//                 (runtime/host/Kernels.h, SgdCoefficients, AdamCoefficients)
// and returns the tensors bound to results, parameters, moments and
// workspaces, in argument order.
//
//===----------------------------------------------------------------------===//

#ifndef HPT_CONVERSION_GPUKERNELS_H
#define HPT_CONVERSION_GPUKERNELS_H

#include "dialects/hpt/HptOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/StringMap.h"

#include <string>

namespace hpt {

/// The nested module holding the kernels.
inline constexpr llvm::StringLiteral kGpuKernelModuleName = "hpt_gpu";

/// How an op placed on the GPU runs there.
enum class GpuLowering {
  None,    ///< an alias or a host scalar: no GPU work
  Library, ///< a cuBLAS product
  LibraryAndKernel, ///< a cuBLAS product, then a kernel (a linear layer's bias)
  Kernel,  ///< a generated kernel
};

/// How `op` runs on the GPU, or failure (with a diagnostic on `op`) when it
/// cannot run there.
mlir::FailureOr<GpuLowering> gpuLoweringOf(mlir::Operation *op);

/// Builds kernels into a module, one per distinct op signature.
class GpuKernelBuilder {
public:
  explicit GpuKernelBuilder(mlir::ModuleOp kernels);

  /// The kernel of `op` (whose lowering includes one), built on first use;
  /// failure with a diagnostic on `op` when its types are not supported.
  mlir::FailureOr<mlir::func::FuncOp> kernelFor(mlir::Operation *op);

private:
  mlir::ModuleOp kernels;
  llvm::StringMap<mlir::func::FuncOp> bySignature;
  llvm::StringMap<unsigned> namesUsed;
};

} // namespace hpt

#endif // HPT_CONVERSION_GPUKERNELS_H
