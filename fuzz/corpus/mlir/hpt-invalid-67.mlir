func.func @adam_beta(%g: tensor<4xf32>, %lr: tensor<f32>) {
  hpt.adam_update @w, %g, %lr beta1 1.0 beta2 0.999 eps 1.0e-8 weight_decay 0.0 : tensor<4xf32>
  return
}
