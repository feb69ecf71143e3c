func.func @relu_grad_types(%dy: tensor<2xf32>, %x: tensor<3xf32>) {
  %0 = "hpt.relu_grad"(%dy, %x) : (tensor<2xf32>, tensor<3xf32>) -> tensor<2xf32>
  return
}
