// A frozen linear layer read forward (y = x·Wᵀ) and transposed for its
// input gradient (dx = dy·W), as hpt-autodiff writes the backward product.
hpt.param @frozen : tensor<200x300xf32> init <uniform_fan_in, fan_in = 300> seed 1
hpt.param @head : tensor<300x40xf32> init <uniform_fan_in, fan_in = 300> seed 2
func.func @step(%x: tensor<16x300xf32>, %dy: tensor<16x200xf32>) -> (tensor<16x200xf32>, tensor<16x300xf32>, tensor<16x40xf32>) {
  %w = hpt.get_param @frozen : tensor<200x300xf32>
  %y = hpt.linear %x, %w {hpt.device = #hpt.device<reram>} : (tensor<16x300xf32>, tensor<200x300xf32>) -> tensor<16x200xf32>
  %dx = hpt.matmul %dy, %w {hpt.device = #hpt.device<reram>} : (tensor<16x200xf32>, tensor<200x300xf32>) -> tensor<16x300xf32>
  %h = hpt.get_param @head : tensor<300x40xf32>
  %z = hpt.matmul %x, %h {hpt.device = #hpt.device<reram>} : (tensor<16x300xf32>, tensor<300x40xf32>) -> tensor<16x40xf32>
  return %y, %dx, %z : tensor<16x200xf32>, tensor<16x300xf32>, tensor<16x40xf32>
}
