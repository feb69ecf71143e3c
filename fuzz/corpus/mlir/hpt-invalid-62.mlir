func.func @update_missing(%g: tensor<4xf32>, %lr: tensor<f32>) {
  hpt.adamw_update @nope, %g, %lr beta1 0.9 beta2 0.999 eps 1.0e-8 weight_decay 0.0 : tensor<4xf32>
  return
}
