// convert-hpt-to-pim writes each tiled weight once and lowers each read to
// quantise, bit-serial read and shift-and-add, with the hardware model's
// costs when a description is recorded.
// RUN: hpt-opt %S/../Transforms/Inputs/frozen-linear.mlir --hpt-crossbar-tile="hw=%hpt_src/configs/atleus-like.json" --convert-hpt-to-pim | FileCheck %s
// RUN: hpt-opt %S/../Transforms/Inputs/frozen-linear.mlir --hpt-crossbar-tile --convert-hpt-to-pim | FileCheck %s --check-prefix=NOHW
// The printed IR reads back.
// RUN: hpt-opt %S/../Transforms/Inputs/frozen-linear.mlir --hpt-crossbar-tile="hw=%hpt_src/configs/atleus-like.json" --convert-hpt-to-pim | hpt-opt | FileCheck %s

// CHECK: hpt.linear {{.*}} pim.crossbars = @xbar_frozen, pim.kernel = @step_pim_0, pim.read = "forward"
// CHECK: hpt.matmul {{.*}} pim.crossbars = @xbar_frozen, pim.kernel = @step_pim_1, pim.read = "transposed"
// Writing 300·200 weights into 8 cells each: pulses from the off state to
// each 2-bit level (0, 33, 65, 97 of 97 steps), on average 48.75 per cell.
// CHECK-LABEL: pim.kernel @program_xbar_frozen {
// CHECK-NEXT: ^bb0(%[[W:.*]]: tensor<200x300xf32>):
// CHECK-NEXT: pim.program @xbar_frozen, %[[W]] transposed {energy_pJ = {{.*}}, latency_ns = 1.241600e+05 : f64, pulses = 23400000 : i64} : tensor<200x300xf32>
// CHECK-NEXT: pim.yield
// CHECK-LABEL: pim.kernel @step_pim_0 {
// CHECK-NEXT: ^bb0(%[[X:.*]]: tensor<16x300xf32>):
// CHECK-NEXT: %[[Q:.*]], %[[S:.*]] = pim.quantize %[[X]] bits 8 : tensor<16x300xf32> -> tensor<16x300xi32>, tensor<16xf32>
// 16 vectors x 8 input cycles x 3 row blocks (one DAC group each) x 200
// columns x 8 crossbars of a block stack: 614400 conversions.
// CHECK-NEXT: %[[P:.*]] = pim.mvm @xbar_frozen, %[[Q]] {conversions = 614400 : i64, energy_pJ = {{.*}}, latency_ns = {{.*}}} : tensor<16x300xi32> -> tensor<3x4x16x200xi32>
// CHECK-NEXT: %[[Y:.*]] = pim.shift_add @xbar_frozen, %[[P]], %[[S]] : tensor<3x4x16x200xi32>, tensor<16xf32> -> tensor<16x200xf32>
// CHECK-NEXT: pim.yield %[[Y]] : tensor<16x200xf32>
// The transposed read drives the 200 columns and converts the 300 rows,
// per column block.
// CHECK-LABEL: pim.kernel @step_pim_1 {
// CHECK: pim.quantize %{{.*}} bits 8 : tensor<16x200xf32> -> tensor<16x200xi32>, tensor<16xf32>
// CHECK: pim.mvm @xbar_frozen, %{{.*}} transposed {conversions = 614400 : i64, {{.*}}} : tensor<16x200xi32> -> tensor<2x4x16x300xi32>
// CHECK: pim.shift_add @xbar_frozen, {{.*}} : tensor<2x4x16x300xi32>, tensor<16xf32> -> tensor<16x300xf32>

// Without a recorded description the kernels carry no costs.
// NOHW: pim.program @xbar_frozen, %{{.*}} transposed : tensor<200x300xf32>
// NOHW: pim.mvm @xbar_frozen, %{{.*}} : tensor<16x300xi32> -> tensor<3x4x16x200xi32>
