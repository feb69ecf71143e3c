// RUN: hpt-opt %s --hpt-systolic-tile="rows=4 cols=4 dataflow=os ifmap-kb=1 filter-kb=1 ofmap-kb=1" --convert-hpt-to-sa | FileCheck %s --check-prefix=OS
// RUN: hpt-opt %s --hpt-systolic-tile="rows=4 cols=4 dataflow=ws ifmap-kb=1 filter-kb=1 ofmap-kb=1" --convert-hpt-to-sa | FileCheck %s --check-prefix=WS
// RUN: hpt-opt %s --hpt-systolic-tile="rows=4 cols=4 dataflow=is ifmap-kb=1 filter-kb=1 ofmap-kb=1" --convert-hpt-to-sa | FileCheck %s --check-prefix=IS

// A 4x8 · 8x4 GEMM on a 4 x 4 array with 1 kB SRAMs (two 512-word halves).
func.func @g(%a: tensor<4x8xf32>, %b: tensor<8x4xf32>) -> tensor<4x4xf32> {
  %y = hpt.matmul %a, %b : (tensor<4x8xf32>, tensor<8x4xf32>) -> tensor<4x4xf32>
  return %y : tensor<4x4xf32>
}

// Output stationary: one fold streams all of K.
// OS: hpt.matmul %{{.*}}, %{{.*}} {sa.stream = @g_0}
// OS-LABEL: sa.stream @g_0 {
// OS-NEXT: sa.config dataflow os array 4 x 4 sram ifmap 1024 filter 1024 ofmap 1024 dram ifmap 32 filter 32 ofmap 16 element f32
// OS-NEXT: sa.mvin ifmap dram 0 sram 0 tile 4 x 8 stride 8
// OS-NEXT: sa.mvin filter dram 0 sram 0 tile 8 x 4 stride 4
// OS-NEXT: sa.compute streamed 8 rows 4 cols 4 operands 0, 0 result 0 first last
// OS-NEXT: sa.mvout dram 0 sram 0 tile 4 x 4 stride 4
// OS-NEXT: }

// Weight stationary: two folds split K; the second adds its partial sums.
// WS-LABEL: sa.stream @g_0 {
// WS-NEXT: sa.config dataflow ws array 4 x 4
// WS-NEXT: sa.mvin filter dram 0 sram 0 tile 4 x 4 stride 4
// WS-NEXT: sa.preload filter sram 0 rows 4 cols 4
// WS-NEXT: sa.mvin ifmap dram 0 sram 0 tile 4 x 4 stride 8
// WS-NEXT: sa.compute streamed 4 rows 4 cols 4 operands 0, 0 result 0 first last
// WS-NEXT: sa.mvout dram 0 sram 0 tile 4 x 4 stride 4
// WS-NEXT: sa.mvin filter dram 16 sram 512 tile 4 x 4 stride 4
// WS-NEXT: sa.preload filter sram 512 rows 4 cols 4
// WS-NEXT: sa.mvin ifmap dram 4 sram 512 tile 4 x 4 stride 8
// WS-NEXT: sa.compute streamed 4 rows 4 cols 4 operands 512, 0 result 512 first last
// WS-NEXT: sa.mvout dram 0 sram 512 tile 4 x 4 stride 4 accumulate
// WS-NEXT: }

// Input stationary keeps ifmap tiles and streams the filter's N columns.
// IS-LABEL: sa.stream @g_0 {
// IS-NEXT: sa.config dataflow is array 4 x 4
// IS-NEXT: sa.mvin ifmap dram 0 sram 0 tile 4 x 4 stride 8
// IS-NEXT: sa.preload ifmap sram 0 rows 4 cols 4
// IS-NEXT: sa.mvin filter dram 0 sram 0 tile 4 x 4 stride 4
// IS-NEXT: sa.compute streamed 4 rows 4 cols 4 operands 0, 0 result 0 first last
// IS-NEXT: sa.mvout dram 0 sram 0 tile 4 x 4 stride 4
// IS-NEXT: sa.mvin ifmap dram 4 sram 512 tile 4 x 4 stride 8
// IS-NEXT: sa.preload ifmap sram 512 rows 4 cols 4
// IS-NEXT: sa.mvin filter dram 16 sram 512 tile 4 x 4 stride 4
// IS-NEXT: sa.compute streamed 4 rows 4 cols 4 operands 512, 0 result 512 first last
// IS-NEXT: sa.mvout dram 0 sram 512 tile 4 x 4 stride 4 accumulate
// IS-NEXT: }
