// RUN: hpt-opt %s --hpt-place="gemm=systolic vector=systolic optimizer=systolic unsupported=host" | FileCheck %s
// RUN: hpt-opt %s --hpt-place | FileCheck %s --check-prefix=HOST
// RUN: hpt-opt %s --hpt-place="gemm=systolic vector=systolic optimizer=systolic unsupported=host hw=%hpt_src/configs/atleus-like.json" | FileCheck %s

// Every hpt op gets the device of its class; func.return is not placed, and a
// placement made earlier is replaced. The systolic array runs the products
// and most vector work, and its vector unit the optimizer update: with
// unsupported=host the loss and its gradient stay on the host.
hpt.param @w : tensor<4x4xf32> init <uniform_fan_in, fan_in = 4> seed 1 trainable
// CHECK-LABEL: func.func @step
// HOST-LABEL: func.func @step
func.func @step(%x: tensor<2x4xf32>, %t: tensor<2x4xf32>) -> tensor<f32> {
  // CHECK: hpt.get_param @w {hpt.device = #hpt.device<host>}
  // HOST: hpt.get_param @w {hpt.device = #hpt.device<host>}
  %w = hpt.get_param @w : tensor<4x4xf32>
  // CHECK: hpt.linear {{.*}} {hpt.device = #hpt.device<systolic>}
  // HOST: hpt.linear {{.*}} {hpt.device = #hpt.device<host>}
  %y = hpt.linear %x, %w {hpt.device = #hpt.device<gpu, 1>} : (tensor<2x4xf32>, tensor<4x4xf32>) -> tensor<2x4xf32>
  // CHECK: hpt.relu {{.*}} {hpt.device = #hpt.device<systolic>}
  %r = hpt.relu %y : tensor<2x4xf32>
  // CHECK: hpt.softmax {{.*}} {hpt.device = #hpt.device<systolic>}
  %s = hpt.softmax %r axis -1 : tensor<2x4xf32>
  // CHECK: hpt.mse_loss {{.*}} {hpt.device = #hpt.device<host>}
  %l = hpt.mse_loss %s, %t : tensor<2x4xf32> -> tensor<f32>
  // CHECK: hpt.mse_loss_grad {{.*}} {hpt.device = #hpt.device<host>}
  %g = hpt.mse_loss_grad %s, %t : tensor<2x4xf32>
  // CHECK: hpt.matmul {{.*}} {hpt.device = #hpt.device<systolic>}
  %dw = hpt.matmul %g, %x transpose_lhs : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<4x4xf32>
  // CHECK: hpt.constant_lr {{.*}} {hpt.device = #hpt.device<host>}
  %lr = hpt.constant_lr 1.0e-03 : tensor<f32>
  // CHECK: hpt.sgd_update {{.*}} {hpt.device = #hpt.device<systolic>}
  // HOST: hpt.sgd_update {{.*}} {hpt.device = #hpt.device<host>}
  hpt.sgd_update @w, %dw, %lr momentum 0.0 dampening 0.0 weight_decay 0.0 : tensor<4x4xf32>
  // CHECK: return %{{.*}} : tensor<f32>
  return %l : tensor<f32>
}
