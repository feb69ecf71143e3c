// RUN: hpt-translate --hpt-to-bundle %s | FileCheck %s
// Each section's size and checksum in its frame match its bytes.
// RUN: hpt-translate --hpt-to-bundle %s -o %t.hptb
// RUN: %python %S/Inputs/check_bundle_header.py %t.hptb | FileCheck %s --check-prefix=HEADER

// HEADER: frame ok: version 3, sections program

// CHECK: HPTBUNDLE 3 1
// CHECK-NEXT: SECTION program {{[0-9]+}} {{[0-9a-f]+}}
// CHECK-NEXT: {"format":"hpt-bundle","functions":[
// CHECK-SAME: {"args":{{\[\[}}2,8],[2,4]],"name":"train_step","ops":[
// CHECK-SAME: {"attrs":{"name":"w"},"loc":"{{.*}}hpt-to-bundle.mlir:{{[0-9]+}}:8","op":"get_param","operands":[],"results":[2],"shapes":{{\[\[}}4,8]]}
// CHECK-SAME: {"attrs":{},"loc":"{{.*}}","op":"linear","operands":[0,2],"results":[3],"shapes":{{\[\[}}2,4]]}
// CHECK-SAME: {"attrs":{"approximate":"tanh"},"loc":"{{.*}}","op":"gelu","operands":[3],"results":[4],"shapes":{{\[\[}}2,4]]}
// CHECK-SAME: {"attrs":{"permutation":[1,0]},"loc":"{{.*}}","op":"transpose","operands":[4],"results":[5],"shapes":{{\[\[}}4,2]]}
// CHECK-SAME: {"attrs":{},"loc":"{{.*}}","op":"mse_loss","operands":[5,6],"results":[7],"shapes":{{\[\[}}]]}
// CHECK-SAME: "op":"layer_norm_grad","operands":[3,3,8],"results":[9,10,11],"shapes":{{\[\[}}2,4],[4],[4]]}
// CHECK-SAME: {"attrs":{"base":0.5},"loc":"{{.*}}","op":"constant_lr","operands":[],"results":[12],"shapes":{{\[\[}}]]}
// CHECK-SAME: {"attrs":{"dampening":0,"momentum":0.90000000000000002,"nesterov":true,"param":"g","weight_decay":0},"loc":"{{.*}}","op":"sgd_update","operands":[10,12],"results":[],"shapes":[]}
// CHECK-SAME: ],"returns":[7,5],"values":13}
// CHECK-SAME: ],"params":[
// CHECK-SAME: {"fan_in":8,"init":"uniform_fan_in","name":"w","seed":1,"shape":[4,8],"trainable":true}
// CHECK-SAME: {"fan_in":0,"init":"ones","name":"g","seed":2,"shape":[4],"trainable":true}
// CHECK-SAME: ],"programs":[],"version":3}

hpt.param @w : tensor<4x8xf32> init <uniform_fan_in, fan_in = 8> seed 1 trainable
hpt.param @g : tensor<4xf32> init <ones> seed 2 trainable
func.func @train_step(%x: tensor<2x8xf32>, %t: tensor<2x4xf32>) -> (tensor<f32>, tensor<4x2xf32>) {
  %w = hpt.get_param @w : tensor<4x8xf32>
  %y = hpt.linear %x, %w : (tensor<2x8xf32>, tensor<4x8xf32>) -> tensor<2x4xf32>
  %a = hpt.gelu %y approximate tanh : tensor<2x4xf32>
  %b = hpt.transpose %a [1, 0] : tensor<2x4xf32> -> tensor<4x2xf32>
  %t2 = hpt.reshape %t : tensor<2x4xf32> -> tensor<4x2xf32>
  %l = hpt.mse_loss %b, %t2 : tensor<4x2xf32> -> tensor<f32>
  %g = hpt.get_param @g : tensor<4xf32>
  %d:3 = hpt.layer_norm_grad %y, %y, %g eps 1.0e-5 : (tensor<2x4xf32>, tensor<2x4xf32>, tensor<4xf32>) -> (tensor<2x4xf32>, tensor<4xf32>, tensor<4xf32>)
  %lr = hpt.constant_lr 0.5 : tensor<f32>
  hpt.sgd_update @g, %d#1, %lr momentum 0.9 dampening 0.0 weight_decay 0.0 nesterov : tensor<4xf32>
  return %l, %b : tensor<f32>, tensor<4x2xf32>
}
