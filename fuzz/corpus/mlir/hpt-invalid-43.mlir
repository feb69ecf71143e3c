func.func @mse_shapes(%y: tensor<1x50xf32>, %t: tensor<1x50x1xf32>) {
  %0 = "hpt.mse_loss"(%y, %t) : (tensor<1x50xf32>, tensor<1x50x1xf32>) -> tensor<f32>
  return
}
