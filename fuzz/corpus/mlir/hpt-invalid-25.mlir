func.func @relu_types(%x: tensor<2xf32>) {
  %0 = "hpt.relu"(%x) : (tensor<2xf32>) -> tensor<3xf32>
  return
}
