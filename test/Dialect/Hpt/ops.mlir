// Every hpt op and attribute prints and parses back to itself, in the custom
// and in the generic form.
// RUN: hpt-opt %s | hpt-opt | FileCheck %s
// RUN: hpt-opt %s --mlir-print-op-generic | hpt-opt | FileCheck %s

// CHECK: hpt.param @w : tensor<4x8xf32> init <uniform_fan_in, fan_in = 8> seed 1 trainable
hpt.param @w : tensor<4x8xf32> init <uniform_fan_in, fan_in = 8> seed 1 trainable
// CHECK: hpt.param @b : tensor<4xf32> init <zeros> seed 2{{$}}
hpt.param @b : tensor<4xf32> init <zeros> seed 2
// CHECK: hpt.param @g : tensor<8xf64> init <ones> seed 3 trainable
hpt.param @g : tensor<8xf64> init <ones> seed 3 trainable

// CHECK-LABEL: func.func @params
func.func @params() -> (tensor<4x8xf32>, tensor<4xf32>) {
  // CHECK: hpt.get_param @w : tensor<4x8xf32>
  %w = hpt.get_param @w : tensor<4x8xf32>
  // CHECK: hpt.get_param @b : tensor<4xf32>
  %b = hpt.get_param @b : tensor<4xf32>
  return %w, %b : tensor<4x8xf32>, tensor<4xf32>
}

// CHECK-LABEL: func.func @linear_algebra
func.func @linear_algebra(%x: tensor<2x3x8xf32>, %w: tensor<4x8xf32>, %b: tensor<4xf32>,
                          %m: tensor<8x16xf32>, %n: tensor<16x8xf32>,
                          %p: tensor<2x3x8xf32>, %q: tensor<2x5x8xf32>) {
  // CHECK: hpt.linear %{{.*}}, %{{.*}}, %{{.*}} : (tensor<2x3x8xf32>, tensor<4x8xf32>, tensor<4xf32>) -> tensor<2x3x4xf32>
  %0 = hpt.linear %x, %w, %b : (tensor<2x3x8xf32>, tensor<4x8xf32>, tensor<4xf32>) -> tensor<2x3x4xf32>
  // CHECK: hpt.linear %{{.*}}, %{{.*}} : (tensor<2x3x8xf32>, tensor<4x8xf32>) -> tensor<2x3x4xf32>
  %1 = hpt.linear %x, %w : (tensor<2x3x8xf32>, tensor<4x8xf32>) -> tensor<2x3x4xf32>
  // CHECK: hpt.matmul %{{.*}}, %{{.*}} : (tensor<8x16xf32>, tensor<16x8xf32>) -> tensor<8x8xf32>
  %2 = hpt.matmul %m, %n : (tensor<8x16xf32>, tensor<16x8xf32>) -> tensor<8x8xf32>
  // CHECK: hpt.matmul %{{.*}}, %{{.*}} transpose_lhs transpose_rhs : (tensor<8x16xf32>, tensor<16x8xf32>) -> tensor<16x16xf32>
  %3 = hpt.matmul %m, %n transpose_lhs transpose_rhs : (tensor<8x16xf32>, tensor<16x8xf32>) -> tensor<16x16xf32>
  // CHECK: hpt.batch_matmul %{{.*}}, %{{.*}} transpose_rhs : (tensor<2x3x8xf32>, tensor<2x5x8xf32>) -> tensor<2x3x5xf32>
  %4 = hpt.batch_matmul %p, %q transpose_rhs : (tensor<2x3x8xf32>, tensor<2x5x8xf32>) -> tensor<2x3x5xf32>
  // CHECK: hpt.batch_matmul %{{.*}}, %{{.*}} transpose_lhs : (tensor<2x3x8xf32>, tensor<2x3x8xf32>) -> tensor<2x8x8xf32>
  %5 = hpt.batch_matmul %p, %p transpose_lhs : (tensor<2x3x8xf32>, tensor<2x3x8xf32>) -> tensor<2x8x8xf32>
  return
}

// CHECK-LABEL: func.func @attention
func.func @attention(%x: tensor<1x3x8xf32>, %w: tensor<8x8xf32>, %b: tensor<8xf32>) -> tensor<1x3x8xf32> {
  // CHECK: hpt.self_attention %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} heads 2 head_dim 4 : (tensor<1x3x8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8xf32>) -> tensor<1x3x8xf32>
  %0 = hpt.self_attention %x, %w, %b, %w, %b, %w, %b, %w, %b heads 2 head_dim 4 : (tensor<1x3x8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8xf32>) -> tensor<1x3x8xf32>
  return %0 : tensor<1x3x8xf32>
}

// CHECK-LABEL: func.func @norms_and_activations
func.func @norms_and_activations(%x: tensor<1x3x8xf32>, %g: tensor<8xf32>, %b: tensor<8xf32>) {
  // CHECK: hpt.layer_norm %{{.*}}, %{{.*}}, %{{.*}} eps 1.000000e-05 : (tensor<1x3x8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x3x8xf32>
  %0 = hpt.layer_norm %x, %g, %b eps 1.0e-5 : (tensor<1x3x8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x3x8xf32>
  // CHECK: hpt.softmax %{{.*}} axis -1 : tensor<1x3x8xf32>
  %1 = hpt.softmax %x axis -1 : tensor<1x3x8xf32>
  // CHECK: hpt.softmax %{{.*}} axis 1 : tensor<1x3x8xf32>
  %2 = hpt.softmax %x axis 1 : tensor<1x3x8xf32>
  // CHECK: hpt.relu %{{.*}} : tensor<1x3x8xf32>
  %3 = hpt.relu %x : tensor<1x3x8xf32>
  // CHECK: hpt.gelu %{{.*}} : tensor<1x3x8xf32>
  %4 = hpt.gelu %x : tensor<1x3x8xf32>
  // CHECK: hpt.gelu %{{.*}} approximate tanh : tensor<1x3x8xf32>
  %5 = hpt.gelu %x approximate tanh : tensor<1x3x8xf32>
  // CHECK: hpt.scale %{{.*}} by 1.250000e-01 : tensor<1x3x8xf32>
  %6 = hpt.scale %x by 0.125 : tensor<1x3x8xf32>
  // CHECK: hpt.dropout %{{.*}} p 1.000000e-01 seed 7 : tensor<1x3x8xf32>
  %7 = hpt.dropout %x p 0.1 seed 7 : tensor<1x3x8xf32>
  // CHECK: hpt.positional_encoding %{{.*}} : tensor<1x3x8xf32>
  %8 = hpt.positional_encoding %x : tensor<1x3x8xf32>
  // CHECK: hpt.positional_encoding %{{.*}} max_len 16 : tensor<1x3x8xf32>
  %9 = hpt.positional_encoding %x max_len 16 : tensor<1x3x8xf32>
  return
}

// CHECK-LABEL: func.func @shapes
func.func @shapes(%x: tensor<1x3x8xf32>, %y: tensor<1x3x2xf32>) {
  // CHECK: hpt.add %{{.*}}, %{{.*}} : tensor<1x3x8xf32>
  %0 = hpt.add %x, %x : tensor<1x3x8xf32>
  // CHECK: hpt.concat %{{.*}}, %{{.*}} axis -1 : (tensor<1x3x8xf32>, tensor<1x3x2xf32>) -> tensor<1x3x10xf32>
  %1 = hpt.concat %x, %y axis -1 : (tensor<1x3x8xf32>, tensor<1x3x2xf32>) -> tensor<1x3x10xf32>
  // CHECK: hpt.concat %{{.*}}, %{{.*}}, %{{.*}} axis 1 : (tensor<1x3x8xf32>, tensor<1x3x8xf32>, tensor<1x3x8xf32>) -> tensor<1x9x8xf32>
  %2 = hpt.concat %x, %x, %x axis 1 : (tensor<1x3x8xf32>, tensor<1x3x8xf32>, tensor<1x3x8xf32>) -> tensor<1x9x8xf32>
  // CHECK: hpt.reshape %{{.*}} : tensor<1x3x8xf32> -> tensor<1x24xf32>
  %3 = hpt.reshape %x : tensor<1x3x8xf32> -> tensor<1x24xf32>
  // CHECK: hpt.transpose %{{.*}} [0, 2, 1] : tensor<1x3x8xf32> -> tensor<1x8x3xf32>
  %4 = hpt.transpose %x [0, 2, 1] : tensor<1x3x8xf32> -> tensor<1x8x3xf32>
  return
}

// CHECK-LABEL: func.func @loss
func.func @loss(%y: tensor<1x57xf32>, %t: tensor<1x57xf32>) -> tensor<f32> {
  // CHECK: hpt.mse_loss %{{.*}}, %{{.*}} : tensor<1x57xf32> -> tensor<f32>
  %0 = hpt.mse_loss %y, %t : tensor<1x57xf32> -> tensor<f32>
  return %0 : tensor<f32>
}

// CHECK-LABEL: func.func @attributes
// CHECK-SAME: hpt.device = #hpt.device<reram>
// CHECK-SAME: hpt.devices = [#hpt.device<host>, #hpt.device<gpu>, #hpt.device<systolic, 3>]
// CHECK-SAME: hpt.init = #hpt.init<uniform_fan_in, fan_in = 512>
// CHECK-SAME: hpt.lora = #hpt.lora<rank = 8, alpha = 6.400000e+01, dropout = 1.000000e-01>
func.func @attributes() attributes {
    hpt.device = #hpt.device<reram>,
    hpt.devices = [#hpt.device<host>, #hpt.device<gpu>, #hpt.device<systolic, 3>],
    hpt.init = #hpt.init<uniform_fan_in, fan_in = 512>,
    hpt.lora = #hpt.lora<rank = 8, alpha = 64.0, dropout = 0.1>} {
  return
}

// CHECK-LABEL: func.func @gradients
func.func @gradients(%dy: tensor<2x3x8xf32>, %x: tensor<2x3x8xf32>, %g: tensor<8xf32>) {
  // CHECK: hpt.relu_grad %{{.*}}, %{{.*}} : tensor<2x3x8xf32>
  %0 = hpt.relu_grad %dy, %x : tensor<2x3x8xf32>
  // CHECK: hpt.gelu_grad %{{.*}}, %{{.*}} : tensor<2x3x8xf32>
  %1 = hpt.gelu_grad %dy, %x : tensor<2x3x8xf32>
  // CHECK: hpt.gelu_grad %{{.*}}, %{{.*}} approximate tanh : tensor<2x3x8xf32>
  %2 = hpt.gelu_grad %dy, %x approximate tanh : tensor<2x3x8xf32>
  // CHECK: hpt.softmax_grad %{{.*}}, %{{.*}} axis 1 : tensor<2x3x8xf32>
  %3 = hpt.softmax_grad %dy, %x axis 1 : tensor<2x3x8xf32>
  // CHECK: hpt.layer_norm_grad %{{.*}}, %{{.*}}, %{{.*}} eps 1.000000e-05 : (tensor<2x3x8xf32>, tensor<2x3x8xf32>, tensor<8xf32>) -> (tensor<2x3x8xf32>, tensor<8xf32>, tensor<8xf32>)
  %4:3 = hpt.layer_norm_grad %dy, %x, %g eps 1.0e-5 : (tensor<2x3x8xf32>, tensor<2x3x8xf32>, tensor<8xf32>) -> (tensor<2x3x8xf32>, tensor<8xf32>, tensor<8xf32>)
  // CHECK: hpt.mse_loss_grad %{{.*}}, %{{.*}} : tensor<2x3x8xf32>
  %5 = hpt.mse_loss_grad %dy, %x : tensor<2x3x8xf32>
  // CHECK: hpt.reduce_rows %{{.*}} : tensor<2x3x8xf32> -> tensor<8xf32>
  %6 = hpt.reduce_rows %dy : tensor<2x3x8xf32> -> tensor<8xf32>
  // CHECK: hpt.slice %{{.*}} axis -1 offset 2 size 4 : tensor<2x3x8xf32> -> tensor<2x3x4xf32>
  %7 = hpt.slice %dy axis -1 offset 2 size 4 : tensor<2x3x8xf32> -> tensor<2x3x4xf32>
  return
}

hpt.param @u : tensor<4x8xf32> init <uniform_fan_in, fan_in = 8> seed 9 trainable

// CHECK-LABEL: func.func @optimizers
func.func @optimizers(%g: tensor<4x8xf32>) {
  // CHECK: %[[C:.*]] = hpt.constant_lr 1.000000e-03 : tensor<f32>
  %lr = hpt.constant_lr 1.0e-3 : tensor<f32>
  // CHECK: %[[S:.*]] = hpt.step_lr 1.000000e-04 step_size 3 gamma 6.000000e-01 : tensor<f32>
  %slr = hpt.step_lr 1.0e-4 step_size 3 gamma 0.6 : tensor<f32>
  // CHECK: hpt.sgd_update @u, %{{.*}}, %[[C]] momentum 9.000000e-01 dampening 0.000000e+00 weight_decay 1.000000e-04 nesterov : tensor<4x8xf32>
  hpt.sgd_update @u, %g, %lr momentum 0.9 dampening 0.0 weight_decay 1.0e-4 nesterov : tensor<4x8xf32>
  // CHECK: hpt.adam_update @u, %{{.*}}, %[[S]] beta1 9.000000e-01 beta2 0.99899999999999999 eps 1.000000e-08 weight_decay 0.000000e+00 : tensor<4x8xf32>
  hpt.adam_update @u, %g, %slr beta1 0.9 beta2 0.999 eps 1.0e-8 weight_decay 0.0 : tensor<4x8xf32>
  // CHECK: hpt.adamw_update @u, %{{.*}}, %[[C]] beta1 9.000000e-01 beta2 0.99899999999999999 eps 1.000000e-08 weight_decay 1.000000e-02 : tensor<4x8xf32>
  hpt.adamw_update @u, %g, %lr beta1 0.9 beta2 0.999 eps 1.0e-8 weight_decay 0.01 : tensor<4x8xf32>
  return
}
