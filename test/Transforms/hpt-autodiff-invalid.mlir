// RUN: hpt-opt %s -split-input-file --hpt-autodiff -verify-diagnostics
// RUN: not hpt-opt %s -split-input-file --hpt-autodiff=optimizer=rmsprop 2>&1 | FileCheck %s --check-prefix=OPTIMIZER
// RUN: not hpt-opt %s -split-input-file --hpt-autodiff=lr-schedule=cosine 2>&1 | FileCheck %s --check-prefix=SCHEDULE
// OPTIMIZER: hpt-autodiff: optimizer must be sgd, adam or adamw, got 'rmsprop'
// SCHEDULE: hpt-autodiff: lr-schedule must be constant or step, got 'cosine'

// expected-error @+1 {{hpt-autodiff: no function @forward to differentiate}}
module {
  func.func @predict() {
    return
  }
}

// -----

// expected-error @+1 {{'func.func' op must return the loss, a 0-d tensor, as result 0}}
func.func @forward(%x: tensor<2xf32>) -> tensor<2xf32> {
  return %x : tensor<2xf32>
}

// -----

hpt.param @w : tensor<2x2xf32> init <zeros> seed 1
// expected-error @+1 {{'func.func' op has a loss that depends on no trainable parameter}}
func.func @forward(%x: tensor<2x2xf32>) -> tensor<f32> {
  %w = hpt.get_param @w : tensor<2x2xf32>
  %y = hpt.linear %x, %w : (tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<2x2xf32>
  %l = hpt.mse_loss %y, %x : tensor<2x2xf32> -> tensor<f32>
  return %l : tensor<f32>
}

// -----

hpt.param @w : tensor<2x2xf32> init <zeros> seed 1 trainable
func.func @forward(%x: tensor<2x2xf32>) -> tensor<f32> {
  %w = hpt.get_param @w : tensor<2x2xf32>
  %y = hpt.linear %x, %w : (tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<2x2xf32>
  // expected-error @+1 {{'tensor.cast' op has no gradient rule (AutodiffOpInterface); hpt-autodiff cannot differentiate through it}}
  %c = tensor.cast %y : tensor<2x2xf32> to tensor<2x2xf32>
  %l = hpt.mse_loss %c, %x : tensor<2x2xf32> -> tensor<f32>
  return %l : tensor<f32>
}

// -----

hpt.param @w : tensor<2x2xf32> init <zeros> seed 1 trainable
// expected-error @+1 {{'func.func' op must return the value of a loss op (hpt.mse_loss) as result 0}}
func.func @forward(%x: tensor<2x2xf32>) -> tensor<f32> {
  %w = hpt.get_param @w : tensor<2x2xf32>
  %y = hpt.linear %x, %w : (tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<2x2xf32>
  %l = hpt.mse_loss %y, %x : tensor<2x2xf32> -> tensor<f32>
  %l2 = hpt.scale %l by 2.0 : tensor<f32>
  return %l2 : tensor<f32>
}

// -----

hpt.param @w : tensor<2x2xf32> init <zeros> seed 1 trainable
func.func @forward(%x: tensor<2x2xf32>) -> tensor<f32> {
  %w = hpt.get_param @w : tensor<2x2xf32>
  %y = hpt.linear %x, %w : (tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<2x2xf32>
  // expected-error @+1 {{'hpt.mse_loss' op is used inside the graph; a loss must be the root that hpt-autodiff differentiates}}
  %l = hpt.mse_loss %y, %x : tensor<2x2xf32> -> tensor<f32>
  %s = hpt.reshape %l : tensor<f32> -> tensor<1x1xf32>
  %z = hpt.add %s, %s : tensor<1x1xf32>
  %t = hpt.reshape %x : tensor<2x2xf32> -> tensor<4x1xf32>
  %u = hpt.slice %t axis 0 offset 0 size 1 : tensor<4x1xf32> -> tensor<1x1xf32>
  %l2 = hpt.mse_loss %z, %u : tensor<1x1xf32> -> tensor<f32>
  return %l2 : tensor<f32>
}

// -----

// expected-error @+1 {{hpt-autodiff: the module already has a symbol @train_step}}
module {
  hpt.param @w : tensor<2x2xf32> init <zeros> seed 1 trainable
  func.func @forward(%x: tensor<2x2xf32>) -> tensor<f32> {
    %w = hpt.get_param @w : tensor<2x2xf32>
    %l = hpt.mse_loss %w, %x : tensor<2x2xf32> -> tensor<f32>
    return %l : tensor<f32>
  }
  func.func @train_step() {
    return
  }
}
