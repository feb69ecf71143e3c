// Softmax (last axis) and layer norm run on the vector unit: rows move
// through the ofmap SRAM in chunks that fit half of it; layer norm's gamma and
// beta are loaded once to the start of the SRAM and follow the tensor in DRAM.
// RUN: hpt-opt %s --hpt-systolic-tile="rows=4 cols=4 dataflow=os ifmap-kb=1 filter-kb=1 ofmap-kb=1" --convert-hpt-to-sa -split-input-file | FileCheck %s

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
// CHECK-NEXT: sa.mvin ofmap dram 1280 sram 0 tile 1 x 128 stride 128
// CHECK-NEXT: sa.mvin ofmap dram 0 sram 128 tile 7 x 64 stride 64
// CHECK-NEXT: sa.vector layer_norm sram 128 tile 7 x 64 scalar 9.99999974E-6
// CHECK-NEXT: sa.mvout dram 0 sram 128 tile 7 x 64 stride 64
// CHECK-NEXT: sa.mvin ofmap dram 448 sram 576 tile 7 x 64 stride 64
// CHECK-NEXT: sa.vector layer_norm sram 576 tile 7 x 64 scalar 9.99999974E-6
// CHECK: sa.vector layer_norm sram 128 tile 6 x 64 scalar 9.99999974E-6
// CHECK-NEXT: sa.mvout dram 896 sram 128 tile 6 x 64 stride 64
// CHECK-NEXT: }

// -----

// Layer norm's gradient: dy becomes dx in place, x follows it, then gamma and
// the dgamma and dbeta sums (which start from zero at the first chunk and
// leave once, at the end). Dropout multiplies by its noise (made by hpt-run
// from the host's generator), which follows x. An optimizer update moves the
// parameter, its gradient and state (AdamW: m, v) through in chunks after
// its nine coefficients; the parameter and state go back, the gradient does
// not.
hpt.param @w : tensor<3x64xf32> init <uniform_fan_in, fan_in = 4> seed 1 trainable
func.func @g(%dy: tensor<2x5x64xf32>, %x: tensor<2x5x64xf32>, %g: tensor<64xf32>, %dw: tensor<3x64xf32>) -> (tensor<2x5x64xf32>, tensor<64xf32>, tensor<64xf32>, tensor<2x5x64xf32>) {
  %dx, %dg, %db = hpt.layer_norm_grad %dy, %x, %g eps 1.0e-5 : (tensor<2x5x64xf32>, tensor<2x5x64xf32>, tensor<64xf32>) -> (tensor<2x5x64xf32>, tensor<64xf32>, tensor<64xf32>)
  %d = hpt.dropout %x p 1.0e-01 seed 7 : tensor<2x5x64xf32>
  %lr = hpt.constant_lr 1.0e-03 : tensor<f32>
  hpt.adamw_update @w, %dw, %lr beta1 0.9 beta2 0.999 eps 1.0e-08 weight_decay 0.01 : tensor<3x64xf32>
  return %dx, %dg, %db, %d : tensor<2x5x64xf32>, tensor<64xf32>, tensor<64xf32>, tensor<2x5x64xf32>
}
// CHECK: hpt.layer_norm_grad {{.*}} {sa.stream = @g_0}
// CHECK: hpt.dropout {{.*}} {sa.stream = @g_1}
// CHECK: hpt.constant_lr 1.000000e-03 : tensor<f32>
// CHECK: hpt.adamw_update {{.*}} {sa.stream = @g_2}
// dy, x (640 words each), gamma, dgamma, dbeta: (1024 - 192) / 2 / 2 = 208 words, 3 rows.
// CHECK-LABEL: sa.stream @g_0 {
// CHECK-NEXT: sa.config {{.*}} dram ifmap 1 filter 1 ofmap 1472 element f32
// CHECK-NEXT: sa.mvin ofmap dram 1280 sram 0 tile 1 x 64 stride 64
// CHECK-NEXT: sa.mvin ofmap dram 0 sram 192 tile 3 x 64 stride 64
// CHECK-NEXT: sa.mvin ofmap dram 640 sram 384 tile 3 x 64 stride 64
// CHECK-NEXT: sa.vector layer_norm_grad sram 192 tile 3 x 64 source2 384 first scalar 9.99999974E-6
// CHECK-NEXT: sa.mvout dram 0 sram 192 tile 3 x 64 stride 64
// CHECK: sa.vector layer_norm_grad sram 576 tile 1 x 64 source2 640 scalar 9.99999974E-6
// CHECK-NEXT: sa.mvout dram 576 sram 576 tile 1 x 64 stride 64
// CHECK-NEXT: sa.mvout dram 1344 sram 64 tile 1 x 128 stride 128
// CHECK-NEXT: }
// CHECK-LABEL: sa.stream @g_1 {
// CHECK-NEXT: sa.config {{.*}} dram ifmap 1 filter 1 ofmap 1280 element f32
// CHECK-NEXT: sa.mvin ofmap dram 0 sram 0 tile 4 x 64 stride 64
// CHECK-NEXT: sa.mvin ofmap dram 640 sram 256 tile 4 x 64 stride 64
// CHECK-NEXT: sa.vector mul sram 0 tile 4 x 64 source2 256
// CHECK-NEXT: sa.mvout dram 0 sram 0 tile 4 x 64 stride 64
// The parameter, gradient, m and v (192 words each), then the coefficients.
// CHECK-LABEL: sa.stream @g_2 {
// CHECK-NEXT: sa.config {{.*}} dram ifmap 1 filter 1 ofmap 777 element f32
// CHECK-NEXT: sa.mvin ofmap dram 768 sram 0 tile 1 x 9 stride 9
// CHECK-NEXT: sa.mvin ofmap dram 0 sram 9 tile 1 x 64 stride 64
// CHECK-NEXT: sa.mvin ofmap dram 192 sram 73 tile 1 x 64 stride 64
// CHECK-NEXT: sa.mvin ofmap dram 384 sram 137 tile 1 x 64 stride 64
// CHECK-NEXT: sa.mvin ofmap dram 576 sram 201 tile 1 x 64 stride 64
// CHECK-NEXT: sa.vector adam sram 9 tile 1 x 64 source2 73
// CHECK-NEXT: sa.mvout dram 0 sram 9 tile 1 x 64 stride 64
// CHECK-NEXT: sa.mvout dram 384 sram 137 tile 1 x 64 stride 64
// CHECK-NEXT: sa.mvout dram 576 sram 201 tile 1 x 64 stride 64
