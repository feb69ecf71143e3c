hpt.param @w : tensor<4x8xf32> init <zeros, fan_in = 8> seed 1
