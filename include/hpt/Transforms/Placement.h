//===- Placement.h - where an hpt op may run --------------------*- C++ -*-===//
//
// The rules hpt-place and hpt-partition share: ReRAM crossbars hold only
// weights the function does not train (written once, then read), the
// systolic array runs what hpt-systolic-tile plans, and the host and the GPU
// run everything.
//
//===----------------------------------------------------------------------===//

#ifndef HPT_TRANSFORMS_PLACEMENT_H
#define HPT_TRANSFORMS_PLACEMENT_H

#include "dialects/hpt/HptOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

#include <optional>

namespace hpt {

/// Whether operand 1 of a product (hpt.linear, hpt.matmul) is a parameter
/// `function` does not train: the only product a crossbar can hold.
bool readsFrozenWeight(mlir::Operation *product, mlir::func::FuncOp function);

/// How a product reads a parameter P as its operand 1: x·op(P), op(P) = Pᵀ
/// (hpt.linear, or hpt.matmul transposing its right operand) or P.
struct FrozenRead {
  ParamOp param;
  bool readsTranspose = false;
};
/// The read of a product a crossbar can compute (vectors as rows: an
/// hpt.linear, or an hpt.matmul that does not transpose its left operand),
/// or nothing.
std::optional<FrozenRead> frozenReadOf(mlir::Operation *product);

/// Whether `kind` can run `op` of `function`.
bool canRun(DeviceKind kind, mlir::Operation *op, mlir::func::FuncOp function);

} // namespace hpt

#endif // HPT_TRANSFORMS_PLACEMENT_H
