func.func @pe_odd_features(%x: tensor<1x3x7xf32>) {
  %0 = hpt.positional_encoding %x : tensor<1x3x7xf32>
  return
}
