// hpt-decompose-attention only runs on IR that verifies: an attention whose
// projections do not fit its heads is refused with a diagnostic, not expanded.
// RUN: hpt-opt %s --hpt-decompose-attention -split-input-file -verify-diagnostics

func.func @bad_projection(%x: tensor<1x3x8xf32>, %w: tensor<8x8xf32>, %b: tensor<8xf32>, %bad: tensor<4xf32>) -> tensor<1x3x8xf32> {
  // expected-error @+2 {{'hpt.self_attention' op bo must be [8], got [4]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = hpt.self_attention %x, %w, %b, %w, %b, %w, %b, %w, %bad heads 2 head_dim 4 : (tensor<1x3x8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<4xf32>) -> tensor<1x3x8xf32>
  return %0 : tensor<1x3x8xf32>
}

// -----

func.func @heads_do_not_split(%x: tensor<1x3x6xf32>, %w: tensor<6x6xf32>, %b: tensor<6xf32>) -> tensor<1x3x6xf32> {
  // expected-error @+2 {{'hpt.self_attention' op heads 4 x head_dim 2 = 8 differs from the input features 6}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = hpt.self_attention %x, %w, %b, %w, %b, %w, %b, %w, %b heads 4 head_dim 2 : (tensor<1x3x6xf32>, tensor<6x6xf32>, tensor<6xf32>, tensor<6x6xf32>, tensor<6xf32>, tensor<6x6xf32>, tensor<6xf32>, tensor<6x6xf32>, tensor<6xf32>) -> tensor<1x3x6xf32>
  return %0 : tensor<1x3x6xf32>
}
