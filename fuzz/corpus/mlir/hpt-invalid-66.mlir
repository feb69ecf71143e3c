func.func @sgd_weight_decay(%g: tensor<4xf32>, %lr: tensor<f32>) {
  hpt.sgd_update @w, %g, %lr momentum 0.0 dampening 0.0 weight_decay -1.0 : tensor<4xf32>
  return
}
