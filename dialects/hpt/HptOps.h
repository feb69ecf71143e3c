//===- HptOps.h - hpt operations and op interfaces --------------*- C++ -*-===//

#ifndef HPT_DIALECTS_HPT_HPTOPS_H
#define HPT_DIALECTS_HPT_HPTOPS_H

#include "dialects/hpt/HptDialect.h"
#include "dialects/hpt/HptShapes.h"

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include <cstdint>

namespace hpt {
/// Work of one forward evaluation of an op (see FlopCountOpInterface).
struct FlopCount {
  int64_t matmul = 0; ///< 2·m·n·k per matrix product
  int64_t vector = 0; ///< elementwise and reduction FLOPs

  int64_t total() const { return shapes::saturatingSum(matmul, vector); }
  FlopCount &operator+=(const FlopCount &other) {
    matmul = shapes::saturatingSum(matmul, other.matmul);
    vector = shapes::saturatingSum(vector, other.vector);
    return *this;
  }
};

/// The storage of all parameters, for the memory effects of hpt.get_param and
/// the optimizer updates.
struct ParamResource : mlir::SideEffects::Resource::Base<ParamResource> {
  llvm::StringRef getName() final { return "hpt.params"; }
};
} // namespace hpt

#include "dialects/hpt/HptInterfaces.h.inc"

#define GET_OP_CLASSES
#include "dialects/hpt/HptOps.h.inc"

namespace hpt {
/// Attributes that hpt passes put on functions (docs/dialects/hpt.md).
/// The parameters a function trains (an array of symbol references); without
/// it, every parameter declared `trainable`.
inline constexpr llvm::StringLiteral kTrainableAttrName = "hpt.trainable";
/// A LoRA program: its #hpt.lora configuration, the full program it adapts,
/// and its adapters as [target weight, A, B] triples of symbol references.
inline constexpr llvm::StringLiteral kLoraAttrName = "hpt.lora";
inline constexpr llvm::StringLiteral kLoraBaseAttrName = "hpt.lora_base";
inline constexpr llvm::StringLiteral kAdaptersAttrName = "hpt.adapters";
/// On a training step: the forward function it was built from.
inline constexpr llvm::StringLiteral kTrainStepOfAttrName = "hpt.train_step_of";

/// On an op: the #hpt.device it runs on (hpt-place, the partitioner); an op
/// without one runs on the host.
inline constexpr llvm::StringLiteral kDeviceAttrName = "hpt.device";
/// On an op placed on the GPU (convert-hpt-to-gpu): its generated kernel
/// (@hpt_gpu::@name) and the library it calls ("cublas"); on a kernel, what
/// each argument binds to (hpt/Conversion/GpuKernels.h).
inline constexpr llvm::StringLiteral kGpuKernelAttrName = "hpt.gpu_kernel";
inline constexpr llvm::StringLiteral kGpuLibraryAttrName = "hpt.gpu_library";
inline constexpr llvm::StringLiteral kGpuArgsAttrName = "hpt.gpu_args";
inline constexpr llvm::StringLiteral kCublasLibrary = "cublas";

/// Whether `function` trains `param` (see kTrainableAttrName).
bool isTrainedBy(mlir::Operation *function, ParamOp param);
} // namespace hpt

#endif // HPT_DIALECTS_HPT_HPTOPS_H
