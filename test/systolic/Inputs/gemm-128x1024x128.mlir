// ofmap[128, 1024] = ifmap[128, 128] · filter[128, 1024] (SCALE-Sim's M=128, N=1024, K=128).
func.func @g(%a: tensor<128x128xf32>, %b: tensor<128x1024xf32>) -> tensor<128x1024xf32> {
  %y = hpt.matmul %a, %b : (tensor<128x128xf32>, tensor<128x1024xf32>) -> tensor<128x1024xf32>
  return %y : tensor<128x1024xf32>
}
