// RUN: hpt-opt %s -split-input-file --convert-hpt-to-pim -verify-diagnostics

hpt.param @w : tensor<4x4xf32> init <uniform_fan_in, fan_in = 4> seed 1
func.func @untiled(%x: tensor<2x4xf32>) -> tensor<2x4xf32> {
  %w = hpt.get_param @w : tensor<4x4xf32>
  // expected-error @+1 {{convert-hpt-to-pim: @xbar_w names no pim.crossbars (run hpt-crossbar-tile first)}}
  %y = hpt.linear %x, %w {hpt.device = #hpt.device<reram>, pim.crossbars = @xbar_w, pim.read = "forward"} : (tensor<2x4xf32>, tensor<4x4xf32>) -> tensor<2x4xf32>
  return %y : tensor<2x4xf32>
}
