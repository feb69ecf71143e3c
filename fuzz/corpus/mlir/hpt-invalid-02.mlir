hpt.param @w : tensor<?x8xf32> init <zeros> seed 1
