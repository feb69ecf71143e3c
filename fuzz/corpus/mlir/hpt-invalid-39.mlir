func.func @reshape_count(%x: tensor<1x3x8xf32>) {
  %0 = hpt.reshape %x : tensor<1x3x8xf32> -> tensor<1x25xf32>
  return
}
