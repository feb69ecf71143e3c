// RUN: hpt-opt %s --convert-hpt-to-gpu | FileCheck %s
// RUN: hpt-opt %s --convert-hpt-to-gpu | hpt-opt --convert-hpt-to-gpu | FileCheck %s --check-prefix=AGAIN

// Products call cuBLAS (a linear layer's bias is a kernel after it); every
// other op with GPU work gets a linalg kernel in @hpt_gpu, shared by ops of
// the same kind, attributes and types; aliases, learning rates and ops on
// the host get nothing.

hpt.param @w : tensor<8x8xf32> init <uniform_fan_in, fan_in = 8> seed 1 trainable
hpt.param @g : tensor<8xf32> init <ones> seed 0 trainable
// CHECK-LABEL: func.func @step
func.func @step(%x: tensor<2x8xf32>, %t: tensor<2x8xf32>, %b: tensor<8xf32>) -> tensor<f32> {
  // CHECK: hpt.get_param @w {hpt.device = #hpt.device<gpu>}
  %w = hpt.get_param @w {hpt.device = #hpt.device<gpu>} : tensor<8x8xf32>
  // CHECK: hpt.linear {{.*}} {hpt.device = #hpt.device<gpu>, hpt.gpu_kernel = @hpt_gpu::@linear_bias_0, hpt.gpu_library = "cublas"}
  %y = hpt.linear %x, %w, %b {hpt.device = #hpt.device<gpu>} : (tensor<2x8xf32>, tensor<8x8xf32>, tensor<8xf32>) -> tensor<2x8xf32>
  // CHECK: hpt.matmul {{.*}} {hpt.device = #hpt.device<gpu>, hpt.gpu_library = "cublas"}
  %m = hpt.matmul %x, %w {hpt.device = #hpt.device<gpu>} : (tensor<2x8xf32>, tensor<8x8xf32>) -> tensor<2x8xf32>
  // CHECK: hpt.add {{.*}}hpt.gpu_kernel = @hpt_gpu::@add_0}
  // CHECK: hpt.add {{.*}}hpt.gpu_kernel = @hpt_gpu::@add_0}
  // CHECK: hpt.add
  // CHECK-NOT: hpt.gpu_kernel
  // CHECK-SAME: : tensor<2x8xf32>
  %a = hpt.add %y, %m {hpt.device = #hpt.device<gpu>} : tensor<2x8xf32>
  %a2 = hpt.add %a, %m {hpt.device = #hpt.device<gpu>} : tensor<2x8xf32>
  %h = hpt.add %a2, %m : tensor<2x8xf32>
  // CHECK: hpt.mse_loss {{.*}}@hpt_gpu::@mse_loss_0
  %l = hpt.mse_loss %h, %t {hpt.device = #hpt.device<gpu>} : tensor<2x8xf32> -> tensor<f32>
  %dl = hpt.mse_loss_grad %h, %t {hpt.device = #hpt.device<gpu>} : tensor<2x8xf32>
  %dx, %dg, %db = hpt.layer_norm_grad %dl, %x, %b eps 1.000000e-05 {hpt.device = #hpt.device<gpu>} : (tensor<2x8xf32>, tensor<2x8xf32>, tensor<8xf32>) -> (tensor<2x8xf32>, tensor<8xf32>, tensor<8xf32>)
  // CHECK: hpt.constant_lr 1.000000e-03 {hpt.device = #hpt.device<gpu>}
  %lr = hpt.constant_lr 1.000000e-03 {hpt.device = #hpt.device<gpu>} : tensor<f32>
  // CHECK: hpt.adamw_update @g, {{.*}}hpt.gpu_kernel = @hpt_gpu::@adamw_update_0}
  hpt.adamw_update @g, %dg, %lr beta1 9.000000e-01 beta2 0.99899999999999999 eps 1.000000e-08 weight_decay 1.000000e-02 {hpt.device = #hpt.device<gpu>} : tensor<8xf32>
  return %l : tensor<f32>
}

// CHECK-LABEL: module @hpt_gpu

// The bias epilogue reads and writes the product cuBLAS left in the result.
// CHECK: func.func @linear_bias_0(%[[Y:.*]]: tensor<2x8xf32>, %[[B:.*]]: tensor<8xf32>) -> tensor<2x8xf32> attributes {hpt.gpu_args = ["result:0", "operand:2"]}
// CHECK: linalg.generic {indexing_maps = [#[[ALL:.*]], #[[LAST:.*]], #[[ALL]]], iterator_types = ["parallel", "parallel"]} ins(%[[Y]], %[[B]] : tensor<2x8xf32>, tensor<8xf32>) outs(%[[Y]] : tensor<2x8xf32>)
// CHECK: arith.addf

// CHECK: func.func @add_0({{.*}}) -> tensor<2x8xf32> attributes {hpt.gpu_args = ["operand:0", "operand:1", "result:0"]}
// CHECK-NOT: func.func @add_1

// The loss: Σ (double(p) − t)² into a workspace, then / 16 in double.
// CHECK: func.func @mse_loss_0({{.*}}, %[[SUM:.*]]: tensor<f64>) -> (tensor<f32>, tensor<f64>) attributes {hpt.gpu_args = ["operand:0", "operand:1", "result:0", "workspace"]}
// CHECK: linalg.fill {{.*}} outs(%[[SUM]] : tensor<f64>)
// CHECK: iterator_types = ["reduction", "reduction"]
// CHECK: arith.extf
// CHECK: arith.subf {{.*}} : f64
// CHECK: arith.constant 1.600000e+01 : f64
// CHECK: arith.divf {{.*}} : f64
// CHECK: arith.truncf {{.*}} : f64 to f32

// 2/16 in float.
// CHECK: func.func @mse_loss_grad_0
// CHECK: arith.constant 1.250000e-01 : f32

// Four row workspaces (Σx, Σ(x−mean)², Σg, Σg·x̂ in double); dgamma and
// dbeta sum the rows in order, the column axis first.
// CHECK: func.func @layer_norm_grad_0({{.*}}) -> (tensor<2x8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<2xf64>, tensor<2xf64>, tensor<2xf64>, tensor<2xf64>) attributes {hpt.gpu_args = ["operand:0", "operand:1", "operand:2", "result:0", "result:1", "result:2", "workspace", "workspace", "workspace", "workspace"]}
// CHECK-COUNT-3: iterator_types = ["parallel", "reduction"]
// CHECK: math.sqrt {{.*}} : f64
// CHECK: iterator_types = ["parallel", "parallel"]
// CHECK: indexing_maps = [#[[COLUMN_FIRST:.*]], #[[COLUMN_FIRST]], {{.*}} iterator_types = ["parallel", "reduction"]

// CHECK: func.func @adamw_update_0({{.*}}) -> (tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) attributes {hpt.gpu_args = ["param", "operand:0", "moment1", "moment2", "scalar:beta1", "scalar:oneMinusBeta1", "scalar:beta2", "scalar:oneMinusBeta2", "scalar:negStepSize", "scalar:sqrtBias2", "scalar:eps", "scalar:decay", "scalar:l2"]}
// CHECK: math.sqrt {{.*}} : f32

// A second run finds every op done and adds nothing.
// AGAIN-COUNT-1: func.func @add_
// AGAIN-NOT: func.func @add_
