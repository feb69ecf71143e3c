// Every sa instruction prints and parses back, in custom and generic form.
// RUN: hpt-opt %s | hpt-opt | FileCheck %s
// RUN: hpt-opt %s --mlir-print-op-generic | hpt-opt | FileCheck %s

// An output-stationary 8x8 fold of a 8x16 · 16x8 GEMM, then the vector unit
// on its result and on operands moved into the ofmap SRAM.
// CHECK-LABEL: sa.stream @gemm_os {
// CHECK-NEXT: sa.config dataflow os array 8 x 8 sram ifmap 8192 filter 8192 ofmap 8192 dram ifmap 65536 filter 65536 ofmap 65536 element f32
// CHECK-NEXT: sa.mvin ifmap dram 0 sram 0 tile 8 x 16 stride 16
// CHECK-NEXT: sa.mvin filter dram 4096 sram 0 tile 16 x 8 stride 8
// CHECK-NEXT: sa.compute streamed 16 rows 8 cols 8 operands 0, 0 result 0 first last
// CHECK-NEXT: sa.mvin ofmap dram 0 sram 64 tile 8 x 64 stride 64
// CHECK-NEXT: sa.vector softmax sram 0 tile 8 x 8
// CHECK-NEXT: sa.vector layer_norm sram 0 tile 8 x 8 scalar 9.99999974E-6
// CHECK-NEXT: sa.vector add sram 0 tile 8 x 8 source2 64
// CHECK-NEXT: sa.vector relu_grad sram 0 tile 8 x 8 source2 64
// CHECK-NEXT: sa.vector gelu_grad sram 0 tile 8 x 8 source2 64
// CHECK-NEXT: sa.vector softmax_grad sram 0 tile 8 x 8 source2 64
// CHECK-NEXT: sa.vector mul sram 0 tile 8 x 8 source2 64
// CHECK-NEXT: sa.vector layer_norm_grad sram 0 tile 8 x 8 source2 64 block 128 first scalar 9.99999974E-6
// CHECK-NEXT: sa.vector adam sram 0 tile 8 x 8 source2 64 block 256
// CHECK-NEXT: sa.mvout dram 8192 sram 0 tile 8 x 8 stride 8
// CHECK-NEXT: sa.mvout dram 8192 sram 0 tile 8 x 8 stride 8 accumulate
// CHECK-NEXT: sa.fence
sa.stream @gemm_os {
  sa.config dataflow os array 8 x 8 sram ifmap 8192 filter 8192 ofmap 8192 dram ifmap 65536 filter 65536 ofmap 65536 element f32
  sa.mvin ifmap dram 0 sram 0 tile 8 x 16 stride 16
  sa.mvin filter dram 4096 sram 0 tile 16 x 8 stride 8
  sa.compute streamed 16 rows 8 cols 8 operands 0, 0 result 0 first last
  sa.mvin ofmap dram 0 sram 64 tile 8 x 64 stride 64
  sa.vector softmax sram 0 tile 8 x 8
  sa.vector layer_norm sram 0 tile 8 x 8 scalar 1.0e-5
  sa.vector add sram 0 tile 8 x 8 source2 64
  sa.vector relu_grad sram 0 tile 8 x 8 source2 64
  sa.vector gelu_grad sram 0 tile 8 x 8 source2 64
  sa.vector softmax_grad sram 0 tile 8 x 8 source2 64
  sa.vector mul sram 0 tile 8 x 8 source2 64
  sa.vector layer_norm_grad sram 0 tile 8 x 8 source2 64 block 128 first scalar 1.0e-5
  sa.vector adam sram 0 tile 8 x 8 source2 64 block 256
  sa.mvout dram 8192 sram 0 tile 8 x 8 stride 8
  sa.mvout dram 8192 sram 0 tile 8 x 8 stride 8 accumulate
  sa.fence
}

// Weight-stationary, int8, with a bandwidth and a fold streamed in two chunks.
// CHECK-LABEL: sa.stream @gemm_ws {
// CHECK-NEXT: sa.config dataflow ws array 4 x 8 sram ifmap 1024 filter 1024 ofmap 1024 dram ifmap 65536 filter 65536 ofmap 65536 element i8 bandwidth 10
// CHECK: sa.preload filter sram 0 rows 4 cols 8
// CHECK-NEXT: sa.compute streamed 32 rows 4 cols 8 operands 0, 0 result 0 first
// CHECK-NEXT: sa.compute streamed 32 rows 4 cols 8 operands 128, 32 result 256 last
sa.stream @gemm_ws {
  sa.config dataflow ws array 4 x 8 sram ifmap 1024 filter 1024 ofmap 1024 dram ifmap 65536 filter 65536 ofmap 65536 element i8 bandwidth 10
  sa.mvin ifmap dram 0 sram 0 tile 32 x 8 stride 8
  sa.mvin filter dram 0 sram 0 tile 8 x 8 stride 8
  sa.preload filter sram 0 rows 4 cols 8
  sa.compute streamed 32 rows 4 cols 8 operands 0, 0 result 0 first
  sa.compute streamed 32 rows 4 cols 8 operands 128, 32 result 256 last
}

// Input-stationary keeps the ifmap in the array.
// CHECK-LABEL: sa.stream @gemm_is {
// CHECK: sa.preload ifmap sram 0 rows 2 cols 2
sa.stream @gemm_is {
  sa.config dataflow is array 2 x 2 sram ifmap 16 filter 16 ofmap 16 dram ifmap 65536 filter 65536 ofmap 65536 element f32
  sa.mvin ifmap dram 0 sram 0 tile 2 x 2 stride 2
  sa.mvin filter dram 0 sram 0 tile 2 x 3 stride 3
  sa.preload ifmap sram 0 rows 2 cols 2
  sa.compute streamed 3 rows 2 cols 2 operands 0, 0 result 0 first last
}
