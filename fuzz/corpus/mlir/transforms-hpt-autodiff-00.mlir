// A linear layer with bias on data: dW = dYᵀ·X, db = Σ_rows dY, and no dX
// (the data needs no gradient). The forward function stays as it was.
hpt.param @w : tensor<4x8xf32> init <uniform_fan_in, fan_in = 8> seed 1 trainable
hpt.param @b : tensor<4xf32> init <uniform_fan_in, fan_in = 8> seed 2 trainable
func.func @forward(%x: tensor<3x2x8xf32>, %t: tensor<3x2x4xf32>) -> (tensor<f32>, tensor<3x2x4xf32>) {
  %w = hpt.get_param @w : tensor<4x8xf32>
  %b = hpt.get_param @b : tensor<4xf32>
  %y = hpt.linear %x, %w, %b : (tensor<3x2x8xf32>, tensor<4x8xf32>, tensor<4xf32>) -> tensor<3x2x4xf32>
  %l = hpt.mse_loss %y, %t : tensor<3x2x4xf32> -> tensor<f32>
  return %l, %y : tensor<f32>, tensor<3x2x4xf32>
}

// ADAMW-LABEL: func.func @train_step
// ADAMW: %[[LR:.*]] = hpt.step_lr 1.000000e-04 step_size 3 gamma 6.000000e-01 : tensor<f32>
// ADAMW: hpt.adamw_update @w, %{{.*}}, %[[LR]] beta1 9.000000e-01 beta2 0.99899999999999999 eps 1.000000e-08 weight_decay 1.000000e-04 : tensor<4x8xf32>
// ADAMW: hpt.adamw_update @b, %{{.*}}, %[[LR]] beta1 9.000000e-01 beta2 0.99899999999999999 eps 1.000000e-08 weight_decay 1.000000e-04 : tensor<4xf32>

// ADAM-LABEL: func.func @train_step
// ADAM: %[[LR:.*]] = hpt.constant_lr 9.9999999999999995E-7 : tensor<f32>
// ADAM: hpt.adam_update @w, %{{.*}}, %[[LR]] beta1 8.000000e-01 beta2 0.99899999999999999 eps 9.9999999999999995E-7 weight_decay 0.000000e+00

// NESTEROV-LABEL: func.func @step
// NESTEROV: hpt.sgd_update @w, %{{.*}}, %{{.*}} momentum 9.000000e-01 dampening 0.000000e+00 weight_decay 0.000000e+00 nesterov : tensor<4x8xf32>
