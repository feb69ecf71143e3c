func.func @linear_result_type(%x: tensor<2x8xf32>, %w: tensor<4x8xf32>) {
  %0 = hpt.linear %x, %w : (tensor<2x8xf32>, tensor<4x8xf32>) -> tensor<2x8xf32>
  return
}
