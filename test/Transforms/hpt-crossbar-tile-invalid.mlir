// RUN: hpt-opt %s -split-input-file --hpt-crossbar-tile="pes-per-tile=4 tiles=2" -verify-diagnostics
// Geometries no chip has are refused, naming the option.
// RUN: not hpt-opt %S/Inputs/frozen-linear.mlir --hpt-crossbar-tile="weight-bits=1" 2>&1 | FileCheck %s --check-prefix=W1
// W1: error: hpt-crossbar-tile: weight-bits = 1 leaves no magnitude bit on a ± pair
// RUN: not hpt-opt %S/Inputs/frozen-linear.mlir --hpt-crossbar-tile="cell-bits=0" 2>&1 | FileCheck %s --check-prefix=C0
// C0: error: hpt-crossbar-tile: cell-bits = 0: must be at least 1
// RUN: not hpt-opt %S/Inputs/frozen-linear.mlir --hpt-crossbar-tile="adc-bits=17" 2>&1 | FileCheck %s --check-prefix=A17
// A17: error: hpt-crossbar-tile: adc-bits = 17: at most 16 bits
// RUN: not hpt-opt %S/Inputs/frozen-linear.mlir --hpt-crossbar-tile="adcs=200" 2>&1 | FileCheck %s --check-prefix=ADCS
// ADCS: error: hpt-crossbar-tile: adcs = 200: more ADCs than the crossbar's 128 columns
// RUN: not hpt-opt %S/Inputs/frozen-linear.mlir --hpt-crossbar-tile="hw=%t.missing.json" 2>&1 | FileCheck %s --check-prefix=MISSING
// MISSING: error: hpt-crossbar-tile: {{.*}}missing.json: cannot open
// RUN: sed -e 's/"reram": {/"reram_": {/' %hpt_src/configs/atleus-like.json > %t.noreram.json
// RUN: not hpt-opt %S/Inputs/frozen-linear.mlir --hpt-crossbar-tile="hw=%t.noreram.json" 2>&1 | FileCheck %s --check-prefix=NORERAM
// NORERAM: error: hpt-crossbar-tile: {{.*}}noreram.json: reram_: unknown key

// A weight that does not fit the chips left: 2 tiles of 4 PEs hold the
// first weight's 4 PEs, not the second's 36 (9 tiles).
hpt.param @small : tensor<100x100xf32> init <uniform_fan_in, fan_in = 100> seed 1
hpt.param @large : tensor<300x300xf32> init <uniform_fan_in, fan_in = 300> seed 2
func.func @f(%x: tensor<2x100xf32>, %y: tensor<2x300xf32>) -> (tensor<2x100xf32>, tensor<2x300xf32>) {
  %s = hpt.get_param @small : tensor<100x100xf32>
  %a = hpt.linear %x, %s {hpt.device = #hpt.device<reram>} : (tensor<2x100xf32>, tensor<100x100xf32>) -> tensor<2x100xf32>
  %l = hpt.get_param @large : tensor<300x300xf32>
  // expected-error @+1 {{hpt-crossbar-tile: @large needs 9 tiles from tile 1, but the ReRAM chips hold 2 (1 x 2)}}
  %b = hpt.linear %y, %l {hpt.device = #hpt.device<reram>} : (tensor<2x300xf32>, tensor<300x300xf32>) -> tensor<2x300xf32>
  return %a, %b : tensor<2x100xf32>, tensor<2x300xf32>
}

// -----

// A crossbar reads vectors as rows.
hpt.param @w : tensor<4x8xf32> init <uniform_fan_in, fan_in = 4> seed 1
func.func @lhs(%x: tensor<4x2xf32>) -> tensor<2x8xf32> {
  %w = hpt.get_param @w : tensor<4x8xf32>
  // expected-error @+1 {{hpt-crossbar-tile: a crossbar reads vectors as rows; this product transposes its left operand}}
  %y = hpt.matmul %x, %w transpose_lhs {hpt.device = #hpt.device<reram>} : (tensor<4x2xf32>, tensor<4x8xf32>) -> tensor<2x8xf32>
  return %y : tensor<2x8xf32>
}

// -----

// Only a frozen parameter can be written once.
func.func @activation(%x: tensor<2x4xf32>, %w: tensor<4x4xf32>) -> tensor<2x4xf32> {
  // expected-error @+1 {{hpt-crossbar-tile: a product on reram reads a frozen parameter as operand 1 (hpt.linear or hpt.matmul); this one does not}}
  %y = hpt.matmul %x, %w {hpt.device = #hpt.device<reram>} : (tensor<2x4xf32>, tensor<4x4xf32>) -> tensor<2x4xf32>
  return %y : tensor<2x4xf32>
}
