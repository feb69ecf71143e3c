func.func @layer_norm_grad_shapes(%dy: tensor<2x3xf32>, %x: tensor<3x2xf32>, %g: tensor<2xf32>) {
  %0:3 = hpt.layer_norm_grad %dy, %x, %g eps 1.0e-5 : (tensor<2x3xf32>, tensor<3x2xf32>, tensor<2xf32>) -> (tensor<3x2xf32>, tensor<2xf32>, tensor<2xf32>)
  return
}
