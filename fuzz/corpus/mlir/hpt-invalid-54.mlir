func.func @slice_range(%x: tensor<2x8xf32>) {
  %0 = hpt.slice %x axis 1 offset 6 size 4 : tensor<2x8xf32> -> tensor<2x4xf32>
  return
}
