// Two layers: the hidden activation gets dX = dY·W (through relu), a value
// used twice gets the sum of its gradients, and a frozen weight gets neither
// a gradient nor an update.
hpt.param @w1 : tensor<8x8xf32> init <uniform_fan_in, fan_in = 8> seed 1 trainable
hpt.param @w2 : tensor<4x8xf32> init <uniform_fan_in, fan_in = 8> seed 2
func.func @forward(%x: tensor<2x8xf32>, %t: tensor<2x4xf32>) -> (tensor<f32>, tensor<2x4xf32>) {
  %w1 = hpt.get_param @w1 : tensor<8x8xf32>
  %w2 = hpt.get_param @w2 : tensor<4x8xf32>
  %h = hpt.linear %x, %w1 : (tensor<2x8xf32>, tensor<8x8xf32>) -> tensor<2x8xf32>
  %r = hpt.relu %h : tensor<2x8xf32>
  %s = hpt.add %r, %r : tensor<2x8xf32>
  %y = hpt.linear %s, %w2 : (tensor<2x8xf32>, tensor<4x8xf32>) -> tensor<2x4xf32>
  %l = hpt.mse_loss %y, %t : tensor<2x4xf32> -> tensor<f32>
  return %l, %y : tensor<f32>, tensor<2x4xf32>
}
