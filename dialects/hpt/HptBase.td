//===- HptBase.td - hpt dialect definition and shared constraints ---------===//
//
// The hpt dialect describes attention *training* graphs on tensors: module-level
// parameters, the forward computation of a model and its loss. Later passes add
// the backward pass and the optimizer, and place every op on a device.
//
//===----------------------------------------------------------------------===//

#ifndef HPT_BASE_TD
#define HPT_BASE_TD

include "mlir/IR/OpBase.td"
include "mlir/IR/AttrTypeBase.td"

def Hpt_Dialect : Dialect {
  let name = "hpt";
  let cppNamespace = "::hpt";
  let summary = "Attention training graphs for heterogeneous GPU/ReRAM/systolic hardware";
  let description = [{
    Ops of the hpt dialect work on statically shaped floating-point tensors.
    Trainable and frozen weights are module-level symbols (`hpt.param`) that
    functions read with `hpt.get_param`, so that later passes can rewrite a
    weight (LoRA, crossbar placement) in one place.

    ```mlir
    hpt.param @w : tensor<4x8xf32> init <uniform_fan_in, fan_in = 8> seed 1 trainable
    func.func @forward(%x: tensor<2x8xf32>) -> tensor<2x4xf32> {
      %w = hpt.get_param @w : tensor<4x8xf32>
      %y = hpt.linear %x, %w : (tensor<2x8xf32>, tensor<4x8xf32>) -> tensor<2x4xf32>
      return %y : tensor<2x4xf32>
    }
    ```
  }];
  let useDefaultAttributePrinterParser = 1;
  let hasOperationAttrVerify = 1;
  let extraClassDeclaration = [{
    void registerAttributes();
  }];
}

class Hpt_Op<string mnemonic, list<Trait> traits = []>
    : Op<Hpt_Dialect, mnemonic, traits>;

// Every value hpt computes on: a statically shaped tensor of floats whose
// element count fits int64 (so every size computed from it does).
def Hpt_Tensor : ConfinedType<StaticShapeTensorOf<[AnyFloat]>,
    [CPred<"::hpt::shapes::checkedNumElements("
           "::llvm::cast<::mlir::ShapedType>($_self).getShape()).has_value()">],
    "statically shaped tensor of floating-point values with fewer than 2^63 elements">;
def Hpt_Scalar : 0DTensorOf<[AnyFloat]>;
// Learning rates are f32 scalars.
def Hpt_LearningRate : 0DTensorOf<[F32]>,
    BuildableType<"::mlir::RankedTensorType::get({}, $_builder.getF32Type())">;

#endif // HPT_BASE_TD
