func.func @layer_norm_eps(%x: tensor<1x3x8xf32>, %g: tensor<8xf32>) {
  %0 = hpt.layer_norm %x, %g, %g eps 0.0 : (tensor<1x3x8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x3x8xf32>
  return
}
