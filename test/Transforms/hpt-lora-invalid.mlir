// RUN: hpt-opt %s -split-input-file --hpt-lora="rank=2 trainable=embed" -verify-diagnostics
// Options that name nothing or make no sense are refused, naming the option.
// RUN: not hpt-opt %s -split-input-file --hpt-lora="rank=0" 2>&1 | FileCheck %s --check-prefix=RANK0
// RUN: not hpt-opt %s -split-input-file --hpt-lora="rank=eight" 2>&1 | FileCheck %s --check-prefix=RANKTEXT
// RUN: not hpt-opt %s -split-input-file --hpt-lora="rank=auto auto-ranks=2,0" 2>&1 | FileCheck %s --check-prefix=RANK0
// RUN: not hpt-opt %s -split-input-file --hpt-lora="rank=2 alpha=0" 2>&1 | FileCheck %s --check-prefix=ALPHA
// RUN: not hpt-opt %s -split-input-file --hpt-lora="rank=2 alpha=-1" 2>&1 | FileCheck %s --check-prefix=ALPHA
// RUN: not hpt-opt %s -split-input-file --hpt-lora="rank=2 dropout=1" 2>&1 | FileCheck %s --check-prefix=DROPOUT
// RUN: not hpt-opt %s -split-input-file --hpt-lora="rank=2 targets=enc.*.attn.wz trainable=embed" 2>&1 | FileCheck %s --check-prefix=GLOB
// RUN: not hpt-opt %s -split-input-file --hpt-lora="rank=2 targets=[ trainable=embed" 2>&1 | FileCheck %s --check-prefix=BADGLOB
// RUN: not hpt-opt %s -split-input-file --hpt-lora="rank=2 trainable=embed,head" 2>&1 | FileCheck %s --check-prefix=GROUP
// RUN: not hpt-opt %s -split-input-file --hpt-lora="rank=5 trainable=embed" 2>&1 | FileCheck %s --check-prefix=TOOBIG
// Applied twice: the second application is refused.
// RUN: not hpt-opt %s -split-input-file --hpt-lora="rank=2 trainable=embed" --hpt-lora="rank=2 trainable=embed" 2>&1 | FileCheck %s --check-prefix=TWICE
// RANK0: hpt-lora: rank must be positive, got 0
// RANKTEXT: hpt-lora: rank must be a positive integer or auto, got 'eight'
// ALPHA: hpt-lora: alpha must be positive, got
// DROPOUT: hpt-lora: dropout must be in [0, 1), got 1
// GLOB: hpt-lora: targets: 'enc.*.attn.wz' matches no weight of a linear layer in @forward
// BADGLOB: hpt-lora: targets: '[' is not a glob
// GROUP: hpt-lora: trainable: group 'head' names no parameter of the module
// TOOBIG: 'hpt.linear' op hpt-lora: rank 5 exceeds the smaller side of @enc.0.attn.wq (4x4)
// TWICE: hpt-lora: the module already has a LoRA program (@forward_lora); hpt-lora applies once

hpt.param @embed.w : tensor<4x4xf32> init <uniform_fan_in, fan_in = 4> seed 1 trainable
hpt.param @enc.0.attn.wq : tensor<4x4xf32> init <uniform_fan_in, fan_in = 4> seed 2 trainable
hpt.param @enc.0.attn.wv : tensor<4x4xf32> init <uniform_fan_in, fan_in = 4> seed 3 trainable
func.func @forward(%x: tensor<2x4xf32>, %t: tensor<2x4xf32>) -> tensor<f32> {
  %we = hpt.get_param @embed.w : tensor<4x4xf32>
  %e = hpt.linear %x, %we : (tensor<2x4xf32>, tensor<4x4xf32>) -> tensor<2x4xf32>
  %wq = hpt.get_param @enc.0.attn.wq : tensor<4x4xf32>
  %q = hpt.linear %e, %wq : (tensor<2x4xf32>, tensor<4x4xf32>) -> tensor<2x4xf32>
  %wv = hpt.get_param @enc.0.attn.wv : tensor<4x4xf32>
  %v = hpt.linear %q, %wv : (tensor<2x4xf32>, tensor<4x4xf32>) -> tensor<2x4xf32>
  %l = hpt.mse_loss %v, %t : tensor<2x4xf32> -> tensor<f32>
  return %l : tensor<f32>
}

// -----

// expected-error @+1 {{hpt-lora: no function @forward to adapt}}
module {
  func.func @predict() {
    return
  }
}

// -----

// The name the LoRA program would take is already used.
// expected-error @+1 {{hpt-lora: the module already has a symbol @forward_lora}}
module {
  hpt.param @embed.w : tensor<4x4xf32> init <uniform_fan_in, fan_in = 4> seed 1 trainable
  hpt.param @enc.0.attn.wq : tensor<4x4xf32> init <uniform_fan_in, fan_in = 4> seed 2 trainable
  hpt.param @enc.0.attn.wv : tensor<4x4xf32> init <uniform_fan_in, fan_in = 4> seed 3 trainable
  func.func @forward_lora() {
    return
  }
  func.func @forward(%x: tensor<2x4xf32>, %t: tensor<2x4xf32>) -> tensor<f32> {
    %wq = hpt.get_param @enc.0.attn.wq : tensor<4x4xf32>
    %q = hpt.linear %x, %wq : (tensor<2x4xf32>, tensor<4x4xf32>) -> tensor<2x4xf32>
    %wv = hpt.get_param @enc.0.attn.wv : tensor<4x4xf32>
    %v = hpt.linear %q, %wv : (tensor<2x4xf32>, tensor<4x4xf32>) -> tensor<2x4xf32>
    %l = hpt.mse_loss %v, %t : tensor<2x4xf32> -> tensor<f32>
    return %l : tensor<f32>
  }
}
