// The array from a hardware description (configs/atleus-like.json: Atleus's
// 128 x 32 PEs, ws, 512 KiB SRAMs), and options overriding it.
// RUN: hpt-opt %s --hpt-systolic-tile="hw=%hpt_src/configs/atleus-like.json" | FileCheck %s --check-prefix=HW
// RUN: hpt-opt %s --hpt-systolic-tile="hw=%hpt_src/configs/atleus-like.json rows=8 dataflow=os ofmap-kb=4" | FileCheck %s --check-prefix=OVERRIDE

// ws on 128 x 32 maps K x N = 256 x 64: ceil(256/128)·ceil(64/32) = 4 folds.
// HW: hpt.matmul %{{.*}} {sa.array = #sa.array<ws, 128 x 32, sram = [524288, 524288, 524288]>, sa.folds = 4 : i64}
// os on 8 x 32 maps M x N = 16 x 64: 2·2 = 4 folds.
// OVERRIDE: hpt.matmul %{{.*}} {sa.array = #sa.array<os, 8 x 32, sram = [524288, 524288, 4096]>, sa.folds = 4 : i64}
func.func @f(%a: tensor<16x256xf32>, %b: tensor<256x64xf32>) -> tensor<16x64xf32> {
  %y = hpt.matmul %a, %b : (tensor<16x256xf32>, tensor<256x64xf32>) -> tensor<16x64xf32>
  return %y : tensor<16x64xf32>
}
