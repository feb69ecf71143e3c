// RUN: hpt-opt %s -split-input-file --hpt-place="gemm=reram" -verify-diagnostics
// Classes ReRAM cannot run are refused, naming the option.
// RUN: not hpt-opt %s --hpt-place="vector=reram" 2>&1 | FileCheck %s --check-prefix=VECTOR
// RUN: not hpt-opt %s --hpt-place="optimizer=reram" 2>&1 | FileCheck %s --check-prefix=OPTIMIZER
// RUN: not hpt-opt %s --hpt-place="other=reram" 2>&1 | FileCheck %s --check-prefix=OTHER
// RUN: not hpt-opt %s --hpt-place="gemm=tpu" 2>&1 | FileCheck %s --check-prefix=UNKNOWN
// VECTOR: hpt-place: option 'vector=reram': ReRAM crossbars run only matrix products with a frozen weight
// OPTIMIZER: hpt-place: option 'optimizer=reram': ReRAM crossbars run only matrix products
// OTHER: hpt-place: option 'other=reram': ReRAM crossbars run only matrix products
// UNKNOWN: Cannot find option named 'tpu'

// A weight the function trains cannot live in a crossbar written once.
hpt.param @w : tensor<4x4xf32> init <uniform_fan_in, fan_in = 4> seed 1 trainable
func.func @trained(%x: tensor<2x4xf32>) -> tensor<2x4xf32> {
  %w = hpt.get_param @w : tensor<4x4xf32>
  // expected-error @+1 {{hpt-place: cannot run on reram (gemm=reram)}}
  %y = hpt.linear %x, %w : (tensor<2x4xf32>, tensor<4x4xf32>) -> tensor<2x4xf32>
  return %y : tensor<2x4xf32>
}

// -----

// A product of two activations (attention scores) has no weight to hold.
func.func @activations(%q: tensor<1x2x3x4xf32>, %k: tensor<1x2x3x4xf32>) -> tensor<1x2x3x3xf32> {
  // expected-error @+1 {{hpt-place: cannot run on reram (gemm=reram)}}
  %s = hpt.batch_matmul %q, %k transpose_rhs : (tensor<1x2x3x4xf32>, tensor<1x2x3x4xf32>) -> tensor<1x2x3x3xf32>
  return %s : tensor<1x2x3x3xf32>
}

// -----

// With a hardware description, a device it does not have is refused.
// RUN: not hpt-opt %s --hpt-place="gemm=gpu hw=%hpt_src/configs/neurosim-like.json" 2>&1 | FileCheck %s --check-prefix=NOGPU
// NOGPU: hpt-place: option 'gemm=gpu': {{.*}}neurosim-like.json describes no gpu device
// RUN: not hpt-opt %s --hpt-place="gemm=systolic hw=%t.none.json" 2>&1 | FileCheck %s --check-prefix=NOFILE
// NOFILE: hpt-place: {{.*}}none.json: cannot open
func.func @g(%x: tensor<2x4xf32>) -> tensor<2x4xf32> {
  return %x : tensor<2x4xf32>
}
