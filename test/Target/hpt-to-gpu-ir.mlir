// RUN: hpt-opt %s --convert-hpt-to-gpu | hpt-translate --hpt-to-gpu-ir | FileCheck %s

// The kernels bufferized in place and mapped to the GPU: a thread per
// iteration of each parallel loop nest (256 per block, a guard for the last
// block), the serial ops between them in one thread; each kernel's function
// launches them in order with all of its arguments.

func.func @f(%x: tensor<2x8xf32>, %y: tensor<2x8xf32>, %big: tensor<4x100xf32>, %t: tensor<2x8xf32>) -> (tensor<2x8xf32>, tensor<4x100xf32>, tensor<f32>, tensor<8x2xf32>, tensor<2x16xf32>) {
  %0 = hpt.add %x, %y {hpt.device = #hpt.device<gpu>} : tensor<2x8xf32>
  %1 = hpt.add %big, %big {hpt.device = #hpt.device<gpu>} : tensor<4x100xf32>
  %2 = hpt.softmax %0 axis -1 {hpt.device = #hpt.device<gpu>} : tensor<2x8xf32>
  %3 = hpt.mse_loss %2, %t {hpt.device = #hpt.device<gpu>} : tensor<2x8xf32> -> tensor<f32>
  %4 = hpt.transpose %2 [1, 0] {hpt.device = #hpt.device<gpu>} : tensor<2x8xf32> -> tensor<8x2xf32>
  %5 = hpt.concat %0, %2 axis 1 {hpt.device = #hpt.device<gpu>} : (tensor<2x8xf32>, tensor<2x8xf32>) -> tensor<2x16xf32>
  return %2, %1, %3, %4, %5 : tensor<2x8xf32>, tensor<4x100xf32>, tensor<f32>, tensor<8x2xf32>, tensor<2x16xf32>
}

// CHECK: module attributes {gpu.container_module}
// CHECK: func.func @add_0(%[[A:.*]]: memref<2x8xf32>, %[[B:.*]]: memref<2x8xf32>, %[[OUT:.*]]: memref<2x8xf32>) attributes {hpt.gpu_args = ["operand:0", "operand:1", "result:0"]}
// CHECK: gpu.launch_func @hpt_kernels::@add_0_0 blocks in (%c1, %c1, %c1) threads in (%c16, %c1, %c1) args(%[[A]] : memref<2x8xf32>, %[[B]] : memref<2x8xf32>, %[[OUT]] : memref<2x8xf32>)
// CHECK-NEXT: return

// 400 elements: two blocks of 256.
// CHECK: func.func @add_1
// CHECK: gpu.launch_func @hpt_kernels::@add_1_0 blocks in (%c2, %c1, %c1) threads in (%c256, %c1, %c1)

// Softmax: max (its -inf fill folded in), exp, sum (its zero fill folded
// in), scale; the row loops one thread per row.
// CHECK: func.func @softmax_0
// CHECK-COUNT-4: gpu.launch_func @hpt_kernels::@softmax_0_
// CHECK-NEXT: return

// The loss is one serial kernel on one thread.
// CHECK: func.func @mse_loss_0
// CHECK: gpu.launch_func @hpt_kernels::@mse_loss_0_0 blocks in (%c1, %c1, %c1) threads in (%c1, %c1, %c1)
// CHECK-NEXT: return

// Concatenation: a copy per input into a view of the result, no other work.
// CHECK: func.func @concat_0
// CHECK-COUNT-2: gpu.launch_func @hpt_kernels::@concat_0_
// CHECK-NEXT: return

// CHECK: gpu.module @hpt_kernels
// CHECK: gpu.func @add_1_0(%{{.*}}: memref<4x100xf32>, %{{.*}}: memref<4x100xf32>, %{{.*}}: memref<4x100xf32>) kernel
// CHECK-DAG: gpu.thread_id x
// CHECK-DAG: gpu.block_id x
// CHECK: arith.cmpi ult, %{{.*}}, %c400
// CHECK: scf.if
// CHECK: gpu.func @softmax_0_0
// CHECK: scf.if
// CHECK-NEXT: %[[ROW:.*]] = arith.remui
// CHECK-NEXT: memref.store %cst, %arg2[%[[ROW]]] : memref<2xf32>
// CHECK-NEXT: scf.for %{{.*}} = %c0 to %c8 step %c1
// CHECK: arith.cmpf olt
// CHECK: gpu.func @mse_loss_0_0
// CHECK-NOT: gpu.thread_id
// CHECK: scf.for
// CHECK: gpu.func @concat_0_1
// CHECK: memref.subview %{{.*}}[0, 8] [2, 8] [1, 1]
// CHECK-NOT: memref.copy
