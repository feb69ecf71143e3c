//===- IsaOps.h - sa ops <-> simulator instructions -------------*- C++ -*-===//
//
// The sa dialect has one op per instruction of hardware/systolic/Isa.h; these
// two functions are that correspondence, used by convert-hpt-to-sa (stream ->
// ops) and hpt-translate --sa-to-stream (ops -> stream).
//
//===----------------------------------------------------------------------===//

#ifndef HPT_SYSTOLIC_ISAOPS_H
#define HPT_SYSTOLIC_ISAOPS_H

#include "dialects/sa/SaIsa.h"
#include "hardware/systolic/Isa.h"

#include "mlir/IR/Builders.h"

namespace hpt {

/// Appends the op of `instruction` at the builder's insertion point.
void emitInstruction(mlir::OpBuilder &builder, mlir::Location loc,
                     const systolic::Instruction &instruction);

/// The instructions of `stream`, in order.
systolic::Stream instructionsOf(sa::StreamOp stream);

} // namespace hpt

#endif // HPT_SYSTOLIC_ISAOPS_H
