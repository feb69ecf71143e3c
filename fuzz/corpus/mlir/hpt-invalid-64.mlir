func.func @sgd_dampening(%g: tensor<4xf32>, %lr: tensor<f32>) {
  hpt.sgd_update @w, %g, %lr momentum 0.5 dampening 2.0 weight_decay 0.0 : tensor<4xf32>
  return
}
