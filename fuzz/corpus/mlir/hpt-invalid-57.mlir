func.func @lr_type() {
  %0 = hpt.constant_lr 1.0 : tensor<f64>
  return
}
