// Attention is differentiated through its expansion.
hpt.param @w : tensor<8x8xf32> init <uniform_fan_in, fan_in = 8> seed 1 trainable
hpt.param @b : tensor<8xf32> init <zeros> seed 2 trainable
func.func @forward(%x: tensor<1x3x8xf32>, %t: tensor<1x3x8xf32>) -> (tensor<f32>, tensor<1x3x8xf32>) {
  %w = hpt.get_param @w : tensor<8x8xf32>
  %b = hpt.get_param @b : tensor<8xf32>
  %a = hpt.self_attention %x, %w, %b, %w, %b, %w, %b, %w, %b heads 2 head_dim 4 : (tensor<1x3x8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8xf32>) -> tensor<1x3x8xf32>
  %l = hpt.mse_loss %a, %t : tensor<1x3x8xf32> -> tensor<f32>
  return %l, %a : tensor<f32>, tensor<1x3x8xf32>
}
