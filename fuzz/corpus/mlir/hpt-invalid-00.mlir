// Every verifier error of the hpt dialect, one case each.

hpt.param @w : tensor<4x8xf32> init <uniform_fan_in, fan_in = 0> seed 1
