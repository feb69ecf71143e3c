func.func @softmax_axis(%x: tensor<1x3x8xf32>) {
  %0 = hpt.softmax %x axis 3 : tensor<1x3x8xf32>
  return
}
