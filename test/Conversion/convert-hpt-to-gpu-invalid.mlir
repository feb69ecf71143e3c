// RUN: hpt-opt %s -split-input-file --convert-hpt-to-gpu -verify-diagnostics

func.func @attention(%x: tensor<1x3x8xf32>, %w: tensor<8x8xf32>, %b: tensor<8xf32>) -> tensor<1x3x8xf32> {
  // expected-error @+1 {{'hpt.self_attention' op is placed on the gpu but has no GPU lowering: decompose it first (hpt-decompose-attention)}}
  %0 = hpt.self_attention %x, %w, %b, %w, %b, %w, %b, %w, %b heads 2 head_dim 4 {hpt.device = #hpt.device<gpu>} : (tensor<1x3x8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8xf32>) -> tensor<1x3x8xf32>
  return %0 : tensor<1x3x8xf32>
}

// -----

func.func @double(%x: tensor<2x4xf64>) -> tensor<2x4xf64> {
  // expected-error @+1 {{'hpt.add' op has a value of type 'tensor<2x4xf64>': GPU kernels take static f32 tensors}}
  %0 = hpt.add %x, %x {hpt.device = #hpt.device<gpu>} : tensor<2x4xf64>
  return %0 : tensor<2x4xf64>
}

// -----

func.func @bad_library(%x: tensor<2x4xf32>) -> tensor<2x4xf32> {
  // expected-error @+1 {{'hpt.gpu_library' must be "cublas"}}
  %0 = hpt.add %x, %x {hpt.gpu_library = "rocblas"} : tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}
