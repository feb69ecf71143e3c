func.func @pe_rank(%x: tensor<8xf32>) {
  %0 = hpt.positional_encoding %x : tensor<8xf32>
  return
}
