// RUN: hpt-opt %s --hpt-lora="rank=2 trainable=embed,decode" | FileCheck %s
// RUN: hpt-opt %s --hpt-lora="rank=auto auto-ranks=1,2 dropout=0 alpha=4 trainable=decode" | FileCheck %s --check-prefix=AUTO
// RUN: hpt-opt %s --hpt-lora="rank=2 trainable=embed,decode targets=enc.*.attn.wo" --hpt-print-model-stats -o /dev/null | FileCheck %s --check-prefix=STATS
// The LoRA program's training step updates only what it trains: adapters and
// the embed/decode groups, not the frozen attention weights.
// RUN: hpt-opt %s --hpt-lora="rank=2 trainable=embed,decode" --hpt-autodiff="optimizer=adam lr=1e-3" --hpt-autodiff="function=forward_lora train-function=train_step_lora optimizer=adamw lr=1e-4 weight-decay=1e-4" | FileCheck %s --check-prefix=STEP

// A one-layer encoder of width 4 (2 heads): hpt-lora adds @forward_lora with
// adapters on the Q and V projections (default targets enc.*.attn.wq and
// enc.*.attn.wv): A (rank x in, U(±1/√in)) and B (out x rank, zeros) are new
// parameters declared after the last one, with seeds no parameter or dropout
// uses; the adapter input goes through its own dropout.
hpt.param @embed.w : tensor<4x3xf32> init <uniform_fan_in, fan_in = 3> seed 1 trainable
hpt.param @enc.0.attn.wq : tensor<4x4xf32> init <uniform_fan_in, fan_in = 4> seed 2 trainable
hpt.param @enc.0.attn.bq : tensor<4xf32> init <uniform_fan_in, fan_in = 4> seed 3 trainable
hpt.param @enc.0.attn.wk : tensor<4x4xf32> init <uniform_fan_in, fan_in = 4> seed 4 trainable
hpt.param @enc.0.attn.bk : tensor<4xf32> init <uniform_fan_in, fan_in = 4> seed 5 trainable
hpt.param @enc.0.attn.wv : tensor<4x4xf32> init <uniform_fan_in, fan_in = 4> seed 6 trainable
hpt.param @enc.0.attn.bv : tensor<4xf32> init <uniform_fan_in, fan_in = 4> seed 7 trainable
hpt.param @enc.0.attn.wo : tensor<4x4xf32> init <uniform_fan_in, fan_in = 4> seed 8 trainable
hpt.param @enc.0.attn.bo : tensor<4xf32> init <uniform_fan_in, fan_in = 4> seed 9 trainable
hpt.param @decode.w : tensor<1x4xf32> init <uniform_fan_in, fan_in = 4> seed 10 trainable
func.func @forward(%x: tensor<1x2x3xf32>, %t: tensor<1x2x1xf32>) -> (tensor<f32>, tensor<1x2x1xf32>) {
  %we = hpt.get_param @embed.w : tensor<4x3xf32>
  %e = hpt.linear %x, %we : (tensor<1x2x3xf32>, tensor<4x3xf32>) -> tensor<1x2x4xf32>
  %e2 = hpt.dropout %e p 1.000000e-01 seed 11 : tensor<1x2x4xf32>
  %wq = hpt.get_param @enc.0.attn.wq : tensor<4x4xf32>
  %bq = hpt.get_param @enc.0.attn.bq : tensor<4xf32>
  %wk = hpt.get_param @enc.0.attn.wk : tensor<4x4xf32>
  %bk = hpt.get_param @enc.0.attn.bk : tensor<4xf32>
  %wv = hpt.get_param @enc.0.attn.wv : tensor<4x4xf32>
  %bv = hpt.get_param @enc.0.attn.bv : tensor<4xf32>
  %wo = hpt.get_param @enc.0.attn.wo : tensor<4x4xf32>
  %bo = hpt.get_param @enc.0.attn.bo : tensor<4xf32>
  %a = hpt.self_attention %e2, %wq, %bq, %wk, %bk, %wv, %bv, %wo, %bo heads 2 head_dim 2 : (tensor<1x2x4xf32>, tensor<4x4xf32>, tensor<4xf32>, tensor<4x4xf32>, tensor<4xf32>, tensor<4x4xf32>, tensor<4xf32>, tensor<4x4xf32>, tensor<4xf32>) -> tensor<1x2x4xf32>
  %wd = hpt.get_param @decode.w : tensor<1x4xf32>
  %y = hpt.linear %a, %wd : (tensor<1x2x4xf32>, tensor<1x4xf32>) -> tensor<1x2x1xf32>
  %l = hpt.mse_loss %y, %t : tensor<1x2x1xf32> -> tensor<f32>
  return %l, %y : tensor<f32>, tensor<1x2x1xf32>
}

// CHECK:      hpt.param @decode.w
// CHECK-NEXT: hpt.param @lora.enc.0.attn.wq.a : tensor<2x4xf32> init <uniform_fan_in, fan_in = 4> seed 12 trainable
// CHECK-NEXT: hpt.param @lora.enc.0.attn.wq.b : tensor<4x2xf32> init <zeros> seed 13 trainable
// CHECK-NEXT: hpt.param @lora.enc.0.attn.wv.a : tensor<2x4xf32> init <uniform_fan_in, fan_in = 4> seed 15 trainable
// CHECK-NEXT: hpt.param @lora.enc.0.attn.wv.b : tensor<4x2xf32> init <zeros> seed 16 trainable
// The full program is unchanged.
// CHECK-LABEL: func.func @forward(
// CHECK:       hpt.self_attention
// CHECK-NOT:   lora
// CHECK:       return
// CHECK-LABEL: func.func @forward_lora(
// CHECK-SAME:  hpt.adapters = {{\[\[}}@enc.0.attn.wq, @lora.enc.0.attn.wq.a, @lora.enc.0.attn.wq.b], [@enc.0.attn.wv, @lora.enc.0.attn.wv.a, @lora.enc.0.attn.wv.b]]
// CHECK-SAME:  hpt.lora = #hpt.lora<rank = 2, alpha = 6.400000e+01, dropout = 1.000000e-01>
// CHECK-SAME:  hpt.lora_base = @forward
// CHECK-SAME:  hpt.trainable = [@embed.w, @decode.w, @lora.enc.0.attn.wq.a, @lora.enc.0.attn.wq.b, @lora.enc.0.attn.wv.a, @lora.enc.0.attn.wv.b]
// CHECK-DAG:   %[[WQ:.*]] = hpt.get_param @enc.0.attn.wq
// CHECK-DAG:   %[[BQ:.*]] = hpt.get_param @enc.0.attn.bq
// CHECK-NOT:   hpt.self_attention
// CHECK:       %[[Q:.*]] = hpt.linear %[[X:.*]], %[[WQ]], %[[BQ]]
// CHECK-NEXT:  %[[XD:.*]] = hpt.dropout %[[X]] p 1.000000e-01 seed 14
// CHECK-NEXT:  %[[A:.*]] = hpt.get_param @lora.enc.0.attn.wq.a : tensor<2x4xf32>
// CHECK-NEXT:  %[[U:.*]] = hpt.linear %[[XD]], %[[A]] : (tensor<1x2x4xf32>, tensor<2x4xf32>) -> tensor<1x2x2xf32>
// CHECK-NEXT:  %[[B:.*]] = hpt.get_param @lora.enc.0.attn.wq.b : tensor<4x2xf32>
// CHECK-NEXT:  %[[V:.*]] = hpt.linear %[[U]], %[[B]] : (tensor<1x2x2xf32>, tensor<4x2xf32>) -> tensor<1x2x4xf32>
// alpha / rank = 64 / 2
// CHECK-NEXT:  %[[S:.*]] = hpt.scale %[[V]] by 3.200000e+01
// CHECK-NEXT:  %[[Q2:.*]] = hpt.add %[[Q]], %[[S]]
// CHECK-NEXT:  hpt.reshape %[[Q2]]
// K has no adapter.
// CHECK:       hpt.linear %[[X]], %{{.*}}, %{{.*}} : {{.*}}
// CHECK-NEXT:  hpt.reshape
// CHECK:       hpt.dropout %[[X]] p 1.000000e-01 seed 17
// CHECK-NEXT:  hpt.get_param @lora.enc.0.attn.wv.a

// rank=auto: one program per rank, adapters named by rank; dropout 0 adds no
// dropout op; the scale is alpha / rank.
// AUTO-DAG: hpt.param @lora.r1.enc.0.attn.wq.a : tensor<1x4xf32>
// AUTO-DAG: hpt.param @lora.r2.enc.0.attn.wv.b : tensor<4x2xf32>
// AUTO-LABEL: func.func @forward_lora_r1(
// AUTO-SAME:  hpt.lora = #hpt.lora<rank = 1, alpha = 4.000000e+00, dropout = 0.000000e+00>
// AUTO-SAME:  hpt.trainable = [@decode.w, @lora.r1.enc.0.attn.wq.a
// AUTO-NOT:   hpt.dropout {{.*}} seed {{1[2-9]}}
// AUTO:       hpt.scale %{{.*}} by 4.000000e+00
// AUTO-LABEL: func.func @forward_lora_r2(
// AUTO:       hpt.scale %{{.*}} by 2.000000e+00

// Statistics: the LoRA program's line first (its parameters: the model's
// plus its adapters; trainable: embed, decode and the adapters), then the
// full program, which does not count the adapters.
// Adapters on the output projection only (targets=enc.*.attn.wo): 2 x (2·4)
// adapter parameters; trainable 12 (embed) + 4 (decode) + 16; frozen: the
// 80 encoder parameters.
// STATS:      model @forward_lora: 112 parameters (32 trainable, 80 frozen) in 12 tensors
// STATS-NEXT: model @forward: 96 parameters (96 trainable, 0 frozen) in 10 tensors

// STEP-LABEL: func.func @train_step(
// STEP-SAME:  hpt.train_step_of = @forward
// STEP:       hpt.adam_update @enc.0.attn.wq
// STEP-LABEL: func.func @train_step_lora(
// STEP-SAME:  hpt.train_step_of = @forward_lora
// STEP-SAME:  hpt.trainable = [@embed.w, @decode.w, @lora.enc.0.attn.wq.a
// STEP-NOT:   hpt.lora =
// STEP-NOT:   adamw_update @enc.
// STEP:       hpt.adamw_update @embed.w
// STEP-NEXT:  hpt.adamw_update @decode.w
// STEP-NEXT:  hpt.adamw_update @lora.enc.0.attn.wq.a
// STEP-NEXT:  hpt.adamw_update @lora.enc.0.attn.wq.b
// STEP-NEXT:  hpt.adamw_update @lora.enc.0.attn.wv.a
// STEP-NEXT:  hpt.adamw_update @lora.enc.0.attn.wv.b
// STEP-NEXT:  return
