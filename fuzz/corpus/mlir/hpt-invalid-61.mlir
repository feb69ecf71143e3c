hpt.param @w : tensor<4xf32> init <zeros> seed 1 trainable
func.func @update_type(%g: tensor<5xf32>, %lr: tensor<f32>) {
  hpt.adam_update @w, %g, %lr beta1 0.9 beta2 0.999 eps 1.0e-8 weight_decay 0.0 : tensor<5xf32>
  return
}
