func.func @softmax_grad_axis(%dy: tensor<2x3xf32>) {
  %0 = hpt.softmax_grad %dy, %dy axis -3 : tensor<2x3xf32>
  return
}
