// RUN: hpt-opt %s --hpt-place="gemm=reram other=gpu" | FileCheck %s

// A product whose weight the function does not train can go to ReRAM.
hpt.param @frozen : tensor<4x4xf32> init <uniform_fan_in, fan_in = 4> seed 1
hpt.param @head : tensor<4x4xf32> init <uniform_fan_in, fan_in = 4> seed 2 trainable
// CHECK-LABEL: func.func @lora_forward
func.func @lora_forward(%x: tensor<2x4xf32>) -> tensor<2x4xf32> attributes {hpt.trainable = [@head]} {
  // CHECK: hpt.get_param @frozen {hpt.device = #hpt.device<gpu>}
  %w = hpt.get_param @frozen : tensor<4x4xf32>
  // CHECK: hpt.linear {{.*}} {hpt.device = #hpt.device<reram>}
  %y = hpt.linear %x, %w : (tensor<2x4xf32>, tensor<4x4xf32>) -> tensor<2x4xf32>
  return %y : tensor<2x4xf32>
}
