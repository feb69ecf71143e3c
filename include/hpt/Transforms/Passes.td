//===- Passes.td - hpt transformation passes ------------------------------===//

#ifndef HPT_TRANSFORMS_PASSES_TD
#define HPT_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def HptDecomposeAttention : Pass<"hpt-decompose-attention"> {
  let summary = "Expand hpt.self_attention into linear, matmul and softmax ops";
  let description = [{
    Rewrites every `hpt.self_attention` into its definition, so that later
    passes see each GEMM on its own (the projections are linear layers that can
    take LoRA adapters or live in crossbars; the score products are dynamic
    GEMMs for a systolic array):

    ```mlir
    %a = hpt.self_attention %x, %wq, %bq, %wk, %bk, %wv, %bv, %wo, %bo heads 2 head_dim 4
        : (tensor<1x3x8xf32>, ...) -> tensor<1x3x8xf32>
    ```
    becomes
    ```mlir
    %q  = hpt.linear %x, %wq, %bq : ... -> tensor<1x3x8xf32>
    %q4 = hpt.reshape %q : tensor<1x3x8xf32> -> tensor<1x3x2x4xf32>
    %qh = hpt.transpose %q4 [0, 2, 1, 3] : tensor<1x3x2x4xf32> -> tensor<1x2x3x4xf32>
    ...                                          (likewise K and V)
    %s  = hpt.batch_matmul %qh, %kh transpose_rhs : ... -> tensor<1x2x3x3xf32>
    %ss = hpt.scale %s by 5.000000e-01 : tensor<1x2x3x3xf32>
    %p  = hpt.softmax %ss axis -1 : tensor<1x2x3x3xf32>
    %o  = hpt.batch_matmul %p, %vh : ... -> tensor<1x2x3x4xf32>
    %ot = hpt.transpose %o [0, 2, 1, 3] : tensor<1x2x3x4xf32> -> tensor<1x3x2x4xf32>
    %oc = hpt.reshape %ot : tensor<1x3x2x4xf32> -> tensor<1x3x8xf32>
    %a  = hpt.linear %oc, %wo, %bo : ... -> tensor<1x3x8xf32>
    ```
    The expansion does the same FLOPs as the fused op (checked by the model
    statistics in the tests).
  }];
  let dependentDialects = ["::hpt::HptDialect"];
}

def HptPrintModelStats : Pass<"hpt-print-model-stats", "::mlir::ModuleOp"> {
  let summary = "Print parameter counts and forward FLOPs of a model";
  let description = [{
    Counts the elements of every `hpt.param` (all, trainable, frozen, and per
    group: the part of the symbol name before its first `.`), and the FLOPs of
    one evaluation of the forward function, from each op's
    `FlopCountOpInterface`. The IR is left unchanged.

    ```
    $ hpt-opt models/wind/wind.mlir --hpt-print-model-stats -o /dev/null
    model @forward: 27,383,545 parameters (27,383,545 trainable, 0 frozen) in 206 tensors
    ...
    ```
  }];
  let options = [
    Option<"function", "function", "std::string", /*default=*/"\"forward\"",
           "Name of the function whose FLOPs are counted">,
    Option<"format", "format", "std::string", /*default=*/"\"text\"",
           "Output format: text or json">,
  ];
}

#endif // HPT_TRANSFORMS_PASSES_TD
