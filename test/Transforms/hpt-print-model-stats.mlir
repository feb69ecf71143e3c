// RUN: hpt-opt %s --hpt-print-model-stats -o /dev/null | FileCheck %s --check-prefix=TEXT
// RUN: hpt-opt %s --hpt-print-model-stats=format=json -o /dev/null | FileCheck %s --check-prefix=JSON
// RUN: hpt-opt %s --hpt-print-model-stats=function=other -o /dev/null | FileCheck %s --check-prefix=OTHER
// The pass leaves the IR as it was.
// RUN: hpt-opt %s --hpt-print-model-stats -o %t.after > /dev/null
// RUN: hpt-opt %s -o %t.before
// RUN: diff %t.before %t.after

// Parameters: 16·4 + 16 trainable, 2·16 frozen.
// Forward: linear 3x4 -> 3x16 (2·3·16·4 = 384 matmul, 48 bias adds), relu
// (48), linear 3x16 -> 3x2 without bias (2·3·2·16 = 192), MSE over 6
// elements (3·6 + 1 = 19).
hpt.param @embed.w : tensor<16x4xf32> init <uniform_fan_in, fan_in = 4> seed 1 trainable
hpt.param @embed.b : tensor<16xf32> init <uniform_fan_in, fan_in = 4> seed 2 trainable
hpt.param @head.w : tensor<2x16xf32> init <uniform_fan_in, fan_in = 16> seed 3

func.func @forward(%x: tensor<3x4xf32>, %t: tensor<3x2xf32>) -> tensor<f32> {
  %w = hpt.get_param @embed.w : tensor<16x4xf32>
  %b = hpt.get_param @embed.b : tensor<16xf32>
  %h = hpt.get_param @head.w : tensor<2x16xf32>
  %0 = hpt.linear %x, %w, %b : (tensor<3x4xf32>, tensor<16x4xf32>, tensor<16xf32>) -> tensor<3x16xf32>
  %1 = hpt.relu %0 : tensor<3x16xf32>
  %2 = hpt.linear %1, %h : (tensor<3x16xf32>, tensor<2x16xf32>) -> tensor<3x2xf32>
  %3 = hpt.mse_loss %2, %t : tensor<3x2xf32> -> tensor<f32>
  return %3 : tensor<f32>
}

func.func @other(%x: tensor<5x4xf32>) -> tensor<5x4xf32> {
  %0 = hpt.softmax %x axis -1 : tensor<5x4xf32>
  return %0 : tensor<5x4xf32>
}

// TEXT:      model @forward: 112 parameters (80 trainable, 32 frozen) in 3 tensors
// TEXT-NEXT:   group tensors parameters trainable
// TEXT-NEXT:   embed 2 80 80
// TEXT-NEXT:   head 1 32 0
// TEXT-NEXT: FLOPs per call of @forward: 691 (matmul 576, vector 115)
// TEXT-NEXT:   op count matmul FLOPs vector FLOPs
// TEXT-NEXT:   hpt.linear 2 576 48
// TEXT-NEXT:   hpt.relu 1 0 48
// TEXT-NEXT:   hpt.mse_loss 1 0 19
// TEXT-NOT: hpt.softmax

// JSON:      "flops": {
// JSON-NEXT:   "matmul": 576,
// JSON-NEXT:   "total": 691,
// JSON-NEXT:   "vector": 115
// JSON:      "parameters": {
// JSON-NEXT:   "frozen": 32,
// JSON-NEXT:   "parameters": 112,
// JSON-NEXT:   "tensors": 3,
// JSON-NEXT:   "trainable": 80

// Softmax: 5 FLOPs for each of 5·4 elements.
// OTHER: model @other: 112 parameters
// OTHER: FLOPs per call of @other: 100 (matmul 0, vector 100)
