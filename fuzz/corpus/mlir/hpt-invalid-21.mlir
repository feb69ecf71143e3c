func.func @attention_zero_heads(%x: tensor<1x3x8xf32>, %w: tensor<8x8xf32>, %b: tensor<8xf32>) {
  %0 = hpt.self_attention %x, %w, %b, %w, %b, %w, %b, %w, %b heads 0 head_dim 4 : (tensor<1x3x8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8xf32>) -> tensor<1x3x8xf32>
  return
}
