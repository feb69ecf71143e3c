func.func @batch_matmul_contraction(%a: tensor<2x4x8xf32>, %b: tensor<2x4x8xf32>) {
  %0 = hpt.batch_matmul %a, %b : (tensor<2x4x8xf32>, tensor<2x4x8xf32>) -> tensor<2x4x8xf32>
  return
}
