// RUN: hpt-opt %s -split-input-file --hpt-decompose-attention | FileCheck %s

// Two heads of four channels over three tokens.
// CHECK-LABEL: func.func @two_heads
// CHECK-SAME: (%[[X:.*]]: tensor<1x3x8xf32>, %[[W:.*]]: tensor<8x8xf32>, %[[B:.*]]: tensor<8xf32>, %[[WO:.*]]: tensor<8x8xf32>)
// CHECK-NOT: hpt.self_attention
// CHECK:      %[[Q:.*]] = hpt.linear %[[X]], %[[W]], %[[B]] : (tensor<1x3x8xf32>, tensor<8x8xf32>, tensor<8xf32>) -> tensor<1x3x8xf32>
// CHECK-NEXT: %[[Q4:.*]] = hpt.reshape %[[Q]] : tensor<1x3x8xf32> -> tensor<1x3x2x4xf32>
// CHECK-NEXT: %[[QH:.*]] = hpt.transpose %[[Q4]] [0, 2, 1, 3] : tensor<1x3x2x4xf32> -> tensor<1x2x3x4xf32>
// CHECK-NEXT: %[[K:.*]] = hpt.linear %[[X]], %[[W]], %[[B]]
// CHECK-NEXT: %[[K4:.*]] = hpt.reshape %[[K]] : tensor<1x3x8xf32> -> tensor<1x3x2x4xf32>
// CHECK-NEXT: %[[KH:.*]] = hpt.transpose %[[K4]] [0, 2, 1, 3]
// CHECK-NEXT: %[[V:.*]] = hpt.linear %[[X]], %[[W]], %[[B]]
// CHECK-NEXT: %[[V4:.*]] = hpt.reshape %[[V]] : tensor<1x3x8xf32> -> tensor<1x3x2x4xf32>
// CHECK-NEXT: %[[VH:.*]] = hpt.transpose %[[V4]] [0, 2, 1, 3]
// CHECK-NEXT: %[[S:.*]] = hpt.batch_matmul %[[QH]], %[[KH]] transpose_rhs : (tensor<1x2x3x4xf32>, tensor<1x2x3x4xf32>) -> tensor<1x2x3x3xf32>
// CHECK-NEXT: %[[SS:.*]] = hpt.scale %[[S]] by 5.000000e-01 : tensor<1x2x3x3xf32>
// CHECK-NEXT: %[[P:.*]] = hpt.softmax %[[SS]] axis -1 : tensor<1x2x3x3xf32>
// CHECK-NEXT: %[[O:.*]] = hpt.batch_matmul %[[P]], %[[VH]] : (tensor<1x2x3x3xf32>, tensor<1x2x3x4xf32>) -> tensor<1x2x3x4xf32>
// CHECK-NEXT: %[[OT:.*]] = hpt.transpose %[[O]] [0, 2, 1, 3] : tensor<1x2x3x4xf32> -> tensor<1x3x2x4xf32>
// CHECK-NEXT: %[[OC:.*]] = hpt.reshape %[[OT]] : tensor<1x3x2x4xf32> -> tensor<1x3x8xf32>
// CHECK-NEXT: %[[Y:.*]] = hpt.linear %[[OC]], %[[WO]], %[[B]] : (tensor<1x3x8xf32>, tensor<8x8xf32>, tensor<8xf32>) -> tensor<1x3x8xf32>
// CHECK-NEXT: return %[[Y]]
func.func @two_heads(%x: tensor<1x3x8xf32>, %w: tensor<8x8xf32>, %b: tensor<8xf32>, %wo: tensor<8x8xf32>) -> tensor<1x3x8xf32> {
  %0 = hpt.self_attention %x, %w, %b, %w, %b, %w, %b, %wo, %b heads 2 head_dim 4 : (tensor<1x3x8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8xf32>) -> tensor<1x3x8xf32>
  return %0 : tensor<1x3x8xf32>
}

// -----

// One head of 16 channels, batch 2, f64: the scale is 1/sqrt(16) and the
// element type carries through every new op.
// CHECK-LABEL: func.func @one_head_f64
// CHECK: hpt.reshape %{{.*}} : tensor<2x5x16xf64> -> tensor<2x5x1x16xf64>
// CHECK: hpt.batch_matmul %{{.*}}, %{{.*}} transpose_rhs : (tensor<2x1x5x16xf64>, tensor<2x1x5x16xf64>) -> tensor<2x1x5x5xf64>
// CHECK-NEXT: hpt.scale %{{.*}} by 2.500000e-01 : tensor<2x1x5x5xf64>
// CHECK: hpt.reshape %{{.*}} : tensor<2x5x1x16xf64> -> tensor<2x5x16xf64>
// CHECK-NOT: hpt.self_attention
func.func @one_head_f64(%x: tensor<2x5x16xf64>, %w: tensor<16x16xf64>, %b: tensor<16xf64>) -> tensor<2x5x16xf64> {
  %0 = hpt.self_attention %x, %w, %b, %w, %b, %w, %b, %w, %b heads 1 head_dim 16 : (tensor<2x5x16xf64>, tensor<16x16xf64>, tensor<16xf64>, tensor<16x16xf64>, tensor<16xf64>, tensor<16x16xf64>, tensor<16xf64>, tensor<16x16xf64>, tensor<16xf64>) -> tensor<2x5x16xf64>
  return %0 : tensor<2x5x16xf64>
}

// -----

// Stacked layers: each attention expands in place, the other ops stay.
// CHECK-LABEL: func.func @stacked
// CHECK-COUNT-2: hpt.softmax
// CHECK-NOT: hpt.self_attention
// CHECK: hpt.layer_norm
func.func @stacked(%x: tensor<1x4x8xf32>, %w: tensor<8x8xf32>, %b: tensor<8xf32>) -> tensor<1x4x8xf32> {
  %0 = hpt.self_attention %x, %w, %b, %w, %b, %w, %b, %w, %b heads 4 head_dim 2 : (tensor<1x4x8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8xf32>) -> tensor<1x4x8xf32>
  %1 = hpt.self_attention %0, %w, %b, %w, %b, %w, %b, %w, %b heads 4 head_dim 2 : (tensor<1x4x8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8xf32>) -> tensor<1x4x8xf32>
  %2 = hpt.layer_norm %1, %b, %b eps 1.0e-5 : (tensor<1x4x8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x4x8xf32>
  return %2 : tensor<1x4x8xf32>
}
