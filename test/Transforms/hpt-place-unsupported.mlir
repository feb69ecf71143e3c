// An op its class's device cannot run is refused at the op, unless
// unsupported=host leaves it on the host.
// RUN: not hpt-opt %s --hpt-place="vector=systolic" 2>&1 | FileCheck %s --check-prefix=RELU
// RUN: hpt-opt %s --hpt-place="vector=systolic unsupported=host" | FileCheck %s --check-prefix=KEPT
// RUN: hpt-opt %s --hpt-place="gemm=reram unsupported=host" | FileCheck %s --check-prefix=TRAINED
// RELU: error: hpt-place: the systolic array cannot run hpt.reduce_rows (it runs matrix products, softmax and its gradient over the last axis, layer norm and its gradient, relu, exact gelu, scale, add, dropout, the relu and gelu gradients, and the sgd, adam and adamw updates); give unsupported=host to leave such ops on the host
// KEPT: hpt.layer_norm {{.*}} {hpt.device = #hpt.device<systolic>}
// KEPT: hpt.relu {{.*}} {hpt.device = #hpt.device<systolic>}
// KEPT: hpt.dropout {{.*}} {hpt.device = #hpt.device<systolic>}
// KEPT: hpt.reduce_rows {{.*}} {hpt.device = #hpt.device<host>}
// TRAINED: hpt.linear {{.*}} {hpt.device = #hpt.device<host>}
hpt.param @w : tensor<4x4xf32> init <uniform_fan_in, fan_in = 4> seed 1 trainable
hpt.param @g : tensor<4xf32> init <ones> seed 2 trainable
hpt.param @b : tensor<4xf32> init <zeros> seed 3 trainable
func.func @f(%x: tensor<2x4xf32>) -> tensor<4xf32> {
  %w = hpt.get_param @w : tensor<4x4xf32>
  %g = hpt.get_param @g : tensor<4xf32>
  %b = hpt.get_param @b : tensor<4xf32>
  %y = hpt.linear %x, %w : (tensor<2x4xf32>, tensor<4x4xf32>) -> tensor<2x4xf32>
  %n = hpt.layer_norm %y, %g, %b eps 1.0e-05 : (tensor<2x4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  %r = hpt.relu %n : tensor<2x4xf32>
  %d = hpt.dropout %r p 1.0e-01 seed 7 : tensor<2x4xf32>
  %s = hpt.reduce_rows %d : tensor<2x4xf32> -> tensor<4xf32>
  return %s : tensor<4xf32>
}
