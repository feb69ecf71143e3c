// The backward GEMMs of a linear layer (dX = dY·W, dW = dYᵀ·X) lower like
// any matmul; a fold whose streamed operand does not fit half an SRAM is cut
// into chunks: only the first pays the fill, only the last the drain.
// RUN: hpt-opt %s --hpt-systolic-tile="rows=4 cols=4 dataflow=os ifmap-kb=1 filter-kb=1 ofmap-kb=1" --convert-hpt-to-sa | FileCheck %s

func.func @backward(%dy: tensor<300x4xf32>, %w: tensor<4x4xf32>, %x: tensor<300x4xf32>) -> (tensor<300x4xf32>, tensor<4x4xf32>) {
  %dx = hpt.matmul %dy, %w : (tensor<300x4xf32>, tensor<4x4xf32>) -> tensor<300x4xf32>
  %dw = hpt.matmul %dy, %x transpose_lhs : (tensor<300x4xf32>, tensor<300x4xf32>) -> tensor<4x4xf32>
  return %dx, %dw : tensor<300x4xf32>, tensor<4x4xf32>
}
// dX: 300 x 4 outputs = 75 output-stationary folds of 4 x 4, K = 4 each.
// CHECK-LABEL: sa.stream @backward_0 {
// CHECK-COUNT-75: sa.compute streamed 4 rows 4 cols 4 operands {{[0-9]+}}, {{[0-9]+}} result {{[0-9]+}} first last
// CHECK-NOT: sa.compute
// CHECK: }
// dW: one 4 x 4 fold with K = 300 streamed in chunks of 128 (512 / 4 rows).
// CHECK-LABEL: sa.stream @backward_1 {
// CHECK-NEXT: sa.config dataflow os array 4 x 4 sram ifmap 1024 filter 1024 ofmap 1024 dram ifmap 1200 filter 1200 ofmap 16 element f32
// CHECK: sa.compute streamed 128 rows 4 cols 4 operands 0, 0 result 0 first{{$}}
// CHECK: sa.compute streamed 128 rows 4 cols 4 operands 512, 512 result 0{{$}}
// CHECK: sa.compute streamed 44 rows 4 cols 4 operands 0, 0 result 0 last{{$}}
// CHECK-NEXT: sa.mvout dram 0 sram 0 tile 4 x 4 stride 4
