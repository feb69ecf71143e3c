func.func @step_lr_step_size() {
  %0 = hpt.step_lr 1.0e-4 step_size 0 gamma 0.5 : tensor<f32>
  return
}
