// Bad input ends in a diagnostic at its source location and a non-zero exit
// status, never a crash (`not` fails on a crash).
// RUN: split-file %s %t
// RUN: not hpt-opt %t/malformed.mlir 2>&1 | FileCheck %s --check-prefix=MALFORMED
// RUN: not hpt-opt %t/unknown-op.mlir 2>&1 | FileCheck %s --check-prefix=UNKNOWN
// RUN: not hpt-opt %t/missing-param.mlir 2>&1 | FileCheck %s --check-prefix=MISSING
// RUN: not hpt-opt %t/wrong-shape.mlir 2>&1 | FileCheck %s --check-prefix=SHAPE
// RUN: not hpt-opt %t/truncated.mlir 2>&1 | FileCheck %s --check-prefix=TRUNCATED
// RUN: not hpt-opt %t/does-not-exist.mlir 2>&1 | FileCheck %s --check-prefix=NOFILE

// NOFILE: cannot open input file '{{.*}}does-not-exist.mlir': No such file or directory

// MALFORMED: malformed.mlir:2:19: error: expected ':'
//--- malformed.mlir
func.func @f(%x: tensor<2xf32>) {
  %0 = hpt.relu %x tensor<2xf32>
  return
}

// UNKNOWN: unknown-op.mlir:2:8: error: custom op 'hpt.frobnicate' is unknown
//--- unknown-op.mlir
func.func @f(%x: tensor<2xf32>) {
  %0 = hpt.frobnicate %x : tensor<2xf32>
  return
}

// MISSING: missing-param.mlir:3:8: error: 'hpt.get_param' op '@enc.0.attn.wq' does not name an hpt.param
//--- missing-param.mlir
hpt.param @enc.0.attn.wk : tensor<4x4xf32> init <zeros> seed 1
func.func @f() -> tensor<4x4xf32> {
  %0 = hpt.get_param @enc.0.attn.wq : tensor<4x4xf32>
  return %0 : tensor<4x4xf32>
}

// SHAPE: wrong-shape.mlir:2:8: error: 'hpt.linear' op input features 12 (of [1, 57, 12]) differ from weight in-features 57 (of [256, 57])
//--- wrong-shape.mlir
func.func @f(%x: tensor<1x57x12xf32>, %w: tensor<256x57xf32>) {
  %0 = hpt.linear %x, %w : (tensor<1x57x12xf32>, tensor<256x57xf32>) -> tensor<1x57x256xf32>
  return
}

// TRUNCATED: truncated.mlir:2:35: error: expected operation name in quotes
//--- truncated.mlir
func.func @f(%x: tensor<2xf32>) {
  %0 = hpt.relu %x : tensor<2xf32>
