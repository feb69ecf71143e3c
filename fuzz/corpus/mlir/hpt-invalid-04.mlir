func.func @missing_param() -> tensor<4xf32> {
  %0 = hpt.get_param @nope : tensor<4xf32>
  return %0 : tensor<4xf32>
}
