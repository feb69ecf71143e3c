func.func @pe_zero_max_len(%x: tensor<1x2x8xf32>) {
  %0 = hpt.positional_encoding %x max_len 0 : tensor<1x2x8xf32>
  return
}
