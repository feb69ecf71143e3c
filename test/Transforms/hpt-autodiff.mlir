// RUN: hpt-opt %s -split-input-file --hpt-autodiff="optimizer=sgd lr=0.1" | FileCheck %s
// RUN: hpt-opt %s -split-input-file --hpt-autodiff="optimizer=adamw lr=1e-4 weight-decay=1e-4 lr-schedule=step step-size=3 gamma=0.6" | FileCheck %s --check-prefix=ADAMW
// RUN: hpt-opt %s -split-input-file --hpt-autodiff="optimizer=adam lr=1e-6 beta1=0.8 eps=1e-6" | FileCheck %s --check-prefix=ADAM
// RUN: hpt-opt %s -split-input-file --hpt-autodiff="optimizer=sgd lr=0.5 momentum=0.9 nesterov=true train-function=step" | FileCheck %s --check-prefix=NESTEROV

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
// CHECK-LABEL: func.func @forward
// CHECK-NOT: grad
// CHECK-LABEL: func.func @train_step
// CHECK-SAME: (%[[X:.*]]: tensor<3x2x8xf32>, %[[T:.*]]: tensor<3x2x4xf32>) -> (tensor<f32>, tensor<3x2x4xf32>)
// CHECK:      %[[Y:.*]] = hpt.linear %[[X]]
// CHECK:      %[[L:.*]] = hpt.mse_loss %[[Y]], %[[T]]
// CHECK-NEXT: %[[DY:.*]] = hpt.mse_loss_grad %[[Y]], %[[T]] : tensor<3x2x4xf32>
// CHECK-NEXT: %[[DY2:.*]] = hpt.reshape %[[DY]] : tensor<3x2x4xf32> -> tensor<6x4xf32>
// CHECK-NEXT: %[[X2:.*]] = hpt.reshape %[[X]] : tensor<3x2x8xf32> -> tensor<6x8xf32>
// CHECK-NEXT: %[[DW:.*]] = hpt.matmul %[[DY2]], %[[X2]] transpose_lhs : (tensor<6x4xf32>, tensor<6x8xf32>) -> tensor<4x8xf32>
// CHECK-NEXT: %[[DB:.*]] = hpt.reduce_rows %[[DY]] : tensor<3x2x4xf32> -> tensor<4xf32>
// CHECK-NEXT: %[[LR:.*]] = hpt.constant_lr 1.000000e-01 : tensor<f32>
// CHECK-NEXT: hpt.sgd_update @w, %[[DW]], %[[LR]] momentum 0.000000e+00 dampening 0.000000e+00 weight_decay 0.000000e+00 : tensor<4x8xf32>
// CHECK-NEXT: hpt.sgd_update @b, %[[DB]], %[[LR]] momentum 0.000000e+00 dampening 0.000000e+00 weight_decay 0.000000e+00 : tensor<4xf32>
// CHECK-NEXT: return %[[L]], %[[Y]]

// ADAMW-LABEL: func.func @train_step
// ADAMW: %[[LR:.*]] = hpt.step_lr 1.000000e-04 step_size 3 gamma 6.000000e-01 : tensor<f32>
// ADAMW: hpt.adamw_update @w, %{{.*}}, %[[LR]] beta1 9.000000e-01 beta2 0.99899999999999999 eps 1.000000e-08 weight_decay 1.000000e-04 : tensor<4x8xf32>
// ADAMW: hpt.adamw_update @b, %{{.*}}, %[[LR]] beta1 9.000000e-01 beta2 0.99899999999999999 eps 1.000000e-08 weight_decay 1.000000e-04 : tensor<4xf32>

// ADAM-LABEL: func.func @train_step
// ADAM: %[[LR:.*]] = hpt.constant_lr 9.9999999999999995E-7 : tensor<f32>
// ADAM: hpt.adam_update @w, %{{.*}}, %[[LR]] beta1 8.000000e-01 beta2 0.99899999999999999 eps 9.9999999999999995E-7 weight_decay 0.000000e+00

// NESTEROV-LABEL: func.func @step
// NESTEROV: hpt.sgd_update @w, %{{.*}}, %{{.*}} momentum 9.000000e-01 dampening 0.000000e+00 weight_decay 0.000000e+00 nesterov : tensor<4x8xf32>

// -----

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
// CHECK-LABEL: func.func @train_step
// CHECK-SAME: (%[[X:.*]]: tensor<2x8xf32>, %[[T:.*]]: tensor<2x4xf32>)
// CHECK:      %[[W2:.*]] = hpt.get_param @w2
// CHECK:      %[[H:.*]] = hpt.linear %[[X]]
// CHECK:      %[[DY:.*]] = hpt.mse_loss_grad
// CHECK-NEXT: %[[DS:.*]] = hpt.matmul %[[DY]], %[[W2]] : (tensor<2x4xf32>, tensor<4x8xf32>) -> tensor<2x8xf32>
// CHECK-NEXT: %[[DR:.*]] = hpt.add %[[DS]], %[[DS]] : tensor<2x8xf32>
// CHECK-NEXT: %[[DH:.*]] = hpt.relu_grad %[[DR]], %[[H]] : tensor<2x8xf32>
// CHECK-NEXT: %[[DW1:.*]] = hpt.matmul %[[DH]], %[[X]] transpose_lhs
// CHECK-NEXT: hpt.constant_lr
// CHECK-NEXT: hpt.sgd_update @w1, %[[DW1]]
// CHECK-NOT: @w2
// CHECK: return

// -----

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
// CHECK-LABEL: func.func @train_step
// CHECK-SAME: (%[[X:.*]]: tensor<3x4xf32>, %[[T:.*]]: tensor<4x6xf32>)
// CHECK:      %[[A:.*]] = hpt.get_param @a
// CHECK-NEXT: %[[P:.*]] = hpt.matmul %[[X]], %[[A]] transpose_lhs transpose_rhs
// CHECK-NEXT: %[[Q:.*]] = hpt.matmul %[[A]], %[[P]] transpose_lhs
// CHECK-NEXT: %[[S:.*]] = hpt.softmax %[[Q]]
// CHECK:      %[[FL:.*]] = hpt.reshape %{{.*}} : tensor<3x4x2xf32> -> tensor<4x6xf32>
// CHECK-NEXT: %[[G:.*]] = hpt.get_param @g
// CHECK:      %[[N:.*]] = hpt.layer_norm
// CHECK:      %[[DN:.*]] = hpt.mse_loss_grad %[[N]], %[[T]]
// CHECK-NEXT: %[[DFL:.*]], %[[DG:.*]], %[[DB:.*]] = hpt.layer_norm_grad %[[DN]], %[[FL]], %[[G]] eps 1.000000e-05
// CHECK-NEXT: %[[DTR:.*]] = hpt.reshape %[[DFL]] : tensor<4x6xf32> -> tensor<3x4x2xf32>
// CHECK-NEXT: %[[DSL:.*]] = hpt.transpose %[[DTR]] [0, 2, 1] : tensor<3x4x2xf32> -> tensor<3x2x4xf32>
// CHECK-NEXT: %[[DC:.*]] = hpt.reshape %[[DSL]] : tensor<3x2x4xf32> -> tensor<3x8xf32>
// CHECK-NEXT: %[[DD:.*]] = hpt.slice %[[DC]] axis 1 offset 0 size 4
// CHECK-NEXT: %[[DU:.*]] = hpt.slice %[[DC]] axis 1 offset 4 size 4
// CHECK-NEXT: %[[DQ1:.*]] = hpt.gelu_grad %[[DU]], %[[Q]] approximate tanh
// CHECK-NEXT: %[[DS:.*]] = hpt.dropout %[[DD]] p 2.500000e-01 seed 9
// CHECK-NEXT: %[[DQ2:.*]] = hpt.softmax_grad %[[DS]], %[[S]] axis -1
// CHECK-NEXT: %[[DQ:.*]] = hpt.add %[[DQ1]], %[[DQ2]]
// q = aᵀ·p: da = p·dqᵀ, dp = a·dq
// CHECK-NEXT: %[[DA1:.*]] = hpt.matmul %[[P]], %[[DQ]] transpose_rhs : (tensor<4x4xf32>, tensor<3x4xf32>) -> tensor<4x3xf32>
// CHECK-NEXT: %[[DP:.*]] = hpt.matmul %[[A]], %[[DQ]] : (tensor<4x3xf32>, tensor<3x4xf32>) -> tensor<4x4xf32>
// p = xᵀ·aᵀ: da = dpᵀ·xᵀ
// CHECK-NEXT: %[[DA2:.*]] = hpt.matmul %[[DP]], %[[X]] transpose_lhs transpose_rhs : (tensor<4x4xf32>, tensor<3x4xf32>) -> tensor<4x3xf32>
// CHECK-NEXT: %[[DA:.*]] = hpt.add %[[DA1]], %[[DA2]]
// CHECK-NEXT: %[[LR:.*]] = hpt.constant_lr
// CHECK-NEXT: hpt.sgd_update @a, %[[DA]], %[[LR]]
// CHECK-NEXT: hpt.sgd_update @g, %[[DG]], %[[LR]]
// CHECK-NEXT: hpt.sgd_update @beta, %[[DB]], %[[LR]]

// -----

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
// CHECK-LABEL: func.func @forward
// CHECK: hpt.self_attention
// CHECK-LABEL: func.func @train_step
// CHECK-NOT: hpt.self_attention
// CHECK-COUNT-6: hpt.batch_matmul
// CHECK: hpt.sgd_update @w
// CHECK-NEXT: hpt.sgd_update @b
