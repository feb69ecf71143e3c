// Every verifier error of the hpt dialect, one case each.
// RUN: hpt-opt %s -split-input-file -verify-diagnostics

// expected-error @+1 {{uniform_fan_in needs a positive fan_in, got 0}}
hpt.param @w : tensor<4x8xf32> init <uniform_fan_in, fan_in = 0> seed 1

// -----

// expected-error @+1 {{zeros takes no fan_in}}
hpt.param @w : tensor<4x8xf32> init <zeros, fan_in = 8> seed 1

// -----

// expected-error @+1 {{'hpt.param' op attribute 'type' failed to satisfy constraint: type attribute of statically shaped tensor of floating-point values with fewer than 2^63 elements}}
hpt.param @w : tensor<?x8xf32> init <zeros> seed 1

// -----

func.func @param_in_function() {
  // expected-error @+1 {{expects parent op 'builtin.module'}}
  hpt.param @w : tensor<4xf32> init <zeros> seed 1
  return
}

// -----

func.func @missing_param() -> tensor<4xf32> {
  // expected-error @+1 {{'hpt.get_param' op '@nope' does not name an hpt.param}}
  %0 = hpt.get_param @nope : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @not_a_param() -> tensor<4xf32> {
  // expected-error @+1 {{'@not_a_param' does not name an hpt.param}}
  %0 = hpt.get_param @not_a_param : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// expected-note @+1 {{parameter declared here}}
hpt.param @w : tensor<4x8xf32> init <zeros> seed 1
func.func @param_type_mismatch() -> tensor<8x4xf32> {
  // expected-error @+1 {{result type 'tensor<8x4xf32>' differs from the type 'tensor<4x8xf32>' of parameter @w}}
  %0 = hpt.get_param @w : tensor<8x4xf32>
  return %0 : tensor<8x4xf32>
}

// -----

func.func @linear_in_features(%x: tensor<2x7xf32>, %w: tensor<4x8xf32>) {
  // expected-error @+2 {{'hpt.linear' op input features 7 (of [2, 7]) differ from weight in-features 8 (of [4, 8])}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = hpt.linear %x, %w : (tensor<2x7xf32>, tensor<4x8xf32>) -> tensor<2x4xf32>
  return
}

// -----

func.func @linear_bias(%x: tensor<2x8xf32>, %w: tensor<4x8xf32>, %b: tensor<8xf32>) {
  // expected-error @+2 {{'hpt.linear' op bias must be [4] to match weight [4, 8], got [8]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = hpt.linear %x, %w, %b : (tensor<2x8xf32>, tensor<4x8xf32>, tensor<8xf32>) -> tensor<2x4xf32>
  return
}

// -----

func.func @linear_weight_rank(%x: tensor<2x8xf32>, %w: tensor<4x8x1xf32>) {
  // expected-error @+2 {{'hpt.linear' op weight must be [out, in], got [4, 8, 1]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = hpt.linear %x, %w : (tensor<2x8xf32>, tensor<4x8x1xf32>) -> tensor<2x4xf32>
  return
}

// -----

func.func @linear_scalar_input(%x: tensor<f32>, %w: tensor<4x8xf32>) {
  // expected-error @+2 {{'hpt.linear' op input must have rank >= 1, got a scalar}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = hpt.linear %x, %w : (tensor<f32>, tensor<4x8xf32>) -> tensor<4xf32>
  return
}

// -----

func.func @linear_element_types(%x: tensor<2x8xf16>, %w: tensor<4x8xf32>) {
  // expected-error @+2 {{'hpt.linear' op operands must share one element type, got 'f16' and 'f32'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = hpt.linear %x, %w : (tensor<2x8xf16>, tensor<4x8xf32>) -> tensor<2x4xf16>
  return
}

// -----

func.func @linear_result_type(%x: tensor<2x8xf32>, %w: tensor<4x8xf32>) {
  // expected-error @+2 {{'hpt.linear' op failed to infer returned types}}
  // expected-error @+1 {{'hpt.linear' op inferred type(s) 'tensor<2x4xf32>' are incompatible with return type(s) of operation 'tensor<2x8xf32>'}}
  %0 = hpt.linear %x, %w : (tensor<2x8xf32>, tensor<4x8xf32>) -> tensor<2x8xf32>
  return
}

// -----

func.func @matmul_contraction(%a: tensor<4x8xf32>, %b: tensor<4x8xf32>) {
  // expected-error @+2 {{'hpt.matmul' op contraction sizes differ: lhs [4, 8] gives 8, rhs [4, 8] gives 4}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = hpt.matmul %a, %b : (tensor<4x8xf32>, tensor<4x8xf32>) -> tensor<4x8xf32>
  return
}

// -----

func.func @matmul_rank(%a: tensor<2x4x8xf32>, %b: tensor<8x4xf32>) {
  // expected-error @+2 {{'hpt.matmul' op operands must have rank 2, got [2, 4, 8] and [8, 4]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = hpt.matmul %a, %b : (tensor<2x4x8xf32>, tensor<8x4xf32>) -> tensor<2x4x4xf32>
  return
}

// -----

func.func @batch_matmul_batch(%a: tensor<2x4x8xf32>, %b: tensor<3x8x4xf32>) {
  // expected-error @+2 {{'hpt.batch_matmul' op batch axes differ: [2, 4, 8] and [3, 8, 4]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = hpt.batch_matmul %a, %b : (tensor<2x4x8xf32>, tensor<3x8x4xf32>) -> tensor<2x4x4xf32>
  return
}

// -----

func.func @batch_matmul_rank(%a: tensor<4x8xf32>, %b: tensor<8x4xf32>) {
  // expected-error @+2 {{'hpt.batch_matmul' op operands must have one rank >= 3, got [4, 8] and [8, 4]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = hpt.batch_matmul %a, %b : (tensor<4x8xf32>, tensor<8x4xf32>) -> tensor<4x4xf32>
  return
}

// -----

func.func @batch_matmul_contraction(%a: tensor<2x4x8xf32>, %b: tensor<2x4x8xf32>) {
  // expected-error @+2 {{'hpt.batch_matmul' op contraction sizes differ: lhs [2, 4, 8] gives 8, rhs [2, 4, 8] gives 4}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = hpt.batch_matmul %a, %b : (tensor<2x4x8xf32>, tensor<2x4x8xf32>) -> tensor<2x4x8xf32>
  return
}

// -----

func.func @attention_heads(%x: tensor<1x3x8xf32>, %w: tensor<8x8xf32>, %b: tensor<8xf32>) {
  // expected-error @+2 {{'hpt.self_attention' op heads 2 x head_dim 2 = 4 differs from the input features 8}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = hpt.self_attention %x, %w, %b, %w, %b, %w, %b, %w, %b heads 2 head_dim 2 : (tensor<1x3x8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8xf32>) -> tensor<1x3x8xf32>
  return
}

// -----

func.func @attention_projection(%x: tensor<1x3x8xf32>, %w: tensor<8x8xf32>, %b: tensor<8xf32>, %v: tensor<8x4xf32>) {
  // expected-error @+2 {{'hpt.self_attention' op wv must be [8, 8], got [8, 4]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = hpt.self_attention %x, %w, %b, %w, %b, %v, %b, %w, %b heads 2 head_dim 4 : (tensor<1x3x8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8x4xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8xf32>) -> tensor<1x3x8xf32>
  return
}

// -----

func.func @attention_rank(%x: tensor<3x8xf32>, %w: tensor<8x8xf32>, %b: tensor<8xf32>) {
  // expected-error @+2 {{'hpt.self_attention' op input must be [batch, tokens, features], got [3, 8]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = hpt.self_attention %x, %w, %b, %w, %b, %w, %b, %w, %b heads 2 head_dim 4 : (tensor<3x8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8xf32>) -> tensor<3x8xf32>
  return
}

// -----

func.func @attention_zero_heads(%x: tensor<1x3x8xf32>, %w: tensor<8x8xf32>, %b: tensor<8xf32>) {
  // expected-error @+1 {{attribute 'heads' failed to satisfy constraint: 64-bit signless integer attribute whose value is positive}}
  %0 = hpt.self_attention %x, %w, %b, %w, %b, %w, %b, %w, %b heads 0 head_dim 4 : (tensor<1x3x8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8xf32>) -> tensor<1x3x8xf32>
  return
}

// -----

func.func @layer_norm_gamma(%x: tensor<1x3x8xf32>, %g: tensor<3xf32>, %b: tensor<8xf32>) {
  // expected-error @+2 {{'hpt.layer_norm' op gamma and beta must be [8] for input [1, 3, 8], got [3] and [8]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = hpt.layer_norm %x, %g, %b eps 1.0e-5 : (tensor<1x3x8xf32>, tensor<3xf32>, tensor<8xf32>) -> tensor<1x3x8xf32>
  return
}

// -----

func.func @layer_norm_eps(%x: tensor<1x3x8xf32>, %g: tensor<8xf32>) {
  // expected-error @+2 {{'hpt.layer_norm' op eps must be positive, got 0}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = hpt.layer_norm %x, %g, %g eps 0.0 : (tensor<1x3x8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x3x8xf32>
  return
}

// -----

func.func @softmax_axis(%x: tensor<1x3x8xf32>) {
  // expected-error @+1 {{'hpt.softmax' op axis 3 is out of range for rank 3}}
  %0 = hpt.softmax %x axis 3 : tensor<1x3x8xf32>
  return
}

// -----

func.func @relu_types(%x: tensor<2xf32>) {
  // expected-error @+1 {{'hpt.relu' op requires the same type for all operands and results}}
  %0 = "hpt.relu"(%x) : (tensor<2xf32>) -> tensor<3xf32>
  return
}

// -----

func.func @relu_integers(%x: tensor<2xi32>) {
  // expected-error @+1 {{'hpt.relu' op operand #0 must be statically shaped tensor of floating-point values with fewer than 2^63 elements, but got 'tensor<2xi32>'}}
  %0 = hpt.relu %x : tensor<2xi32>
  return
}

// -----

func.func @gelu_approximation(%x: tensor<2xf32>) {
  // expected-error @+2 {{expected ::hpt::GeluApproximation to be one of: none, tanh}}
  // expected-error @+1 {{failed to parse Hpt_GeluApproximationAttr parameter 'value'}}
  %0 = hpt.gelu %x approximate sigmoid : tensor<2xf32>
  return
}

// -----

func.func @scale_factor(%x: tensor<2xf32>) {
  // expected-error @+1 {{'hpt.scale' op requires attribute 'factor'}}
  %0 = "hpt.scale"(%x) : (tensor<2xf32>) -> tensor<2xf32>
  return
}

// -----

func.func @dropout_one(%x: tensor<2xf32>) {
  // expected-error @+1 {{'hpt.dropout' op probability p must be in [0, 1), got 1}}
  %0 = hpt.dropout %x p 1.0 seed 1 : tensor<2xf32>
  return
}

// -----

func.func @dropout_negative(%x: tensor<2xf32>) {
  // expected-error @+1 {{'hpt.dropout' op probability p must be in [0, 1), got -0.1}}
  %0 = hpt.dropout %x p -0.1 seed 1 : tensor<2xf32>
  return
}

// -----

func.func @pe_odd_features(%x: tensor<1x3x7xf32>) {
  // expected-error @+1 {{'hpt.positional_encoding' op features must be even (sin/cos pairs), got 7}}
  %0 = hpt.positional_encoding %x : tensor<1x3x7xf32>
  return
}

// -----

func.func @pe_rank(%x: tensor<8xf32>) {
  // expected-error @+1 {{'hpt.positional_encoding' op input must be [..., tokens, features], got rank 1}}
  %0 = hpt.positional_encoding %x : tensor<8xf32>
  return
}

// -----

func.func @pe_max_len(%x: tensor<1x17x8xf32>) {
  // expected-error @+1 {{'hpt.positional_encoding' op tokens (17) exceed max_len 16}}
  %0 = hpt.positional_encoding %x max_len 16 : tensor<1x17x8xf32>
  return
}

// -----

func.func @pe_zero_max_len(%x: tensor<1x2x8xf32>) {
  // expected-error @+1 {{attribute 'max_len' failed to satisfy constraint: 64-bit signless integer attribute whose value is positive}}
  %0 = hpt.positional_encoding %x max_len 0 : tensor<1x2x8xf32>
  return
}

// -----

func.func @add_types(%x: tensor<2xf32>, %y: tensor<3xf32>) {
  // expected-error @+1 {{'hpt.add' op requires the same type for all operands and results}}
  %0 = "hpt.add"(%x, %y) : (tensor<2xf32>, tensor<3xf32>) -> tensor<2xf32>
  return
}

// -----

func.func @concat_off_axis(%x: tensor<1x3x8xf32>, %y: tensor<1x4x8xf32>) {
  // expected-error @+2 {{'hpt.concat' op input 1 has shape [1, 4, 8], which does not match [1, 3, 8] off axis 2}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = hpt.concat %x, %y axis -1 : (tensor<1x3x8xf32>, tensor<1x4x8xf32>) -> tensor<1x3x16xf32>
  return
}

// -----

func.func @concat_axis(%x: tensor<1x3x8xf32>) {
  // expected-error @+2 {{'hpt.concat' op axis -4 is out of range for rank 3}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = hpt.concat %x, %x axis -4 : (tensor<1x3x8xf32>, tensor<1x3x8xf32>) -> tensor<1x3x16xf32>
  return
}

// -----

func.func @concat_element_types(%x: tensor<1x3x8xf32>, %y: tensor<1x3x8xf64>) {
  // expected-error @+2 {{'hpt.concat' op operands must share one element type, got 'f32' and 'f64'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = hpt.concat %x, %y axis -1 : (tensor<1x3x8xf32>, tensor<1x3x8xf64>) -> tensor<1x3x16xf32>
  return
}

// -----

func.func @reshape_count(%x: tensor<1x3x8xf32>) {
  // expected-error @+1 {{'hpt.reshape' op cannot reshape [1, 3, 8] (24 elements) into [1, 25] (25 elements)}}
  %0 = hpt.reshape %x : tensor<1x3x8xf32> -> tensor<1x25xf32>
  return
}

// -----

func.func @reshape_element_type(%x: tensor<1x3x8xf32>) {
  // expected-error @+1 {{'hpt.reshape' op element type changes from 'f32' to 'f16'}}
  %0 = hpt.reshape %x : tensor<1x3x8xf32> -> tensor<1x24xf16>
  return
}

// -----

func.func @transpose_not_permutation(%x: tensor<1x3x8xf32>) {
  // expected-error @+2 {{'hpt.transpose' op [0, 0, 1] is not a permutation of 0..2}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = hpt.transpose %x [0, 0, 1] : tensor<1x3x8xf32> -> tensor<1x1x3xf32>
  return
}

// -----

func.func @transpose_length(%x: tensor<1x3x8xf32>) {
  // expected-error @+2 {{'hpt.transpose' op permutation [1, 0] has 2 entries for rank 3}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = hpt.transpose %x [1, 0] : tensor<1x3x8xf32> -> tensor<3x1xf32>
  return
}

// -----

func.func @mse_shapes(%y: tensor<1x50xf32>, %t: tensor<1x50x1xf32>) {
  // expected-error @+1 {{'hpt.mse_loss' op failed to verify that all of {prediction, target} have same type}}
  %0 = "hpt.mse_loss"(%y, %t) : (tensor<1x50xf32>, tensor<1x50x1xf32>) -> tensor<f32>
  return
}

// -----

func.func @mse_result(%y: tensor<1x50xf32>) {
  // expected-error @+1 {{'hpt.mse_loss' op result #0 must be 0D tensor of floating-point values, but got 'tensor<1xf32>'}}
  %0 = "hpt.mse_loss"(%y, %y) : (tensor<1x50xf32>, tensor<1x50xf32>) -> tensor<1xf32>
  return
}

// -----

// expected-error @+1 {{LoRA rank must be positive, got 0}}
func.func @lora_rank() attributes {hpt.lora = #hpt.lora<rank = 0, alpha = 64.0, dropout = 0.1>} {
  return
}

// -----

// expected-error @+1 {{LoRA alpha must be positive, got -1}}
func.func @lora_alpha() attributes {hpt.lora = #hpt.lora<rank = 8, alpha = -1.0, dropout = 0.1>} {
  return
}

// -----

// expected-error @+1 {{LoRA dropout must be in [0, 1), got 1}}
func.func @lora_dropout() attributes {hpt.lora = #hpt.lora<rank = 8, alpha = 64.0, dropout = 1.0>} {
  return
}

// -----

// expected-error @+2 {{expected ::hpt::DeviceKind to be one of: host, gpu, reram, systolic}}
// expected-error @+1 {{failed to parse Hpt_DeviceAttr parameter 'kind'}}
func.func @device_kind() attributes {hpt.device = #hpt.device<tpu>} {
  return
}

// -----

func.func @relu_grad_types(%dy: tensor<2xf32>, %x: tensor<3xf32>) {
  // expected-error @+1 {{'hpt.relu_grad' op requires the same type for all operands and results}}
  %0 = "hpt.relu_grad"(%dy, %x) : (tensor<2xf32>, tensor<3xf32>) -> tensor<2xf32>
  return
}

// -----

func.func @softmax_grad_axis(%dy: tensor<2x3xf32>) {
  // expected-error @+1 {{'hpt.softmax_grad' op axis -3 is out of range for rank 2}}
  %0 = hpt.softmax_grad %dy, %dy axis -3 : tensor<2x3xf32>
  return
}

// -----

func.func @layer_norm_grad_shapes(%dy: tensor<2x3xf32>, %x: tensor<3x2xf32>, %g: tensor<2xf32>) {
  // expected-error @+2 {{'hpt.layer_norm_grad' op result_grad and input must have one shape}}
  // expected-error @+1 {{failed to infer returned types}}
  %0:3 = hpt.layer_norm_grad %dy, %x, %g eps 1.0e-5 : (tensor<2x3xf32>, tensor<3x2xf32>, tensor<2xf32>) -> (tensor<3x2xf32>, tensor<2xf32>, tensor<2xf32>)
  return
}

// -----

func.func @layer_norm_grad_gamma(%x: tensor<3x2xf32>, %g: tensor<3xf32>) {
  // expected-error @+2 {{'hpt.layer_norm_grad' op gamma and beta must be [2] for input [3, 2], got [3] and [3]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0:3 = hpt.layer_norm_grad %x, %x, %g eps 1.0e-5 : (tensor<3x2xf32>, tensor<3x2xf32>, tensor<3xf32>) -> (tensor<3x2xf32>, tensor<3xf32>, tensor<3xf32>)
  return
}

// -----

func.func @reduce_rows_scalar(%x: tensor<f32>) {
  // expected-error @+2 {{'hpt.reduce_rows' op input must have rank >= 1, got a scalar}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = hpt.reduce_rows %x : tensor<f32> -> tensor<1xf32>
  return
}

// -----

func.func @slice_range(%x: tensor<2x8xf32>) {
  // expected-error @+2 {{'hpt.slice' op range [6, 10) is outside axis 1 of [2, 8]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = hpt.slice %x axis 1 offset 6 size 4 : tensor<2x8xf32> -> tensor<2x4xf32>
  return
}

// -----

func.func @slice_size(%x: tensor<2x8xf32>) {
  // expected-error @+1 {{attribute 'size' failed to satisfy constraint: 64-bit signless integer attribute whose value is positive}}
  %0 = hpt.slice %x axis 1 offset 0 size 0 : tensor<2x8xf32> -> tensor<2x0xf32>
  return
}

// -----

func.func @negative_lr() {
  // expected-error @+1 {{'hpt.constant_lr' op learning rate must be non-negative, got -1}}
  %0 = hpt.constant_lr -1.0 : tensor<f32>
  return
}

// -----

func.func @lr_type() {
  // expected-error @+1 {{'hpt.constant_lr' op result #0 must be 0D tensor of 32-bit float values, but got 'tensor<f64>'}}
  %0 = hpt.constant_lr 1.0 : tensor<f64>
  return
}

// -----

func.func @step_lr_gamma() {
  // expected-error @+1 {{'hpt.step_lr' op gamma must be in [0, 1], got 1.5}}
  %0 = hpt.step_lr 1.0e-4 step_size 3 gamma 1.5 : tensor<f32>
  return
}

// -----

func.func @step_lr_step_size() {
  // expected-error @+1 {{attribute 'step_size' failed to satisfy constraint: 64-bit signless integer attribute whose value is positive}}
  %0 = hpt.step_lr 1.0e-4 step_size 0 gamma 0.5 : tensor<f32>
  return
}

// -----

hpt.param @frozen : tensor<4xf32> init <zeros> seed 1
func.func @update_frozen(%g: tensor<4xf32>, %lr: tensor<f32>) {
  // expected-error @+1 {{'hpt.sgd_update' op parameter @frozen is frozen (not trainable)}}
  hpt.sgd_update @frozen, %g, %lr momentum 0.0 dampening 0.0 weight_decay 0.0 : tensor<4xf32>
  return
}

// -----

hpt.param @w : tensor<4xf32> init <zeros> seed 1 trainable
func.func @update_type(%g: tensor<5xf32>, %lr: tensor<f32>) {
  // expected-error @+1 {{'hpt.adam_update' op gradient type 'tensor<5xf32>' differs from the type 'tensor<4xf32>' of parameter @w}}
  hpt.adam_update @w, %g, %lr beta1 0.9 beta2 0.999 eps 1.0e-8 weight_decay 0.0 : tensor<5xf32>
  return
}

// -----

func.func @update_missing(%g: tensor<4xf32>, %lr: tensor<f32>) {
  // expected-error @+1 {{'hpt.adamw_update' op '@nope' does not name an hpt.param}}
  hpt.adamw_update @nope, %g, %lr beta1 0.9 beta2 0.999 eps 1.0e-8 weight_decay 0.0 : tensor<4xf32>
  return
}

// -----

func.func @sgd_momentum(%g: tensor<4xf32>, %lr: tensor<f32>) {
  // expected-error @+1 {{'hpt.sgd_update' op momentum must be non-negative, got -0.5}}
  hpt.sgd_update @w, %g, %lr momentum -0.5 dampening 0.0 weight_decay 0.0 : tensor<4xf32>
  return
}

// -----

func.func @sgd_dampening(%g: tensor<4xf32>, %lr: tensor<f32>) {
  // expected-error @+1 {{'hpt.sgd_update' op dampening must be in [0, 1], got 2}}
  hpt.sgd_update @w, %g, %lr momentum 0.5 dampening 2.0 weight_decay 0.0 : tensor<4xf32>
  return
}

// -----

func.func @sgd_nesterov(%g: tensor<4xf32>, %lr: tensor<f32>) {
  // expected-error @+1 {{'hpt.sgd_update' op nesterov needs a positive momentum and zero dampening}}
  hpt.sgd_update @w, %g, %lr momentum 0.0 dampening 0.0 weight_decay 0.0 nesterov : tensor<4xf32>
  return
}

// -----

func.func @sgd_weight_decay(%g: tensor<4xf32>, %lr: tensor<f32>) {
  // expected-error @+1 {{'hpt.sgd_update' op weight_decay must be non-negative, got -1}}
  hpt.sgd_update @w, %g, %lr momentum 0.0 dampening 0.0 weight_decay -1.0 : tensor<4xf32>
  return
}

// -----

func.func @adam_beta(%g: tensor<4xf32>, %lr: tensor<f32>) {
  // expected-error @+1 {{'hpt.adam_update' op beta1 must be in [0, 1), got 1}}
  hpt.adam_update @w, %g, %lr beta1 1.0 beta2 0.999 eps 1.0e-8 weight_decay 0.0 : tensor<4xf32>
  return
}

// -----

func.func @adamw_eps(%g: tensor<4xf32>, %lr: tensor<f32>) {
  // expected-error @+1 {{'hpt.adamw_update' op eps must be positive, got 0}}
  hpt.adamw_update @w, %g, %lr beta1 0.9 beta2 0.999 eps 0.0 weight_decay 0.0 : tensor<4xf32>
  return
}

// -----

// Element counts that do not fit int64 are refused, in ops and parameters.
func.func @overflowing_tensor(%x: tensor<4294967296x4294967296xf32>) -> tensor<4294967296x4294967296xf32> {
  // expected-error @+1 {{'hpt.relu' op operand #0 must be statically shaped tensor of floating-point values with fewer than 2^63 elements}}
  %y = hpt.relu %x : tensor<4294967296x4294967296xf32>
  return %y : tensor<4294967296x4294967296xf32>
}

// -----

// expected-error @+1 {{'hpt.param' op attribute 'type' failed to satisfy constraint: type attribute of statically shaped tensor of floating-point values with fewer than 2^63 elements}}
hpt.param @huge : tensor<3037000500x3037000500xf32> init <zeros> seed 1 trainable

// -----

// expected-error @+1 {{'hpt.trainable' must be an array of parameter symbols}}
func.func @trainable_not_symbols() attributes {hpt.trainable = ["w"]} {
  return
}

// -----

// expected-error @+1 {{'hpt.lora' must be an #hpt.lora attribute}}
func.func @lora_not_lora() attributes {hpt.lora = 8 : i64} {
  return
}

// -----

// expected-error @+1 {{'hpt.lora_base' must name a function (@symbol)}}
func.func @lora_base_string() attributes {hpt.lora_base = "forward"} {
  return
}

// -----

// expected-error @+1 {{'hpt.train_step_of' must name a function (@symbol)}}
func.func @train_step_of_integer() attributes {hpt.train_step_of = 1 : i64} {
  return
}

// -----

// expected-error @+1 {{'hpt.adapters' must be an array of [@weight, @a, @b] symbol triples}}
func.func @adapters_pair() attributes {hpt.adapters = [[@w, @a]]} {
  return
}
