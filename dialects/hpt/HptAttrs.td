//===- HptAttrs.td - hpt attributes and enums -----------------------------===//

#ifndef HPT_ATTRS_TD
#define HPT_ATTRS_TD

include "HptBase.td"
include "mlir/IR/EnumAttr.td"

//===----------------------------------------------------------------------===//
// Devices
//===----------------------------------------------------------------------===//

def Hpt_DeviceKind : I32EnumAttr<"DeviceKind", "a device an op can be placed on", [
    I32EnumAttrCase<"host", 0>,
    I32EnumAttrCase<"gpu", 1>,
    I32EnumAttrCase<"reram", 2>,
    I32EnumAttrCase<"systolic", 3>
  ]> {
  let cppNamespace = "::hpt";
  let genSpecializedAttr = 0;
}

def Hpt_DeviceAttr : AttrDef<Hpt_Dialect, "Device"> {
  let mnemonic = "device";
  let summary = "The device an op runs on and, optionally, which instance of it";
  let description = [{
    `#hpt.device<systolic>` (any instance) or `#hpt.device<systolic, 3>`
    (instance 3 of the systolic cores of the hardware description). Set on an
    op as `hpt.device` by `hpt-place` (and later by the partitioner); an op
    without one runs on the host.
  }];
  let parameters = (ins EnumParameter<Hpt_DeviceKind>:$kind,
                        OptionalParameter<"std::optional<uint32_t>">:$instance);
  let assemblyFormat = "`<` $kind (`,` $instance^)? `>`";
}

//===----------------------------------------------------------------------===//
// Parameter initialisers
//===----------------------------------------------------------------------===//

def Hpt_InitKind : I32EnumAttr<"InitKind", "how a parameter is initialised", [
    I32EnumAttrCase<"zeros", 0>,
    I32EnumAttrCase<"ones", 1>,
    // U(-1/sqrt(fan_in), +1/sqrt(fan_in)): PyTorch's default for Linear
    // weights and biases, and LoRA's A matrix.
    I32EnumAttrCase<"uniform_fan_in", 2>
  ]> {
  let cppNamespace = "::hpt";
  let genSpecializedAttr = 0;
}

def Hpt_InitAttr : AttrDef<Hpt_Dialect, "Init"> {
  let mnemonic = "init";
  let summary = "Initialiser of a parameter";
  let description = [{
    `#hpt.init<zeros>`, `#hpt.init<ones>` or
    `#hpt.init<uniform_fan_in, fan_in = 512>` (uniform in ±1/√fan_in).
  }];
  let parameters = (ins EnumParameter<Hpt_InitKind>:$kind,
                        DefaultValuedParameter<"int64_t", "0">:$fanIn);
  let assemblyFormat = "`<` $kind (`,` `fan_in` `=` $fanIn^)? `>`";
  let genVerifyDecl = 1;
}

//===----------------------------------------------------------------------===//
// LoRA configuration
//===----------------------------------------------------------------------===//

def Hpt_LoraAttr : AttrDef<Hpt_Dialect, "Lora"> {
  let mnemonic = "lora";
  let summary = "Low-rank adapter configuration of a frozen weight";
  let description = [{
    `#hpt.lora<rank = 8, alpha = 64.0, dropout = 0.1>`: the weight W is
    frozen and the layer computes x·Wᵀ + (alpha/rank)·dropout(x)·Aᵀ·Bᵀ with
    A of shape rank×in and B of shape out×rank.
  }];
  let parameters = (ins "int64_t":$rank, APFloatParameter<"scale numerator">:$alpha,
                        APFloatParameter<"dropout on the adapter input">:$dropout);
  let assemblyFormat = "`<` `rank` `=` $rank `,` `alpha` `=` $alpha `,` `dropout` `=` $dropout `>`";
  let genVerifyDecl = 1;
}

//===----------------------------------------------------------------------===//
// GELU flavour
//===----------------------------------------------------------------------===//

def Hpt_GeluApproximation : I32EnumAttr<"GeluApproximation",
    "exact (erf) GELU or its tanh approximation", [
    I32EnumAttrCase<"none", 0>,
    I32EnumAttrCase<"tanh", 1>
  ]> {
  let cppNamespace = "::hpt";
  let genSpecializedAttr = 0;
}

def Hpt_GeluApproximationAttr
    : EnumAttr<Hpt_Dialect, Hpt_GeluApproximation, "gelu_approximation">;

#endif // HPT_ATTRS_TD
