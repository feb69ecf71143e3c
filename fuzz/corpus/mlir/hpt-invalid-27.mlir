func.func @gelu_approximation(%x: tensor<2xf32>) {
  %0 = hpt.gelu %x approximate sigmoid : tensor<2xf32>
  return
}
