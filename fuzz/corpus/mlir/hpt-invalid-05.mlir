func.func @not_a_param() -> tensor<4xf32> {
  %0 = hpt.get_param @not_a_param : tensor<4xf32>
  return %0 : tensor<4xf32>
}
