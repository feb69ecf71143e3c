func.func @linear_scalar_input(%x: tensor<f32>, %w: tensor<4x8xf32>) {
  %0 = hpt.linear %x, %w : (tensor<f32>, tensor<4x8xf32>) -> tensor<4xf32>
  return
}
