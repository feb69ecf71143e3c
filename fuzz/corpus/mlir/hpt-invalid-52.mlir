func.func @layer_norm_grad_gamma(%x: tensor<3x2xf32>, %g: tensor<3xf32>) {
  %0:3 = hpt.layer_norm_grad %x, %x, %g eps 1.0e-5 : (tensor<3x2xf32>, tensor<3x2xf32>, tensor<3xf32>) -> (tensor<3x2xf32>, tensor<3xf32>, tensor<3xf32>)
  return
}
