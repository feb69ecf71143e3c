//===- HptInterfaces.td - hpt op interfaces -------------------------------===//

#ifndef HPT_INTERFACES_TD
#define HPT_INTERFACES_TD

include "mlir/IR/OpBase.td"

def Hpt_FlopCountOpInterface : OpInterface<"FlopCountOpInterface"> {
  let cppNamespace = "::hpt";
  let description = [{
    Floating-point operations of one forward evaluation of an op, split into
    matrix-multiply FLOPs (2·m·n·k: a multiply-add counts two) and vector
    FLOPs (elementwise and reduction work, with the per-element costs listed in
    docs/dialects/hpt.md). The model statistics and, later, the device cost
    model read it, so an op states its own work once.
  }];
  let methods = [
    InterfaceMethod<"FLOPs of one forward evaluation", "::hpt::FlopCount",
                    "getFlopCount">
  ];
}

def Hpt_AutodiffOpInterface : OpInterface<"AutodiffOpInterface"> {
  let cppNamespace = "::hpt";
  let description = [{
    The reverse-mode derivative of an op, stated by the op itself (in the
    spirit of Enzyme-MLIR's per-op autodiff interface): given the gradients
    of its results, the op emits the ops that compute the gradients of its
    operands. `hpt-autodiff` only walks the graph and accumulates; a new op
    brings its gradient with it.
  }];
  let methods = [
    InterfaceMethod<[{
        Emits, at the builder's insertion point, the vector-Jacobian product of
        this op. `resultGradients` holds one gradient per result (null: the
        result's gradient is zero, or, for a loss at the root, d(loss)/d(loss)
        = 1). `wanted[i]` says whether operand i needs a gradient;
        `operandGradients` gets one entry per operand, null where none is
        wanted or the operand is not differentiable. Fails with a diagnostic
        when the op cannot be differentiated where it stands.
      }],
      "::llvm::LogicalResult", "buildGradients",
      (ins "::mlir::OpBuilder &":$builder,
           "::mlir::ArrayRef<::mlir::Value>":$resultGradients,
           "::llvm::ArrayRef<bool>":$wanted,
           "::llvm::SmallVectorImpl<::mlir::Value> &":$operandGradients)>
  ];
}

#endif // HPT_INTERFACES_TD
