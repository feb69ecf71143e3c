func.func @linear_in_features(%x: tensor<2x7xf32>, %w: tensor<4x8xf32>) {
  %0 = hpt.linear %x, %w : (tensor<2x7xf32>, tensor<4x8xf32>) -> tensor<2x4xf32>
  return
}
