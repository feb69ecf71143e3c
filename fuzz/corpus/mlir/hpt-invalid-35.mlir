func.func @add_types(%x: tensor<2xf32>, %y: tensor<3xf32>) {
  %0 = "hpt.add"(%x, %y) : (tensor<2xf32>, tensor<3xf32>) -> tensor<2xf32>
  return
}
