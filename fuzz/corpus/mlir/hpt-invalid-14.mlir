func.func @matmul_rank(%a: tensor<2x4x8xf32>, %b: tensor<8x4xf32>) {
  %0 = hpt.matmul %a, %b : (tensor<2x4x8xf32>, tensor<8x4xf32>) -> tensor<2x4x4xf32>
  return
}
