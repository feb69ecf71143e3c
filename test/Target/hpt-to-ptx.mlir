// RUN: hpt-opt %s --convert-hpt-to-gpu | hpt-translate --hpt-to-ptx -o %t.ptx
// RUN: FileCheck %s < %t.ptx
// RUN: %ptxas -arch sm_80 %t.ptx -o %t.sm_80.cubin
// RUN: %ptxas -arch sm_90 %t.ptx -o %t.sm_90.cubin
// RUN: hpt-opt %s --convert-hpt-to-gpu | env HPT_CUDA_TOOLKIT=%t.none not hpt-translate --hpt-to-ptx 2>&1 | FileCheck %s --check-prefix=NOLIBDEVICE
// NOLIBDEVICE: error: the GPU kernels need libdevice, which is not at {{.*}}.none/nvvm/libdevice/libdevice.10.bc (install the CUDA toolkit there, or set HPT_CUDA_TOOLKIT)

// PTX for sm_80 (the driver JITs it for newer GPUs), one entry per launch,
// arguments as bare pointers and scalars; it assembles for sm_80 and sm_90.

hpt.param @g : tensor<8xf32> init <ones> seed 0 trainable
func.func @step(%x: tensor<2x8xf32>, %dg: tensor<8xf32>) -> tensor<2x8xf32> {
  %d = hpt.dropout %x p 1.000000e-01 seed 5 {hpt.device = #hpt.device<gpu>} : tensor<2x8xf32>
  %lr = hpt.constant_lr 1.000000e-03 {hpt.device = #hpt.device<gpu>} : tensor<f32>
  hpt.adam_update @g, %dg, %lr beta1 9.000000e-01 beta2 0.99899999999999999 eps 1.000000e-08 weight_decay 0.000000e+00 {hpt.device = #hpt.device<gpu>} : tensor<8xf32>
  return %d : tensor<2x8xf32>
}

// CHECK: .version 8.0
// CHECK: .target sm_80
// The dropout kernel: input, output, the step (Philox's stream).
// CHECK: .visible .entry dropout_0_0(
// CHECK-NEXT: .param .u64 .ptr .align 1 dropout_0_0_param_0,
// CHECK-NEXT: .param .u64 .ptr .align 1 dropout_0_0_param_1,
// CHECK-NEXT: .param .u64 dropout_0_0_param_2
// CHECK-NEXT: )
// CHECK: mul.wide.u32
// The Adam update: parameter, gradient, two moments, nine coefficients; its
// square root correctly rounded, as the host's.
// CHECK: .visible .entry adam_update_0_0(
// CHECK-COUNT-4: .param .u64 .ptr
// CHECK-COUNT-9: .param .f32
// CHECK: sqrt.rn.f32
