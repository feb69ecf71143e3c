func.func @scale_factor(%x: tensor<2xf32>) {
  %0 = "hpt.scale"(%x) : (tensor<2xf32>) -> tensor<2xf32>
  return
}
