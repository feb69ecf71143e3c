// A model that transposes the last two axes of a rank-10 view of its
// activations (test/e2e/high-rank.test).
module {
  hpt.param @w0 : tensor<64x4xf32> init <uniform_fan_in, fan_in = 4> seed 1 trainable
  hpt.param @b0 : tensor<64xf32> init <uniform_fan_in, fan_in = 4> seed 2 trainable
  hpt.param @w1 : tensor<1x64xf32> init <uniform_fan_in, fan_in = 64> seed 3 trainable
  func.func @forward(%input: tensor<1x8x4xf32>, %target: tensor<1x8x1xf32>) -> (tensor<f32>, tensor<1x8x1xf32>) {
    %w0 = hpt.get_param @w0 : tensor<64x4xf32>
    %b0 = hpt.get_param @b0 : tensor<64xf32>
    %h = hpt.linear %input, %w0, %b0 : (tensor<1x8x4xf32>, tensor<64x4xf32>, tensor<64xf32>) -> tensor<1x8x64xf32>
    %v = hpt.reshape %h : tensor<1x8x64xf32> -> tensor<1x1x2x2x2x2x2x2x4x2xf32>
    %t = hpt.transpose %v [0, 1, 2, 3, 4, 5, 6, 7, 9, 8] : tensor<1x1x2x2x2x2x2x2x4x2xf32> -> tensor<1x1x2x2x2x2x2x2x2x4xf32>
    %g = hpt.reshape %t : tensor<1x1x2x2x2x2x2x2x2x4xf32> -> tensor<1x8x64xf32>
    %a = hpt.gelu %g : tensor<1x8x64xf32>
    %w1 = hpt.get_param @w1 : tensor<1x64xf32>
    %y = hpt.linear %a, %w1 : (tensor<1x8x64xf32>, tensor<1x64xf32>) -> tensor<1x8x1xf32>
    %loss = hpt.mse_loss %y, %target : tensor<1x8x1xf32> -> tensor<f32>
    return %loss, %y : tensor<f32>, tensor<1x8x1xf32>
  }
}
