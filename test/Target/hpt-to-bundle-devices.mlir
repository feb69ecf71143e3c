// Ops placed on the systolic array: the bundle carries the hardware
// description, the streams (each once) and every op's DRAM bindings.
// RUN: hpt-opt %s --hpt-place="gemm=systolic hw=%hpt_src/configs/atleus-like.json" --hpt-systolic-tile="hw=%hpt_src/configs/atleus-like.json" --convert-hpt-to-sa | hpt-translate --hpt-to-bundle -o %t.hptb
// RUN: %python %S/Inputs/check_bundle_header.py %t.hptb | FileCheck %s --check-prefix=FRAME
// FRAME: frame ok: version 3, sections program hardware systolic systolic.streams
// RUN: %python %S/Inputs/dump_systolic_section.py %t.hptb | FileCheck %s

// Two linear layers of one shape share a stream; the third has its own.
// The weight [out, in] is bound transposed into the filter region and the
// bias after the 8 x 16 result in the ofmap region.
// CHECK: streams 2, ops 3
// CHECK: @f op 2 stream 0: ifmap <- %0 at 0; filter <- %2 at 0 transposed; ofmap -> %4 at 0; ofmap <- %3 at 128
// CHECK: @f op 3 stream 0: ifmap <- %4 at 0; filter <- %2 at 0 transposed; ofmap -> %5 at 0; ofmap <- %3 at 128
// CHECK: @f op 4 stream 1: ifmap <- %5 at 0; filter <- %1 at 0; ofmap -> %6 at 0
// CHECK: program: op 0 get_param on host
// CHECK: program: op 2 linear on systolic
// CHECK: program: op 5 relu on host
// CHECK: hardware: atleus-like
hpt.param @w : tensor<16x16xf32> init <uniform_fan_in, fan_in = 16> seed 1 trainable
hpt.param @b : tensor<16xf32> init <zeros> seed 2 trainable
func.func @f(%x: tensor<8x16xf32>, %m: tensor<16x4xf32>) -> tensor<8x4xf32> {
  %w = hpt.get_param @w : tensor<16x16xf32>
  %b = hpt.get_param @b : tensor<16xf32>
  %y = hpt.linear %x, %w, %b : (tensor<8x16xf32>, tensor<16x16xf32>, tensor<16xf32>) -> tensor<8x16xf32>
  %z = hpt.linear %y, %w, %b : (tensor<8x16xf32>, tensor<16x16xf32>, tensor<16xf32>) -> tensor<8x16xf32>
  %p = hpt.matmul %z, %m : (tensor<8x16xf32>, tensor<16x4xf32>) -> tensor<8x4xf32>
  %r = hpt.relu %p : tensor<8x4xf32>
  return %r : tensor<8x4xf32>
}
