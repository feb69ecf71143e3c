// RUN: hpt-opt %s -split-input-file -verify-diagnostics

// The counts must be the weight's tiling.
// expected-error @+1 {{'pim.crossbars' op crossbars = 12, but the weight's tiling has 16}}
pim.crossbars @x param @p weight 8 x 4 bits 8 cell 2 differential in 4 x 4 groups 1 pes_per_tile 4 input 8 dac 1 adc 6 adcs 2 blocks 2 x 1 slices 4 crossbars 12 pes 8 tiles 0 + 2 utilisation 1.0

// -----

// expected-error @+1 {{'pim.crossbars' op a ± pair needs a sign bit and at least one magnitude bit (bits >= 2)}}
pim.crossbars @x param @p weight 8 x 4 bits 1 cell 2 differential in 4 x 4 groups 1 pes_per_tile 4 input 8 dac 1 adc 6 adcs 2 blocks 2 x 1 slices 1 crossbars 4 pes 2 tiles 0 + 1 utilisation 1.0

// -----

// expected-error @+1 {{'pim.crossbars' op adc = 17: at most 16 bits}}
pim.crossbars @x param @p weight 8 x 4 bits 8 cell 2 differential in 4 x 4 groups 1 pes_per_tile 4 input 8 dac 1 adc 17 adcs 2 blocks 2 x 1 slices 4 crossbars 16 pes 8 tiles 0 + 2 utilisation 1.0

// -----

pim.crossbars @x param @p weight 8 x 4 bits 8 cell 2 differential in 4 x 4 groups 1 pes_per_tile 4 input 8 dac 1 adc 6 adcs 2 blocks 2 x 1 slices 4 crossbars 16 pes 8 tiles 0 + 2 utilisation 1.0
pim.kernel @k {
^bb0(%q: tensor<3x4xi32>):
  // expected-error @+1 {{'pim.mvm' op drives the 8 rows of @x: its input must be tensor<?x8xi32>}}
  %p = pim.mvm @x, %q : tensor<3x4xi32> -> tensor<2x4x3x4xi32>
  pim.yield
}

// -----

pim.crossbars @x param @p weight 8 x 4 bits 8 cell 2 differential in 4 x 4 groups 1 pes_per_tile 4 input 8 dac 1 adc 6 adcs 2 blocks 2 x 1 slices 4 crossbars 16 pes 8 tiles 0 + 2 utilisation 1.0
pim.kernel @k {
^bb0(%q: tensor<3x8xi32>):
  // expected-error @+1 {{'pim.mvm' op gives one partial sum per block, slice, vector and line read: tensor<2x4x3x4xi32>}}
  %p = pim.mvm @x, %q : tensor<3x8xi32> -> tensor<1x4x3x4xi32>
  pim.yield
}

// -----

pim.kernel @k {
^bb0(%w: tensor<8x4xf32>):
  // expected-error @+1 {{'pim.program' op names @nowhere, which is no pim.crossbars}}
  pim.program @nowhere, %w : tensor<8x4xf32>
  pim.yield
}

// -----

pim.crossbars @x param @p transposed weight 8 x 4 bits 8 cell 2 differential in 4 x 4 groups 1 pes_per_tile 4 input 8 dac 1 adc 6 adcs 2 blocks 2 x 1 slices 4 crossbars 16 pes 8 tiles 0 + 2 utilisation 1.0
pim.kernel @k {
^bb0(%w: tensor<8x4xf32>):
  // expected-error @+1 {{'pim.program' op writes a tensor<4x8xf32> into @x, got 'tensor<8x4xf32>'}}
  pim.program @x, %w transposed : tensor<8x4xf32>
  pim.yield
}

// -----

pim.kernel @k {
^bb0(%x: tensor<3x8xf32>):
  // expected-error @+1 {{'pim.quantize' op bits = 1: signed values need 2 to 16 bits}}
  %q, %s = pim.quantize %x bits 1 : tensor<3x8xf32> -> tensor<3x8xi32>, tensor<3xf32>
  pim.yield
}

// -----

// A kernel ends with pim.yield.
pim.kernel @k {
^bb0(%x: tensor<3x8xf32>):
  // expected-error @+1 {{block with no terminator}}
  %q, %s = pim.quantize %x bits 8 : tensor<3x8xf32> -> tensor<3x8xi32>, tensor<3xf32>
}
