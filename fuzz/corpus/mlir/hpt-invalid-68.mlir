func.func @adamw_eps(%g: tensor<4xf32>, %lr: tensor<f32>) {
  hpt.adamw_update @w, %g, %lr beta1 0.9 beta2 0.999 eps 0.0 weight_decay 0.0 : tensor<4xf32>
  return
}
