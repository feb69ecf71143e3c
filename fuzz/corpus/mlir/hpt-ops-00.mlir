// Every hpt op and attribute prints and parses back to itself, in the custom
// and in the generic form.

hpt.param @w : tensor<4x8xf32> init <uniform_fan_in, fan_in = 8> seed 1 trainable
hpt.param @b : tensor<4xf32> init <zeros> seed 2
hpt.param @g : tensor<8xf64> init <ones> seed 3 trainable

func.func @params() -> (tensor<4x8xf32>, tensor<4xf32>) {
  %w = hpt.get_param @w : tensor<4x8xf32>
  %b = hpt.get_param @b : tensor<4xf32>
  return %w, %b : tensor<4x8xf32>, tensor<4xf32>
}

func.func @linear_algebra(%x: tensor<2x3x8xf32>, %w: tensor<4x8xf32>, %b: tensor<4xf32>,
                          %m: tensor<8x16xf32>, %n: tensor<16x8xf32>,
                          %p: tensor<2x3x8xf32>, %q: tensor<2x5x8xf32>) {
  %0 = hpt.linear %x, %w, %b : (tensor<2x3x8xf32>, tensor<4x8xf32>, tensor<4xf32>) -> tensor<2x3x4xf32>
  %1 = hpt.linear %x, %w : (tensor<2x3x8xf32>, tensor<4x8xf32>) -> tensor<2x3x4xf32>
  %2 = hpt.matmul %m, %n : (tensor<8x16xf32>, tensor<16x8xf32>) -> tensor<8x8xf32>
  %3 = hpt.matmul %m, %n transpose_lhs transpose_rhs : (tensor<8x16xf32>, tensor<16x8xf32>) -> tensor<16x16xf32>
  %4 = hpt.batch_matmul %p, %q transpose_rhs : (tensor<2x3x8xf32>, tensor<2x5x8xf32>) -> tensor<2x3x5xf32>
  %5 = hpt.batch_matmul %p, %p transpose_lhs : (tensor<2x3x8xf32>, tensor<2x3x8xf32>) -> tensor<2x8x8xf32>
  return
}

func.func @attention(%x: tensor<1x3x8xf32>, %w: tensor<8x8xf32>, %b: tensor<8xf32>) -> tensor<1x3x8xf32> {
  %0 = hpt.self_attention %x, %w, %b, %w, %b, %w, %b, %w, %b heads 2 head_dim 4 : (tensor<1x3x8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8xf32>) -> tensor<1x3x8xf32>
  return %0 : tensor<1x3x8xf32>
}

func.func @norms_and_activations(%x: tensor<1x3x8xf32>, %g: tensor<8xf32>, %b: tensor<8xf32>) {
  %0 = hpt.layer_norm %x, %g, %b eps 1.0e-5 : (tensor<1x3x8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x3x8xf32>
  %1 = hpt.softmax %x axis -1 : tensor<1x3x8xf32>
  %2 = hpt.softmax %x axis 1 : tensor<1x3x8xf32>
  %3 = hpt.relu %x : tensor<1x3x8xf32>
  %4 = hpt.gelu %x : tensor<1x3x8xf32>
  %5 = hpt.gelu %x approximate tanh : tensor<1x3x8xf32>
  %6 = hpt.scale %x by 0.125 : tensor<1x3x8xf32>
  %7 = hpt.dropout %x p 0.1 seed 7 : tensor<1x3x8xf32>
  %8 = hpt.positional_encoding %x : tensor<1x3x8xf32>
  %9 = hpt.positional_encoding %x max_len 16 : tensor<1x3x8xf32>
  return
}

func.func @shapes(%x: tensor<1x3x8xf32>, %y: tensor<1x3x2xf32>) {
  %0 = hpt.add %x, %x : tensor<1x3x8xf32>
  %1 = hpt.concat %x, %y axis -1 : (tensor<1x3x8xf32>, tensor<1x3x2xf32>) -> tensor<1x3x10xf32>
  %2 = hpt.concat %x, %x, %x axis 1 : (tensor<1x3x8xf32>, tensor<1x3x8xf32>, tensor<1x3x8xf32>) -> tensor<1x9x8xf32>
  %3 = hpt.reshape %x : tensor<1x3x8xf32> -> tensor<1x24xf32>
  %4 = hpt.transpose %x [0, 2, 1] : tensor<1x3x8xf32> -> tensor<1x8x3xf32>
  return
}

func.func @loss(%y: tensor<1x57xf32>, %t: tensor<1x57xf32>) -> tensor<f32> {
  %0 = hpt.mse_loss %y, %t : tensor<1x57xf32> -> tensor<f32>
  return %0 : tensor<f32>
}

func.func @attributes() attributes {
    hpt.device = #hpt.device<reram>,
    hpt.devices = [#hpt.device<host>, #hpt.device<gpu>, #hpt.device<systolic>],
    hpt.init = #hpt.init<uniform_fan_in, fan_in = 512>,
    hpt.lora = #hpt.lora<rank = 8, alpha = 64.0, dropout = 0.1>} {
  return
}

func.func @gradients(%dy: tensor<2x3x8xf32>, %x: tensor<2x3x8xf32>, %g: tensor<8xf32>) {
  %0 = hpt.relu_grad %dy, %x : tensor<2x3x8xf32>
  %1 = hpt.gelu_grad %dy, %x : tensor<2x3x8xf32>
  %2 = hpt.gelu_grad %dy, %x approximate tanh : tensor<2x3x8xf32>
  %3 = hpt.softmax_grad %dy, %x axis 1 : tensor<2x3x8xf32>
  %4:3 = hpt.layer_norm_grad %dy, %x, %g eps 1.0e-5 : (tensor<2x3x8xf32>, tensor<2x3x8xf32>, tensor<8xf32>) -> (tensor<2x3x8xf32>, tensor<8xf32>, tensor<8xf32>)
  %5 = hpt.mse_loss_grad %dy, %x : tensor<2x3x8xf32>
  %6 = hpt.reduce_rows %dy : tensor<2x3x8xf32> -> tensor<8xf32>
  %7 = hpt.slice %dy axis -1 offset 2 size 4 : tensor<2x3x8xf32> -> tensor<2x3x4xf32>
  return
}

hpt.param @u : tensor<4x8xf32> init <uniform_fan_in, fan_in = 8> seed 9 trainable

func.func @optimizers(%g: tensor<4x8xf32>) {
  %lr = hpt.constant_lr 1.0e-3 : tensor<f32>
  %slr = hpt.step_lr 1.0e-4 step_size 3 gamma 0.6 : tensor<f32>
  hpt.sgd_update @u, %g, %lr momentum 0.9 dampening 0.0 weight_decay 1.0e-4 nesterov : tensor<4x8xf32>
  hpt.adam_update @u, %g, %slr beta1 0.9 beta2 0.999 eps 1.0e-8 weight_decay 0.0 : tensor<4x8xf32>
  hpt.adamw_update @u, %g, %lr beta1 0.9 beta2 0.999 eps 1.0e-8 weight_decay 0.01 : tensor<4x8xf32>
  return
}
