func.func @concat_off_axis(%x: tensor<1x3x8xf32>, %y: tensor<1x4x8xf32>) {
  %0 = hpt.concat %x, %y axis -1 : (tensor<1x3x8xf32>, tensor<1x4x8xf32>) -> tensor<1x3x16xf32>
  return
}
