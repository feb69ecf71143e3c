// RUN: hpt-opt %s --split-input-file --verify-diagnostics --hpt-partition="function=full hw=%hpt_src/configs/neurosim-like.json"

// HpT runs the full-parameter program on a GPU; the NeuroSim-like machine has none.
hpt.param @w : tensor<8x8xf32> init <uniform_fan_in, fan_in = 8> seed 2 trainable
func.func @full(%x: tensor<4x8xf32>) -> tensor<4x8xf32> attributes {hpt.trainable = [@w]} {
  // expected-error @+1 {{hpt-partition: policy=hpt puts this op on gpu, which}}
  %a = hpt.get_param @w : tensor<8x8xf32>
  %b = hpt.linear %x, %a : (tensor<4x8xf32>, tensor<8x8xf32>) -> tensor<4x8xf32>
  return %b : tensor<4x8xf32>
}

// -----

// A pin no device can honour: crossbars run only frozen-weight products.
func.func @full(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  // expected-error @+1 {{hpt-partition: no device of}}
  %r = hpt.relu %x {hpt.device = #hpt.device<reram>} : tensor<4x8xf32>
  return %r : tensor<4x8xf32>
}

// -----

// The options: a function the module lacks, no description, a negative
// amortisation, an unknown policy or objective.
// RUN: not hpt-opt %s --split-input-file --hpt-partition="function=nothere hw=%hpt_src/configs/atleus-like.json" 2>&1 | FileCheck %s --check-prefix=FUNCTION
// FUNCTION: hpt-partition: no function @nothere in the module
// RUN: not hpt-opt %s --split-input-file --hpt-partition="function=full" 2>&1 | FileCheck %s --check-prefix=NOHW
// NOHW: hpt-partition: hw=FILE is required (the devices and their costs)
// RUN: not hpt-opt %s --split-input-file --hpt-partition="function=full hw=%hpt_src/configs/atleus-like.json steps=-1" 2>&1 | FileCheck %s --check-prefix=STEPS
// STEPS: hpt-partition: steps = -1: must not be negative
// RUN: not hpt-opt %s --split-input-file --hpt-partition="function=full hw=%hpt_src/configs/atleus-like.json policy=magic" 2>&1 | FileCheck %s --check-prefix=POLICY
// POLICY: for the --policy option: Cannot find option named 'magic'!
// RUN: not hpt-opt %s --split-input-file --hpt-partition="function=full hw=%hpt_src/configs/atleus-like.json objective=speed" 2>&1 | FileCheck %s --check-prefix=OBJECTIVE
// OBJECTIVE: for the --objective option: Cannot find option named 'speed'!
// RUN: not hpt-opt %s --split-input-file --hpt-partition="function=full hw=%t.none.json" 2>&1 | FileCheck %s --check-prefix=NOFILE
// NOFILE: hpt-partition: {{.*}}none.json: cannot open
func.func @full(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  return %x : tensor<4x8xf32>
}
