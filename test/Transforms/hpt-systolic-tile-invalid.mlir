// RUN: hpt-opt %s --hpt-systolic-tile="rows=64 cols=64 dataflow=ws filter-kb=1" -verify-diagnostics
// RUN: not hpt-opt %s --hpt-systolic-tile="dataflow=rs" 2>&1 | FileCheck %s --check-prefix=DATAFLOW
// DATAFLOW: for the --dataflow option: Cannot find option named 'rs'!
// RUN: not hpt-opt %s --hpt-systolic-tile="rows=0" 2>&1 | FileCheck %s --check-prefix=ZERO
// ZERO: hpt-systolic-tile: needs positive rows, cols and SRAM sizes
// A hardware description that is missing, has no array, or is invalid is
// refused naming the file (and the key).
// RUN: not hpt-opt %s --hpt-systolic-tile="hw=%t.missing.json" 2>&1 | FileCheck %s --check-prefix=MISSING
// MISSING: error: hpt-systolic-tile: {{.*}}missing.json: cannot open
// RUN: sed -e 's/"systolic": {/"systolic_": {/' %hpt_src/configs/atleus-like.json > %t.nosystolic.json
// RUN: not hpt-opt %s --hpt-systolic-tile="hw=%t.nosystolic.json" 2>&1 | FileCheck %s --check-prefix=UNKNOWN
// UNKNOWN: error: hpt-systolic-tile: {{.*}}nosystolic.json: systolic_: unknown key
// RUN: sed -e 's/"value": 128,/"value": -128,/' %hpt_src/configs/atleus-like.json > %t.negative.json
// RUN: not hpt-opt %s --hpt-systolic-tile="hw=%t.negative.json" 2>&1 | FileCheck %s --check-prefix=NEGATIVE
// NEGATIVE: error: hpt-systolic-tile: {{.*}}negative.json: systolic.rows.value: must be a positive integer

// A 64 x 64 weight tile does not fit half of a 1 kB filter SRAM.
func.func @f(%a: tensor<64x64xf32>, %b: tensor<64x64xf32>) -> tensor<64x64xf32> {
  // expected-error @+1 {{'hpt.matmul' op cannot run on the 64 x 64 ws array: a 4096-word tile does not fit half of the filter SRAM (512 words of 1024)}}
  %y = hpt.matmul %a, %b : (tensor<64x64xf32>, tensor<64x64xf32>) -> tensor<64x64xf32>
  return %y : tensor<64x64xf32>
}
