hpt.param @w : tensor<4x8xf32> init <zeros> seed 1
func.func @param_type_mismatch() -> tensor<8x4xf32> {
  %0 = hpt.get_param @w : tensor<8x4xf32>
  return %0 : tensor<8x4xf32>
}
