func.func @reshape_element_type(%x: tensor<1x3x8xf32>) {
  %0 = hpt.reshape %x : tensor<1x3x8xf32> -> tensor<1x24xf16>
  return
}
