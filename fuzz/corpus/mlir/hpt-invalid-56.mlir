func.func @negative_lr() {
  %0 = hpt.constant_lr -1.0 : tensor<f32>
  return
}
