// Matrix products in all transpose combinations, a concat and the
// nonlinearities with non-trivial backward.
hpt.param @a : tensor<4x3xf32> init <uniform_fan_in, fan_in = 3> seed 1 trainable
hpt.param @g : tensor<6xf32> init <ones> seed 2 trainable
hpt.param @beta : tensor<6xf32> init <zeros> seed 3 trainable
func.func @forward(%x: tensor<3x4xf32>, %t: tensor<4x6xf32>) -> (tensor<f32>, tensor<4x6xf32>) {
  %a = hpt.get_param @a : tensor<4x3xf32>
  %p = hpt.matmul %x, %a transpose_lhs transpose_rhs : (tensor<3x4xf32>, tensor<4x3xf32>) -> tensor<4x4xf32>
  %q = hpt.matmul %a, %p transpose_lhs : (tensor<4x3xf32>, tensor<4x4xf32>) -> tensor<3x4xf32>
  %s = hpt.softmax %q axis -1 : tensor<3x4xf32>
  %d = hpt.dropout %s p 2.500000e-01 seed 9 : tensor<3x4xf32>
  %u = hpt.gelu %q approximate tanh : tensor<3x4xf32>
  %c = hpt.concat %d, %u axis 1 : (tensor<3x4xf32>, tensor<3x4xf32>) -> tensor<3x8xf32>
  %sl = hpt.reshape %c : tensor<3x8xf32> -> tensor<3x2x4xf32>
  %tr = hpt.transpose %sl [0, 2, 1] : tensor<3x2x4xf32> -> tensor<3x4x2xf32>
  %fl = hpt.reshape %tr : tensor<3x4x2xf32> -> tensor<4x6xf32>
  %g = hpt.get_param @g : tensor<6xf32>
  %beta = hpt.get_param @beta : tensor<6xf32>
  %n = hpt.layer_norm %fl, %g, %beta eps 1.0e-5 : (tensor<4x6xf32>, tensor<6xf32>, tensor<6xf32>) -> tensor<4x6xf32>
  %l = hpt.mse_loss %n, %t : tensor<4x6xf32> -> tensor<f32>
  return %l, %n : tensor<f32>, tensor<4x6xf32>
}
// q = aᵀ·p: da = p·dqᵀ, dp = a·dq
// p = xᵀ·aᵀ: da = dpᵀ·xᵀ
