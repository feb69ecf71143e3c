hpt.param @frozen : tensor<4xf32> init <zeros> seed 1
func.func @update_frozen(%g: tensor<4xf32>, %lr: tensor<f32>) {
  hpt.sgd_update @frozen, %g, %lr momentum 0.0 dampening 0.0 weight_decay 0.0 : tensor<4xf32>
  return
}
