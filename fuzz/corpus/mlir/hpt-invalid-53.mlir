func.func @reduce_rows_scalar(%x: tensor<f32>) {
  %0 = hpt.reduce_rows %x : tensor<f32> -> tensor<1xf32>
  return
}
