func.func @param_in_function() {
  hpt.param @w : tensor<4xf32> init <zeros> seed 1
  return
}
