// RUN: hpt-opt %s --hpt-systolic-tile="rows=8 cols=8 dataflow=ws" | FileCheck %s --check-prefix=WS
// RUN: hpt-opt %s --hpt-systolic-tile="rows=8 cols=8 dataflow=os" | FileCheck %s --check-prefix=OS
// RUN: hpt-opt %s --hpt-systolic-tile="rows=8 cols=16 dataflow=is ifmap-kb=2 filter-kb=4 ofmap-kb=8" | FileCheck %s --check-prefix=IS

// Folds per dataflow (SCALE-Sim's operand view) of a 16x32 · 32x8 GEMM:
// ws maps K x N = 32 x 8 -> 4 folds; os maps M x N = 16 x 8 -> 2; is maps
// K x M = 32 x 16 -> ceil(32/8)·ceil(16/16) = 4 on an 8 x 16 array.
// A linear layer over [2, 3, 32] with W [8, 32] is the GEMM 6x32 · 32x8.
// Non-GEMM ops are left alone.
// WS-LABEL: func.func @f
// WS: hpt.matmul %{{.*}}, %{{.*}} {sa.array = #sa.array<ws, 8 x 8, sram = [65536, 65536, 65536]>, sa.folds = 4 : i64}
// WS-NEXT: hpt.relu %{{.*}} : tensor<16x8xf32>
// WS-NEXT: hpt.linear %{{.*}}, %{{.*}} {sa.array = #sa.array<ws, 8 x 8, sram = [65536, 65536, 65536]>, sa.folds = 4 : i64}
// OS: hpt.matmul %{{.*}}, %{{.*}} {sa.array = #sa.array<os, 8 x 8, sram = [65536, 65536, 65536]>, sa.folds = 2 : i64}
// OS: hpt.linear %{{.*}}, %{{.*}} {sa.array = #sa.array<os, 8 x 8, sram = [65536, 65536, 65536]>, sa.folds = 1 : i64}
// IS: hpt.matmul %{{.*}}, %{{.*}} {sa.array = #sa.array<is, 8 x 16, sram = [2048, 4096, 8192]>, sa.folds = 4 : i64}
// IS: hpt.linear %{{.*}}, %{{.*}} {sa.array = #sa.array<is, 8 x 16, sram = [2048, 4096, 8192]>, sa.folds = 4 : i64}
func.func @f(%a: tensor<16x32xf32>, %b: tensor<32x8xf32>, %x: tensor<2x3x32xf32>, %w: tensor<8x32xf32>) -> (tensor<16x8xf32>, tensor<2x3x8xf32>) {
  %y = hpt.matmul %a, %b : (tensor<16x32xf32>, tensor<32x8xf32>) -> tensor<16x8xf32>
  %r = hpt.relu %y : tensor<16x8xf32>
  %z = hpt.linear %x, %w : (tensor<2x3x32xf32>, tensor<8x32xf32>) -> tensor<2x3x8xf32>
  return %r, %z : tensor<16x8xf32>, tensor<2x3x8xf32>
}
