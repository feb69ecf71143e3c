// RUN: hpt-opt %s --hpt-systolic-tile="rows=64 cols=64 dataflow=ws filter-kb=1" -verify-diagnostics
// RUN: not hpt-opt %s --hpt-systolic-tile="dataflow=rs" 2>&1 | FileCheck %s --check-prefix=DATAFLOW
// DATAFLOW: hpt-systolic-tile: needs dataflow os, ws or is and positive rows, cols and SRAM sizes

// A 64 x 64 weight tile does not fit half of a 1 kB filter SRAM.
func.func @f(%a: tensor<64x64xf32>, %b: tensor<64x64xf32>) -> tensor<64x64xf32> {
  // expected-error @+1 {{'hpt.matmul' op cannot run on the 64 x 64 ws array: a 4096-word tile does not fit half of the filter SRAM (512 words of 1024)}}
  %y = hpt.matmul %a, %b : (tensor<64x64xf32>, tensor<64x64xf32>) -> tensor<64x64xf32>
  return %y : tensor<64x64xf32>
}
