func.func @sgd_nesterov(%g: tensor<4xf32>, %lr: tensor<f32>) {
  hpt.sgd_update @w, %g, %lr momentum 0.0 dampening 0.0 weight_decay 0.0 nesterov : tensor<4xf32>
  return
}
