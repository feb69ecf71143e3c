// Softmax (last axis) and layer norm run on the vector unit: rows move
// through the ofmap SRAM in chunks that fit half of it; layer norm's gamma and
// beta are loaded once to the start of the SRAM and follow the tensor in DRAM.
// RUN: hpt-opt %s --hpt-systolic-tile="rows=4 cols=4 dataflow=os ifmap-kb=1 filter-kb=1 ofmap-kb=1" --convert-hpt-to-sa | FileCheck %s

func.func @v(%x: tensor<2x10x64xf32>, %g: tensor<64xf32>, %b: tensor<64xf32>) -> (tensor<2x10x64xf32>, tensor<2x10x64xf32>, tensor<2x10x64xf32>) {
  %s = hpt.softmax %x axis -1 : tensor<2x10x64xf32>
  %n = hpt.layer_norm %x, %g, %b eps 1.0e-5 : (tensor<2x10x64xf32>, tensor<64xf32>, tensor<64xf32>) -> tensor<2x10x64xf32>
  %t = hpt.softmax %x axis 1 : tensor<2x10x64xf32>
  return %s, %n, %t : tensor<2x10x64xf32>, tensor<2x10x64xf32>, tensor<2x10x64xf32>
}
// A softmax over another axis stays where it is.
// CHECK: hpt.softmax %{{.*}} axis -1 {sa.stream = @v_0}
// CHECK: hpt.layer_norm %{{.*}} {sa.stream = @v_1}
// CHECK: hpt.softmax %{{.*}} axis 1 : tensor<2x10x64xf32>
// 20 rows of 64: 8 rows fit half of the 1024-word ofmap SRAM.
// CHECK-LABEL: sa.stream @v_0 {
// CHECK-NEXT: sa.config dataflow os array 4 x 4 sram ifmap 1024 filter 1024 ofmap 1024 dram ifmap 1 filter 1 ofmap 1280 element f32
// CHECK-NEXT: sa.mvin ofmap dram 0 sram 0 tile 8 x 64 stride 64
// CHECK-NEXT: sa.vector softmax sram 0 tile 8 x 64
// CHECK-NEXT: sa.mvout dram 0 sram 0 tile 8 x 64 stride 64
// CHECK-NEXT: sa.mvin ofmap dram 512 sram 512 tile 8 x 64 stride 64
// CHECK-NEXT: sa.vector softmax sram 512 tile 8 x 64
// CHECK-NEXT: sa.mvout dram 512 sram 512 tile 8 x 64 stride 64
// CHECK-NEXT: sa.mvin ofmap dram 1024 sram 0 tile 4 x 64 stride 64
// CHECK-NEXT: sa.vector softmax sram 0 tile 4 x 64
// CHECK-NEXT: sa.mvout dram 1024 sram 0 tile 4 x 64 stride 64
// CHECK-NEXT: }
// Layer norm keeps 128 words for gamma and beta: (1024 - 128) / 2 = 448 words, 7 rows.
// CHECK-LABEL: sa.stream @v_1 {
// CHECK-NEXT: sa.config dataflow os array 4 x 4 sram ifmap 1024 filter 1024 ofmap 1024 dram ifmap 1 filter 1 ofmap 1408 element f32
// CHECK-NEXT: sa.mvin ofmap dram 1280 sram 0 tile 2 x 64 stride 64
// CHECK-NEXT: sa.mvin ofmap dram 0 sram 128 tile 7 x 64 stride 64
// CHECK-NEXT: sa.vector layer_norm sram 128 tile 7 x 64 scalar 9.99999974E-6
// CHECK-NEXT: sa.mvout dram 0 sram 128 tile 7 x 64 stride 64
// CHECK-NEXT: sa.mvin ofmap dram 448 sram 576 tile 7 x 64 stride 64
// CHECK-NEXT: sa.vector layer_norm sram 576 tile 7 x 64 scalar 9.99999974E-6
// CHECK: sa.vector layer_norm sram 128 tile 6 x 64 scalar 9.99999974E-6
// CHECK-NEXT: sa.mvout dram 896 sram 128 tile 6 x 64 stride 64
// CHECK-NEXT: }
