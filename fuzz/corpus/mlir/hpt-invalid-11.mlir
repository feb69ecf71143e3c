func.func @linear_element_types(%x: tensor<2x8xf16>, %w: tensor<4x8xf32>) {
  %0 = hpt.linear %x, %w : (tensor<2x8xf16>, tensor<4x8xf32>) -> tensor<2x4xf16>
  return
}
