// ofmap[128, 128] = ifmap[128, 1024] · filter[1024, 128] (SCALE-Sim's M=128, N=128, K=1024).
func.func @g(%a: tensor<128x1024xf32>, %b: tensor<1024x128xf32>) -> tensor<128x128xf32> {
  %y = hpt.matmul %a, %b : (tensor<128x1024xf32>, tensor<1024x128xf32>) -> tensor<128x128xf32>
  return %y : tensor<128x128xf32>
}
