func.func @concat_element_types(%x: tensor<1x3x8xf32>, %y: tensor<1x3x8xf64>) {
  %0 = hpt.concat %x, %y axis -1 : (tensor<1x3x8xf32>, tensor<1x3x8xf64>) -> tensor<1x3x16xf32>
  return
}
