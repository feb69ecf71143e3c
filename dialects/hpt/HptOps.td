//===- HptOps.td - hpt operations -----------------------------------------===//

#ifndef HPT_OPS_TD
#define HPT_OPS_TD

include "HptBase.td"
include "HptAttrs.td"
include "HptInterfaces.td"
include "mlir/IR/SymbolInterfaces.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

// The storage of the parameters: hpt.get_param reads it, optimizer updates
// write it, so no pass reorders a read across an update.
def Hpt_ParamResource : Resource<"::hpt::ParamResource">;

// A forward op states its own reverse-mode derivative.
def Hpt_Differentiable : DeclareOpInterfaceMethods<Hpt_AutodiffOpInterface>;

// An op that computes on tensors: no side effects, counts its FLOPs.
class Hpt_ComputeOp<string mnemonic, list<Trait> traits = []>
    : Hpt_Op<mnemonic, !listconcat(traits, [Pure,
        DeclareOpInterfaceMethods<Hpt_FlopCountOpInterface>])>;

// A compute op whose result type follows from its operands and attributes.
class Hpt_InferredOp<string mnemonic, list<Trait> traits = []>
    : Hpt_ComputeOp<mnemonic, !listconcat(traits, [InferTypeOpAdaptor])>;

// An elementwise op with one operand of the result's type.
class Hpt_UnaryOp<string mnemonic, list<Trait> traits = []>
    : Hpt_ComputeOp<mnemonic, !listconcat(traits, [SameOperandsAndResultType])> {
  let arguments = (ins Hpt_Tensor:$input);
  let results = (outs Hpt_Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($result)";
}

//===----------------------------------------------------------------------===//
// Parameters
//===----------------------------------------------------------------------===//

def Hpt_ParamOp : Hpt_Op<"param", [Symbol, HasParent<"::mlir::ModuleOp">]> {
  let summary = "A model parameter: a named, initialised weight tensor";
  let description = [{
    Declares a weight of the model at module level. `init` says how it is
    initialised, `seed` seeds its generator (each parameter has its own stream,
    so adding a parameter does not change the others), and `trainable` marks
    the weights the optimizer updates; the others are frozen.

    ```mlir
    hpt.param @enc.0.attn.wq : tensor<512x512xf32> init <uniform_fan_in, fan_in = 512> seed 12 trainable
    hpt.param @enc.0.ln1.gamma : tensor<512xf32> init <ones> seed 13
    ```
  }];
  let arguments = (ins SymbolNameAttr:$sym_name,
                       TypeAttrOf<Hpt_Tensor>:$type,
                       Hpt_InitAttr:$init,
                       I64Attr:$seed,
                       UnitAttr:$trainable);
  let assemblyFormat = [{
    $sym_name `:` $type `init` $init `seed` $seed (`trainable` $trainable^)? attr-dict
  }];
  let extraClassDeclaration = [{
    ::mlir::RankedTensorType getTensorType() {
      return ::llvm::cast<::mlir::RankedTensorType>(getType());
    }
  }];
}

def Hpt_GetParamOp : Hpt_Op<"get_param", [
    MemoryEffects<[MemRead<Hpt_ParamResource>]>,
    DeclareOpInterfaceMethods<SymbolUserOpInterface>]> {
  let summary = "Reads the current value of a parameter";
  let description = [{
    ```mlir
    %w = hpt.get_param @enc.0.attn.wq : tensor<512x512xf32>
    ```
    The symbol must name an `hpt.param` of the same type.
  }];
  let arguments = (ins FlatSymbolRefAttr:$name);
  let results = (outs Hpt_Tensor:$result);
  let assemblyFormat = "$name attr-dict `:` type($result)";
}

//===----------------------------------------------------------------------===//
// Linear algebra
//===----------------------------------------------------------------------===//

def Hpt_LinearOp : Hpt_InferredOp<"linear", [Hpt_Differentiable]> {
  let summary = "Affine layer y = x·Wᵀ + b over the last axis";
  let description = [{
    `weight` is out×in (PyTorch's layout); `input` is `[..., in]` and the
    result `[..., out]`; the bias, if present, has shape `[out]`.

    ```mlir
    %y = hpt.linear %x, %w, %b : (tensor<1x57x12xf32>, tensor<256x12xf32>, tensor<256xf32>) -> tensor<1x57x256xf32>
    ```
  }];
  let arguments = (ins Hpt_Tensor:$input, Hpt_Tensor:$weight,
                       Optional<Hpt_Tensor>:$bias);
  let results = (outs Hpt_Tensor:$result);
  let assemblyFormat = [{
    $input `,` $weight (`,` $bias^)? attr-dict `:` functional-type(operands, results)
  }];
}

def Hpt_MatmulOp : Hpt_InferredOp<"matmul", [Hpt_Differentiable]> {
  let summary = "Matrix product of two rank-2 tensors, optionally transposed";
  let description = [{
    `op(lhs)·op(rhs)` where `op` transposes the operand if `transpose_lhs` /
    `transpose_rhs` is set (the backward GEMMs of a linear layer need both).

    ```mlir
    %c = hpt.matmul %a, %b transpose_rhs : (tensor<4x8xf32>, tensor<16x8xf32>) -> tensor<4x16xf32>
    ```
  }];
  let arguments = (ins Hpt_Tensor:$lhs, Hpt_Tensor:$rhs,
                       UnitAttr:$transpose_lhs, UnitAttr:$transpose_rhs);
  let results = (outs Hpt_Tensor:$result);
  let assemblyFormat = [{
    $lhs `,` $rhs (`transpose_lhs` $transpose_lhs^)? (`transpose_rhs` $transpose_rhs^)?
    attr-dict `:` functional-type(operands, results)
  }];
}

def Hpt_BatchMatmulOp : Hpt_InferredOp<"batch_matmul", [Hpt_Differentiable]> {
  let summary = "Batched matrix product over the two innermost axes";
  let description = [{
    Both operands have the same rank (≥ 3) and the same leading (batch) axes;
    the two innermost axes multiply as in `hpt.matmul`.

    ```mlir
    %s = hpt.batch_matmul %q, %k transpose_rhs : (tensor<1x8x57x64xf32>, tensor<1x8x57x64xf32>) -> tensor<1x8x57x57xf32>
    ```
  }];
  let arguments = (ins Hpt_Tensor:$lhs, Hpt_Tensor:$rhs,
                       UnitAttr:$transpose_lhs, UnitAttr:$transpose_rhs);
  let results = (outs Hpt_Tensor:$result);
  let assemblyFormat = [{
    $lhs `,` $rhs (`transpose_lhs` $transpose_lhs^)? (`transpose_rhs` $transpose_rhs^)?
    attr-dict `:` functional-type(operands, results)
  }];
}

//===----------------------------------------------------------------------===//
// Attention
//===----------------------------------------------------------------------===//

def Hpt_SelfAttentionOp : Hpt_InferredOp<"self_attention", [Hpt_Differentiable]> {
  let summary = "Multi-head self-attention with its four projections";
  let description = [{
    For `input` of shape `[B, T, D]` with `D = heads · head_dim`:
    `Q = x·Wqᵀ + bq` (likewise K, V); head j takes channels
    `[j·head_dim, (j+1)·head_dim)`; `A_j = softmax(Q_j·K_jᵀ / √head_dim)` over
    the tokens; the heads' `A_j·V_j` are concatenated and projected by
    `Wo, bo`. No mask, no dropout on the attention weights.
    `hpt-decompose-attention` expands it into linear, reshape, transpose,
    batch_matmul, scale and softmax ops.

    ```mlir
    %a = hpt.self_attention %x, %wq, %bq, %wk, %bk, %wv, %bv, %wo, %bo heads 8 head_dim 64
        : (tensor<1x57x512xf32>, tensor<512x512xf32>, tensor<512xf32>, ...) -> tensor<1x57x512xf32>
    ```
  }];
  let arguments = (ins Hpt_Tensor:$input,
                       Hpt_Tensor:$wq, Hpt_Tensor:$bq, Hpt_Tensor:$wk, Hpt_Tensor:$bk,
                       Hpt_Tensor:$wv, Hpt_Tensor:$bv, Hpt_Tensor:$wo, Hpt_Tensor:$bo,
                       ConfinedAttr<I64Attr, [IntPositive]>:$heads,
                       ConfinedAttr<I64Attr, [IntPositive]>:$head_dim);
  let results = (outs Hpt_Tensor:$result);
  let assemblyFormat = [{
    $input `,` $wq `,` $bq `,` $wk `,` $bk `,` $wv `,` $bv `,` $wo `,` $bo
    `heads` $heads `head_dim` $head_dim attr-dict `:` functional-type(operands, results)
  }];
}

//===----------------------------------------------------------------------===//
// Normalisation and activations
//===----------------------------------------------------------------------===//

def Hpt_LayerNormOp : Hpt_InferredOp<"layer_norm", [Hpt_Differentiable]> {
  let summary = "Layer normalisation over the last axis, with weight and bias";
  let description = [{
    `(x - mean) / sqrt(var + eps) · gamma + beta` with the biased variance,
    over the last axis; `gamma` and `beta` have the shape of that axis.

    ```mlir
    %y = hpt.layer_norm %x, %g, %b eps 1.0e-05 : (tensor<1x57x512xf32>, tensor<512xf32>, tensor<512xf32>) -> tensor<1x57x512xf32>
    ```
  }];
  let arguments = (ins Hpt_Tensor:$input, Hpt_Tensor:$gamma, Hpt_Tensor:$beta,
                       DefaultValuedAttr<F64Attr, "1.0e-5">:$eps);
  let results = (outs Hpt_Tensor:$result);
  let assemblyFormat = [{
    $input `,` $gamma `,` $beta `eps` $eps attr-dict `:` functional-type(operands, results)
  }];
}

def Hpt_SoftmaxOp : Hpt_ComputeOp<"softmax", [Hpt_Differentiable, SameOperandsAndResultType]> {
  let summary = "Softmax along one axis";
  let description = [{
    `axis` counts from the back when negative (default -1, the last axis).
    ```mlir
    %p = hpt.softmax %s axis -1 : tensor<1x8x57x57xf32>
    ```
  }];
  let arguments = (ins Hpt_Tensor:$input, DefaultValuedAttr<I64Attr, "-1">:$axis);
  let results = (outs Hpt_Tensor:$result);
  let assemblyFormat = "$input `axis` $axis attr-dict `:` type($result)";
  let hasVerifier = 1;
}

def Hpt_ReluOp : Hpt_UnaryOp<"relu", [Hpt_Differentiable]> {
  let summary = "max(x, 0), elementwise";
}

def Hpt_GeluOp : Hpt_ComputeOp<"gelu", [Hpt_Differentiable, SameOperandsAndResultType]> {
  let summary = "Gaussian error linear unit, elementwise";
  let description = [{
    Exact form `x·Φ(x)` (erf) by default; `approximate tanh` selects the tanh
    approximation.
    ```mlir
    %y = hpt.gelu %x : tensor<1x57x256xf32>
    %z = hpt.gelu %x approximate tanh : tensor<1x57x256xf32>
    ```
  }];
  let arguments = (ins Hpt_Tensor:$input,
      DefaultValuedAttr<Hpt_GeluApproximationAttr, "::hpt::GeluApproximation::none">:$approximate);
  let results = (outs Hpt_Tensor:$result);
  let assemblyFormat = "$input (`approximate` `` $approximate^)? attr-dict `:` type($result)";
}

def Hpt_ScaleOp : Hpt_ComputeOp<"scale", [Hpt_Differentiable, SameOperandsAndResultType]> {
  let summary = "Multiplication by a constant, elementwise";
  let description = [{
    ```mlir
    %y = hpt.scale %x by 1.250000e-01 : tensor<1x8x57x57xf32>
    ```
  }];
  let arguments = (ins Hpt_Tensor:$input, F64Attr:$factor);
  let results = (outs Hpt_Tensor:$result);
  let assemblyFormat = "$input `by` $factor attr-dict `:` type($result)";
}

def Hpt_DropoutOp : Hpt_ComputeOp<"dropout", [Hpt_Differentiable, SameOperandsAndResultType]> {
  let summary = "Inverted dropout with a seeded mask";
  let description = [{
    In training each element is zeroed with probability `p` and the survivors
    are scaled by 1/(1-p); the mask comes from a generator seeded with `seed`.
    At evaluation it is the identity.
    ```mlir
    %y = hpt.dropout %x p 1.000000e-01 seed 7 : tensor<1x57x512xf32>
    ```
  }];
  let arguments = (ins Hpt_Tensor:$input, F64Attr:$p, I64Attr:$seed);
  let results = (outs Hpt_Tensor:$result);
  let assemblyFormat = "$input `p` $p `seed` $seed attr-dict `:` type($result)";
  let hasVerifier = 1;
}

def Hpt_PositionalEncodingOp : Hpt_ComputeOp<"positional_encoding",
    [Hpt_Differentiable, SameOperandsAndResultType]> {
  let summary = "Adds the sinusoidal positional encoding";
  let description = [{
    For `input` `[..., T, D]`, adds `PE[t, 2i] = sin(t·10000^(-2i/D))` and
    `PE[t, 2i+1] = cos(t·10000^(-2i/D))` for token t (axis -2) and channel
    pair i (axis -1). D must be even and T at most `max_len`, the length of
    the fixed table (5000 as in the HpT code).
    ```mlir
    %p = hpt.positional_encoding %e : tensor<1x57x512xf32>
    ```
  }];
  let arguments = (ins Hpt_Tensor:$input,
                       DefaultValuedAttr<ConfinedAttr<I64Attr, [IntPositive]>, "5000">:$max_len);
  let results = (outs Hpt_Tensor:$result);
  let assemblyFormat = "$input (`max_len` $max_len^)? attr-dict `:` type($result)";
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Shape manipulation
//===----------------------------------------------------------------------===//

def Hpt_AddOp : Hpt_ComputeOp<"add", [Hpt_Differentiable, SameOperandsAndResultType, Commutative]> {
  let summary = "Elementwise sum of two tensors of one type";
  let arguments = (ins Hpt_Tensor:$lhs, Hpt_Tensor:$rhs);
  let results = (outs Hpt_Tensor:$result);
  let assemblyFormat = "$lhs `,` $rhs attr-dict `:` type($result)";
}

def Hpt_ConcatOp : Hpt_InferredOp<"concat", [Hpt_Differentiable]> {
  let summary = "Concatenation along one axis";
  let description = [{
    All inputs have the same rank and element type and agree on every axis
    but `axis` (negative counts from the back).
    ```mlir
    %c = hpt.concat %h, %e axis -1 : (tensor<1x29x512xf32>, tensor<1x29x512xf32>) -> tensor<1x29x1024xf32>
    ```
  }];
  let arguments = (ins Variadic<Hpt_Tensor>:$inputs, I64Attr:$axis);
  let results = (outs Hpt_Tensor:$result);
  let assemblyFormat = "$inputs `axis` $axis attr-dict `:` functional-type(operands, results)";
}

def Hpt_ReshapeOp : Hpt_ComputeOp<"reshape", [Hpt_Differentiable]> {
  let summary = "Reinterprets a tensor with another shape, row-major";
  let description = [{
    ```mlir
    %f = hpt.reshape %x : tensor<1x57x64xf32> -> tensor<1x3648xf32>
    ```
  }];
  let arguments = (ins Hpt_Tensor:$input);
  let results = (outs Hpt_Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
  let hasVerifier = 1;
}

def Hpt_TransposeOp : Hpt_InferredOp<"transpose", [Hpt_Differentiable]> {
  let summary = "Permutes the axes of a tensor";
  let description = [{
    Result axis i is input axis `permutation[i]`.
    ```mlir
    %t = hpt.transpose %x [0, 2, 1] : tensor<1x12x57xf32> -> tensor<1x57x12xf32>
    ```
  }];
  let arguments = (ins Hpt_Tensor:$input, DenseI64ArrayAttr:$permutation);
  let results = (outs Hpt_Tensor:$result);
  let assemblyFormat = "$input $permutation attr-dict `:` type($input) `->` type($result)";
}

//===----------------------------------------------------------------------===//
// Losses
//===----------------------------------------------------------------------===//

def Hpt_MseLossOp : Hpt_InferredOp<"mse_loss", [Hpt_Differentiable, AllTypesMatch<["prediction", "target"]>]> {
  let summary = "Mean squared error between a prediction and a target";
  let description = [{
    Both operands have one type (no broadcasting: a silent broadcast is how
    the original COVID script compared 50×50 pairs); the result is a 0-d
    tensor holding the mean of the squared differences.
    ```mlir
    %l = hpt.mse_loss %y, %t : tensor<1x57xf32> -> tensor<f32>
    ```
  }];
  let arguments = (ins Hpt_Tensor:$prediction, Hpt_Tensor:$target);
  let results = (outs Hpt_Scalar:$result);
  let assemblyFormat = "$prediction `,` $target attr-dict `:` type($prediction) `->` type($result)";
}

//===----------------------------------------------------------------------===//
// Gradients (emitted by hpt-autodiff)
//===----------------------------------------------------------------------===//

// dx from the result gradient and the forward operand x.
class Hpt_PointwiseGradOp<string mnemonic, list<Trait> traits = []>
    : Hpt_ComputeOp<mnemonic, !listconcat(traits, [SameOperandsAndResultType])> {
  let arguments = (ins Hpt_Tensor:$result_grad, Hpt_Tensor:$input);
  let results = (outs Hpt_Tensor:$result);
  let assemblyFormat = "$result_grad `,` $input attr-dict `:` type($result)";
}

def Hpt_ReluGradOp : Hpt_PointwiseGradOp<"relu_grad"> {
  let summary = "Gradient of relu: dy where x > 0, else 0";
}

def Hpt_GeluGradOp : Hpt_ComputeOp<"gelu_grad", [SameOperandsAndResultType]> {
  let summary = "Gradient of gelu: dy · d gelu(x)/dx";
  let arguments = (ins Hpt_Tensor:$result_grad, Hpt_Tensor:$input,
      DefaultValuedAttr<Hpt_GeluApproximationAttr, "::hpt::GeluApproximation::none">:$approximate);
  let results = (outs Hpt_Tensor:$result);
  let assemblyFormat = [{
    $result_grad `,` $input (`approximate` `` $approximate^)? attr-dict `:` type($result)
  }];
}

def Hpt_SoftmaxGradOp : Hpt_ComputeOp<"softmax_grad", [SameOperandsAndResultType]> {
  let summary = "Gradient of softmax from its output: y ⊙ (dy − Σ dy ⊙ y)";
  let arguments = (ins Hpt_Tensor:$result_grad, Hpt_Tensor:$output,
                       DefaultValuedAttr<I64Attr, "-1">:$axis);
  let results = (outs Hpt_Tensor:$result);
  let assemblyFormat = "$result_grad `,` $output `axis` $axis attr-dict `:` type($result)";
  let hasVerifier = 1;
}

def Hpt_LayerNormGradOp : Hpt_InferredOp<"layer_norm_grad"> {
  let summary = "Gradients of layer_norm for its input, weight and bias";
  let description = [{
    Recomputes the mean and variance of `input` and returns (dx, dgamma,
    dbeta).
    ```mlir
    %dx, %dg, %db = hpt.layer_norm_grad %dy, %x, %g eps 1.000000e-05
        : (tensor<1x57x512xf32>, tensor<1x57x512xf32>, tensor<512xf32>)
        -> (tensor<1x57x512xf32>, tensor<512xf32>, tensor<512xf32>)
    ```
  }];
  let arguments = (ins Hpt_Tensor:$result_grad, Hpt_Tensor:$input, Hpt_Tensor:$gamma,
                       DefaultValuedAttr<F64Attr, "1.0e-5">:$eps);
  let results = (outs Hpt_Tensor:$input_grad, Hpt_Tensor:$gamma_grad,
                      Hpt_Tensor:$beta_grad);
  let assemblyFormat = [{
    $result_grad `,` $input `,` $gamma `eps` $eps attr-dict `:` functional-type(operands, results)
  }];
}

def Hpt_MseLossGradOp : Hpt_ComputeOp<"mse_loss_grad", [SameOperandsAndResultType]> {
  let summary = "Gradient of mse_loss for its prediction: 2·(y − t)/N";
  let arguments = (ins Hpt_Tensor:$prediction, Hpt_Tensor:$target);
  let results = (outs Hpt_Tensor:$result);
  let assemblyFormat = "$prediction `,` $target attr-dict `:` type($result)";
}

def Hpt_ReduceRowsOp : Hpt_InferredOp<"reduce_rows"> {
  let summary = "Sum over every axis but the last (the gradient of a bias)";
  let description = [{
    ```mlir
    %db = hpt.reduce_rows %dy : tensor<1x57x512xf32> -> tensor<512xf32>
    ```
  }];
  let arguments = (ins Hpt_Tensor:$input);
  let results = (outs Hpt_Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
}

def Hpt_SliceOp : Hpt_InferredOp<"slice"> {
  let summary = "A contiguous range of one axis (the gradient of concat)";
  let description = [{
    ```mlir
    %h = hpt.slice %x axis -1 offset 0 size 512 : tensor<1x29x1024xf32> -> tensor<1x29x512xf32>
    ```
  }];
  let arguments = (ins Hpt_Tensor:$input, I64Attr:$axis, I64Attr:$offset,
                       ConfinedAttr<I64Attr, [IntPositive]>:$size);
  let results = (outs Hpt_Tensor:$result);
  let assemblyFormat = [{
    $input `axis` $axis `offset` $offset `size` $size attr-dict `:` type($input) `->` type($result)
  }];
}

//===----------------------------------------------------------------------===//
// Learning rates and optimizers (emitted by hpt-autodiff)
//===----------------------------------------------------------------------===//

def Hpt_ConstantLrOp : Hpt_Op<"constant_lr", [Pure]> {
  let summary = "A fixed learning rate";
  let description = [{
    ```mlir
    %lr = hpt.constant_lr 1.000000e-04 : tensor<f32>
    ```
  }];
  let arguments = (ins F64Attr:$base);
  let results = (outs Hpt_LearningRate:$result);
  let assemblyFormat = "$base attr-dict `:` type($result)";
  let hasVerifier = 1;
}

def Hpt_StepLrOp : Hpt_Op<"step_lr", [MemoryEffects<[MemRead<Hpt_ParamResource>]>]> {
  let summary = "torch.optim.lr_scheduler.StepLR: base·gamma^⌊epoch/step_size⌋";
  let description = [{
    Reads the epoch counter of the running training job (stepped once per
    epoch, as the HpT scripts call `scheduler.step()`).
    ```mlir
    %lr = hpt.step_lr 1.000000e-04 step_size 3 gamma 6.000000e-01 : tensor<f32>
    ```
  }];
  let arguments = (ins F64Attr:$base, ConfinedAttr<I64Attr, [IntPositive]>:$step_size,
                       F64Attr:$gamma);
  let results = (outs Hpt_LearningRate:$result);
  let assemblyFormat = "$base `step_size` $step_size `gamma` $gamma attr-dict `:` type($result)";
  let hasVerifier = 1;
}

// Updates parameter `param` in place from its gradient; the optimizer's state
// (momentum, moments, step count) belongs to the parameter and lives in the
// runtime (and in its checkpoints).
class Hpt_UpdateOp<string mnemonic> : Hpt_Op<mnemonic, [
    MemoryEffects<[MemRead<Hpt_ParamResource>, MemWrite<Hpt_ParamResource>]>,
    DeclareOpInterfaceMethods<SymbolUserOpInterface>,
    DeclareOpInterfaceMethods<Hpt_FlopCountOpInterface>]> {
  let hasVerifier = 1;
}

def Hpt_SgdUpdateOp : Hpt_UpdateOp<"sgd_update"> {
  let summary = "torch.optim.SGD step (momentum, dampening, weight decay, Nesterov)";
  let description = [{
    ```mlir
    hpt.sgd_update @w, %g, %lr momentum 9.000000e-01 dampening 0.000000e+00 weight_decay 0.000000e+00 : tensor<4x8xf32>
    ```
  }];
  let arguments = (ins FlatSymbolRefAttr:$param, Hpt_Tensor:$grad, Hpt_LearningRate:$lr,
                       F64Attr:$momentum, F64Attr:$dampening, F64Attr:$weight_decay,
                       UnitAttr:$nesterov);
  let assemblyFormat = [{
    $param `,` $grad `,` $lr `momentum` $momentum `dampening` $dampening
    `weight_decay` $weight_decay (`nesterov` $nesterov^)? attr-dict `:` type($grad)
  }];
}

class Hpt_AdamUpdateBase<string mnemonic, string torchName> : Hpt_UpdateOp<mnemonic> {
  let summary = torchName # " step (bias-corrected moments)";
  let arguments = (ins FlatSymbolRefAttr:$param, Hpt_Tensor:$grad, Hpt_LearningRate:$lr,
                       F64Attr:$beta1, F64Attr:$beta2, F64Attr:$eps, F64Attr:$weight_decay);
  let assemblyFormat = [{
    $param `,` $grad `,` $lr `beta1` $beta1 `beta2` $beta2 `eps` $eps
    `weight_decay` $weight_decay attr-dict `:` type($grad)
  }];
}

def Hpt_AdamUpdateOp : Hpt_AdamUpdateBase<"adam_update", "torch.optim.Adam"> {
  let description = [{
    Weight decay is added to the gradient (L2), as in Adam.
    ```mlir
    hpt.adam_update @w, %g, %lr beta1 9.000000e-01 beta2 0.99899999999999999 eps 1.000000e-08 weight_decay 0.000000e+00 : tensor<4x8xf32>
    ```
  }];
}

def Hpt_AdamWUpdateOp : Hpt_AdamUpdateBase<"adamw_update", "torch.optim.AdamW"> {
  let description = [{
    Decoupled weight decay: the weight shrinks by lr·weight_decay before the
    Adam step.
    ```mlir
    hpt.adamw_update @w, %g, %lr beta1 9.000000e-01 beta2 0.99899999999999999 eps 1.000000e-08 weight_decay 1.000000e-02 : tensor<4x8xf32>
    ```
  }];
}

#endif // HPT_OPS_TD
