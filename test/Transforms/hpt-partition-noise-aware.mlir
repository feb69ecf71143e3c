// hpt-partition policy=noise-aware on three frozen 8x8 weights read one
// after another, their measured sensitivities in Inputs/sensitivity-three.json
// (w1 0.004, w2 0.001, w3 0.002; the all-digital loss 1), on the Atleus-like
// machine without the systolic cores' static power, so that a weight's
// saving is its product's energy on the array (36.5 nJ) minus on the
// crossbars (32.1 nJ), give or take the transfers that move with it.
// RUN: %python -c "import json; d = json.load(open('%hpt_src/configs/atleus-like.json')); d['systolic']['static_power']['value'] = 0.0; json.dump(d, open('%t.hw.json', 'w'))"
//
// Budget 0.0035: best energy per unit of sensitivity first, w2 (4.70 nJ /
// 0.001), w3 (4.45 / 0.002), then w1 (4.58 / 0.004) would make 0.007.
// RUN: hpt-opt %s --hpt-partition="function=step hw=%t.hw.json policy=noise-aware sensitivity=%S/Inputs/sensitivity-three.json loss-budget=0.0035 table=%t.table.txt report=%t.json" | FileCheck %s
// RUN: FileCheck %s --check-prefix=TABLE < %t.table.txt
// RUN: FileCheck %s --check-prefix=JSON < %t.json
// A zero budget keeps every weight digital; a budget of the whole loss none.
// RUN: hpt-opt %s --hpt-partition="function=step hw=%t.hw.json policy=noise-aware sensitivity=%S/Inputs/sensitivity-three.json loss-budget=0" | FileCheck %s --check-prefix=NONE
// RUN: hpt-opt %s --hpt-partition="function=step hw=%t.hw.json policy=noise-aware sensitivity=%S/Inputs/sensitivity-three.json loss-budget=1" | FileCheck %s --check-prefix=ALL

hpt.param @w1 : tensor<8x8xf32> init <uniform_fan_in, fan_in = 8> seed 1
hpt.param @w2 : tensor<8x8xf32> init <uniform_fan_in, fan_in = 8> seed 2
hpt.param @w3 : tensor<8x8xf32> init <uniform_fan_in, fan_in = 8> seed 3
hpt.param @adapter : tensor<8x8xf32> init <uniform_fan_in, fan_in = 8> seed 4 trainable

// The evaluation function reads the crossbars the step keeps: w2 and w3.
// CHECK-LABEL: func.func @forward
// CHECK: hpt.linear %arg0, %{{[0-9]+}} :
// CHECK: hpt.linear {{.*}}{hpt.device = #hpt.device<reram>}
// CHECK: hpt.linear {{.*}}{hpt.device = #hpt.device<reram>}
// NONE-LABEL: func.func @forward
// NONE-NOT: reram
// ALL-LABEL: func.func @forward
// ALL-COUNT-3: {hpt.device = #hpt.device<reram>}
func.func @forward(%x: tensor<4x8xf32>) -> tensor<4x8xf32> attributes {hpt.trainable = [@adapter]} {
  %w1 = hpt.get_param @w1 : tensor<8x8xf32>
  %y1 = hpt.linear %x, %w1 : (tensor<4x8xf32>, tensor<8x8xf32>) -> tensor<4x8xf32>
  %w2 = hpt.get_param @w2 : tensor<8x8xf32>
  %y2 = hpt.linear %y1, %w2 : (tensor<4x8xf32>, tensor<8x8xf32>) -> tensor<4x8xf32>
  %w3 = hpt.get_param @w3 : tensor<8x8xf32>
  %y3 = hpt.linear %y2, %w3 : (tensor<4x8xf32>, tensor<8x8xf32>) -> tensor<4x8xf32>
  return %y3 : tensor<4x8xf32>
}

// CHECK-LABEL: func.func @step
// CHECK: hpt.linear %arg0, {{.*}}{hpt.device = #hpt.device<systolic>}
// CHECK: hpt.linear {{.*}}{hpt.device = #hpt.device<reram>}
// CHECK: hpt.linear {{.*}}{hpt.device = #hpt.device<reram>}
// CHECK: hpt.linear {{.*}}{hpt.device = #hpt.device<systolic>}
// NONE-LABEL: func.func @step
// NONE-NOT: reram
// ALL-LABEL: func.func @step
// ALL-COUNT-3: {hpt.device = #hpt.device<reram>}
// ALL: {hpt.device = #hpt.device<systolic>}
func.func @step(%x: tensor<4x8xf32>) -> tensor<4x8xf32> attributes {hpt.trainable = [@adapter], hpt.train_step_of = @forward} {
  %w1 = hpt.get_param @w1 : tensor<8x8xf32>
  %y1 = hpt.linear %x, %w1 : (tensor<4x8xf32>, tensor<8x8xf32>) -> tensor<4x8xf32>
  %w2 = hpt.get_param @w2 : tensor<8x8xf32>
  %y2 = hpt.linear %y1, %w2 : (tensor<4x8xf32>, tensor<8x8xf32>) -> tensor<4x8xf32>
  %w3 = hpt.get_param @w3 : tensor<8x8xf32>
  %y3 = hpt.linear %y2, %w3 : (tensor<4x8xf32>, tensor<8x8xf32>) -> tensor<4x8xf32>
  %a = hpt.get_param @adapter : tensor<8x8xf32>
  %b = hpt.linear %y3, %a : (tensor<4x8xf32>, tensor<8x8xf32>) -> tensor<4x8xf32>
  return %b : tensor<4x8xf32>
}

// TABLE: 1     linear           4x8            systolic {{.*}} 0.29/36.5      0.631/32.1    noise-aware: @w1's sensitivity 0.004 would take the sum past the budget (0.003 + 0.004 > 0.0035), so it runs digitally
// TABLE: 3     linear           4x8            reram {{.*}} noise-aware: @w2 saves 4.704 nJ a step for a sensitivity of 0.001, within the budget (0 + 0.001 <= 0.0035)
// TABLE: 5     linear           4x8            reram {{.*}} noise-aware: @w3 saves 4.448 nJ a step for a sensitivity of 0.002, within the budget (0.001 + 0.002 <= 0.0035)
// TABLE: noise-aware: budget 0.0035 x all-digital loss 1 = 0.0035; the kept weights' sensitivities sum to 0.003 (every candidate at once measured 0.006)
// TABLE-NEXT: weight sensitivity saved nJ/step device
// TABLE-NEXT: w2 0.001 4.70431 reram
// TABLE-NEXT: w3 0.002 4.44831 reram
// TABLE-NEXT: w1 0.004 4.57631 digital

// JSON: "evaluation": {
// JSON-NEXT: "function": "forward",
// JSON-NEXT: "reram_products": 2
// JSON: "noise_aware": {
// JSON-NEXT: "allowance": 0.0035
// JSON-NEXT: "baseline_loss": 1,
// JSON-NEXT: "kept": 0.003
// JSON-NEXT: "loss_budget": 0.0035
// JSON-NEXT: "measured_together": 0.006
// JSON-NEXT: "sensitivity_file": "{{.*}}sensitivity-three.json",
// JSON-NEXT: "weights": [
// JSON-NEXT: {
// JSON-NEXT: "increase": -0.001,
// JSON-NEXT: "param": "w2",
// JSON-NEXT: "reason": "noise-aware: @w2 saves 4.704 nJ
// JSON-NEXT: "reram": true,
// JSON-NEXT: "saved_pj": 4704.3
// JSON-NEXT: "sensitivity": 0.001
// JSON: "policy": "noise-aware",
