// A batched matmul runs its GEMMs one after the other on consecutive DRAM
// slices; attention's score products (transpose_rhs) lower the same way.
// RUN: hpt-opt %s --hpt-systolic-tile="rows=4 cols=4 dataflow=os ifmap-kb=1 filter-kb=1 ofmap-kb=1" --convert-hpt-to-sa | FileCheck %s

func.func @scores(%q: tensor<2x4x8xf32>, %k: tensor<2x4x8xf32>) -> tensor<2x4x4xf32> {
  %s = hpt.batch_matmul %q, %k transpose_rhs : (tensor<2x4x8xf32>, tensor<2x4x8xf32>) -> tensor<2x4x4xf32>
  return %s : tensor<2x4x4xf32>
}
// CHECK: hpt.batch_matmul %{{.*}}, %{{.*}} transpose_rhs {sa.stream = @scores_0}
// CHECK-LABEL: sa.stream @scores_0 {
// CHECK-NEXT: sa.config dataflow os array 4 x 4 sram ifmap 1024 filter 1024 ofmap 1024 dram ifmap 64 filter 64 ofmap 32 element f32
// CHECK-NEXT: sa.mvin ifmap dram 0 sram 0 tile 4 x 8 stride 8
// CHECK-NEXT: sa.mvin filter dram 0 sram 0 tile 8 x 4 stride 4
// CHECK-NEXT: sa.compute streamed 8 rows 4 cols 4 operands 0, 0 result 0 first last
// CHECK-NEXT: sa.mvout dram 0 sram 0 tile 4 x 4 stride 4
// CHECK-NEXT: sa.mvin ifmap dram 32 sram 512 tile 4 x 8 stride 8
// CHECK-NEXT: sa.mvin filter dram 32 sram 512 tile 8 x 4 stride 4
// CHECK-NEXT: sa.compute streamed 8 rows 4 cols 4 operands 512, 512 result 512 first last
// CHECK-NEXT: sa.mvout dram 16 sram 512 tile 4 x 4 stride 4
// CHECK-NEXT: }
