func.func @relu_integers(%x: tensor<2xi32>) {
  %0 = hpt.relu %x : tensor<2xi32>
  return
}
