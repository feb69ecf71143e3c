// Softmax (last axis) and layer norm run on the vector unit: rows move
// through the ofmap SRAM in chunks that fit half of it; layer norm's gamma and
// beta are loaded once to the start of the SRAM and follow the tensor in DRAM.

func.func @v(%x: tensor<2x10x64xf32>, %g: tensor<64xf32>, %b: tensor<64xf32>) -> (tensor<2x10x64xf32>, tensor<2x10x64xf32>, tensor<2x10x64xf32>) {
  %s = hpt.softmax %x axis -1 : tensor<2x10x64xf32>
  %n = hpt.layer_norm %x, %g, %b eps 1.0e-5 : (tensor<2x10x64xf32>, tensor<64xf32>, tensor<64xf32>) -> tensor<2x10x64xf32>
  %t = hpt.softmax %x axis 1 : tensor<2x10x64xf32>
  return %s, %n, %t : tensor<2x10x64xf32>, tensor<2x10x64xf32>, tensor<2x10x64xf32>
}
// A softmax over another axis stays where it is.
// 20 rows of 64: 8 rows fit half of the 1024-word ofmap SRAM.
// Layer norm keeps 128 words for gamma and beta: (1024 - 128) / 2 = 448 words, 7 rows.
