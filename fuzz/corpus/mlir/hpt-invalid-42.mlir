func.func @transpose_length(%x: tensor<1x3x8xf32>) {
  %0 = hpt.transpose %x [1, 0] : tensor<1x3x8xf32> -> tensor<3x1xf32>
  return
}
