func.func @dropout_negative(%x: tensor<2xf32>) {
  %0 = hpt.dropout %x p -0.1 seed 1 : tensor<2xf32>
  return
}
