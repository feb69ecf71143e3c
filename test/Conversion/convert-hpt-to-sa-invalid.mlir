// convert-hpt-to-sa lowers only the ops the array runs, as hpt-systolic-tile marked them.
// RUN: hpt-opt %s --convert-hpt-to-sa -split-input-file -verify-diagnostics

func.func @not_a_gemm(%x: tensor<4x4xf32>) -> tensor<4x4xf32> {
  // expected-error @+1 {{'hpt.positional_encoding' op has an sa.array but is not an op the array runs}}
  %y = hpt.positional_encoding %x {sa.array = #sa.array<ws, 4 x 4, sram = [1024, 1024, 1024]>} : tensor<4x4xf32>
  return %y : tensor<4x4xf32>
}

// -----

func.func @too_small(%a: tensor<8x8xf32>, %b: tensor<8x8xf32>) -> tensor<8x8xf32> {
  // expected-error @+1 {{'hpt.matmul' op cannot run on its array: a 64-word tile does not fit half of the filter SRAM (16 words of 32)}}
  %y = hpt.matmul %a, %b {sa.array = #sa.array<ws, 8 x 8, sram = [1024, 32, 1024]>} : (tensor<8x8xf32>, tensor<8x8xf32>) -> tensor<8x8xf32>
  return %y : tensor<8x8xf32>
}
