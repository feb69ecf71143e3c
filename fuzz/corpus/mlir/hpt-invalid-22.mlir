func.func @layer_norm_gamma(%x: tensor<1x3x8xf32>, %g: tensor<3xf32>, %b: tensor<8xf32>) {
  %0 = hpt.layer_norm %x, %g, %b eps 1.0e-5 : (tensor<1x3x8xf32>, tensor<3xf32>, tensor<8xf32>) -> tensor<1x3x8xf32>
  return
}
