func.func @transpose_not_permutation(%x: tensor<1x3x8xf32>) {
  %0 = hpt.transpose %x [0, 0, 1] : tensor<1x3x8xf32> -> tensor<1x1x3xf32>
  return
}
