func.func @step_lr_gamma() {
  %0 = hpt.step_lr 1.0e-4 step_size 3 gamma 1.5 : tensor<f32>
  return
}
