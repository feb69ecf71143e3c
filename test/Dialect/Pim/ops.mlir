// RUN: hpt-opt %s | hpt-opt | FileCheck %s
// The pim dialect's ops print and read back.

hpt.param @p : tensor<8x4xf32> init <uniform_fan_in, fan_in = 8> seed 1
// CHECK: pim.crossbars @xbar_p param @p weight 8 x 4 bits 8 cell 2 differential in 4 x 4 groups 1 pes_per_tile 4 input 8 dac 1 adc 6 adcs 2 blocks 2 x 1 slices 4 crossbars 16 pes 8 tiles 0 + 2 utilisation 1.000000e+00
pim.crossbars @xbar_p param @p weight 8 x 4 bits 8 cell 2 differential in 4 x 4 groups 1 pes_per_tile 4 input 8 dac 1 adc 6 adcs 2 blocks 2 x 1 slices 4 crossbars 16 pes 8 tiles 0 + 2 utilisation 1.0
// CHECK: pim.kernel @program {
pim.kernel @program {
^bb0(%w: tensor<8x4xf32>):
  // CHECK: pim.program @xbar_p, %{{.*}} {pulses = 10 : i64} : tensor<8x4xf32>
  pim.program @xbar_p, %w {pulses = 10 : i64} : tensor<8x4xf32>
  pim.yield
}
// CHECK: pim.kernel @read {
pim.kernel @read {
^bb0(%x: tensor<3x8xf32>, %d: tensor<3x4xf32>):
  // CHECK: pim.quantize %{{.*}} bits 8 : tensor<3x8xf32> -> tensor<3x8xi32>, tensor<3xf32>
  %q, %s = pim.quantize %x bits 8 : tensor<3x8xf32> -> tensor<3x8xi32>, tensor<3xf32>
  // CHECK: pim.mvm @xbar_p, %{{.*}} : tensor<3x8xi32> -> tensor<2x4x3x4xi32>
  %p = pim.mvm @xbar_p, %q : tensor<3x8xi32> -> tensor<2x4x3x4xi32>
  %y = pim.shift_add @xbar_p, %p, %s : tensor<2x4x3x4xi32>, tensor<3xf32> -> tensor<3x4xf32>
  %dq, %ds = pim.quantize %d bits 8 : tensor<3x4xf32> -> tensor<3x4xi32>, tensor<3xf32>
  // CHECK: pim.mvm @xbar_p, %{{.*}} transposed : tensor<3x4xi32> -> tensor<1x4x3x8xi32>
  %dp = pim.mvm @xbar_p, %dq transposed : tensor<3x4xi32> -> tensor<1x4x3x8xi32>
  %dx = pim.shift_add @xbar_p, %dp, %ds : tensor<1x4x3x8xi32>, tensor<3xf32> -> tensor<3x8xf32>
  pim.yield %y, %dx : tensor<3x4xf32>, tensor<3x8xf32>
}
