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

#endif // HPT_INTERFACES_TD
