func.func @concat_axis(%x: tensor<1x3x8xf32>) {
  %0 = hpt.concat %x, %x axis -4 : (tensor<1x3x8xf32>, tensor<1x3x8xf32>) -> tensor<1x3x16xf32>
  return
}
