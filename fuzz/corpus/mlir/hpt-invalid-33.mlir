func.func @pe_max_len(%x: tensor<1x17x8xf32>) {
  %0 = hpt.positional_encoding %x max_len 16 : tensor<1x17x8xf32>
  return
}
