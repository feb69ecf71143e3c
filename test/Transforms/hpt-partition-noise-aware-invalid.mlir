// RUN: hpt-opt %s --split-input-file --verify-diagnostics --hpt-partition="function=lora hw=%hpt_src/configs/atleus-like.json policy=noise-aware sensitivity=%S/Inputs/sensitivity-three.json"

// policy=noise-aware's measurement must be of this model's ReRAM weights:
// here it lacks @frozen (it measured three others).
hpt.param @w1 : tensor<8x8xf32> init <uniform_fan_in, fan_in = 8> seed 1
hpt.param @w2 : tensor<8x8xf32> init <uniform_fan_in, fan_in = 8> seed 2
hpt.param @w3 : tensor<8x8xf32> init <uniform_fan_in, fan_in = 8> seed 3
hpt.param @frozen : tensor<8x8xf32> init <uniform_fan_in, fan_in = 8> seed 4
func.func @lora(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %w = hpt.get_param @frozen : tensor<8x8xf32>
  // expected-error @+1 {{measures no sensitivity for @frozen (a measurement of another model, or of fewer ReRAM weights?)}}
  %y = hpt.linear %x, %w : (tensor<4x8xf32>, tensor<8x8xf32>) -> tensor<4x8xf32>
  return %y : tensor<4x8xf32>
}

// -----

// The options and the file: none given, a negative budget, a file that is
// not JSON or not a measurement, one of another model (a parameter this
// module lacks, or one of another shape).
// RUN: not hpt-opt %s --split-input-file --hpt-partition="function=lora hw=%hpt_src/configs/atleus-like.json policy=noise-aware" 2>&1 | FileCheck %s --check-prefix=NOSENS
// NOSENS: hpt-partition: policy=noise-aware needs sensitivity=FILE (the weights' noise, measured by hpt-run --sensitivity)
// RUN: not hpt-opt %s --split-input-file --hpt-partition="function=lora hw=%hpt_src/configs/atleus-like.json policy=noise-aware sensitivity=%S/Inputs/sensitivity-three.json loss-budget=-0.5" 2>&1 | FileCheck %s --check-prefix=BUDGET
// BUDGET: hpt-partition: loss-budget = -0.5{{0*}}: must be a fraction that is not negative
// RUN: not hpt-opt %s --split-input-file --hpt-partition="function=lora hw=%hpt_src/configs/atleus-like.json policy=noise-aware sensitivity=%s" 2>&1 | FileCheck %s --check-prefix=NOTJSON
// NOTJSON: hpt-partition: sensitivity={{.*}}hpt-partition-noise-aware-invalid.mlir: not JSON:
// RUN: not hpt-opt %s --split-input-file --hpt-partition="function=lora hw=%hpt_src/configs/atleus-like.json policy=noise-aware sensitivity=%hpt_src/configs/atleus-like.json" 2>&1 | FileCheck %s --check-prefix=KIND
// KIND: hpt-partition: sensitivity={{.*}}atleus-like.json: "kind" is not "hpt-sensitivity" (write it with hpt-run --sensitivity)
// RUN: not hpt-opt %s --split-input-file --hpt-partition="function=lora hw=%hpt_src/configs/atleus-like.json policy=noise-aware sensitivity=%S/Inputs/sensitivity-other-model.json" 2>&1 | FileCheck %s --check-prefix=OTHER
// OTHER: hpt-partition: sensitivity={{.*}}sensitivity-other-model.json: weights[0]: @enc.0.attn.wq is not a parameter of this module (a measurement of another model?)
// RUN: not hpt-opt %s --split-input-file --hpt-partition="function=lora hw=%hpt_src/configs/atleus-like.json policy=noise-aware sensitivity=%S/Inputs/sensitivity-wrong-shape.json" 2>&1 | FileCheck %s --check-prefix=SHAPE
// SHAPE: hpt-partition: sensitivity={{.*}}sensitivity-wrong-shape.json: weights[0]: @frozen is 4x4 in the file but 8x8 in this module (a measurement of another model?)
// RUN: not hpt-opt %s --split-input-file --hpt-partition="function=lora hw=%hpt_src/configs/atleus-like.json policy=noise-aware sensitivity=%t.missing.json" 2>&1 | FileCheck %s --check-prefix=MISSING
// MISSING: hpt-partition: sensitivity={{.*}}missing.json: cannot open: No such file or directory
hpt.param @w1 : tensor<8x8xf32> init <uniform_fan_in, fan_in = 8> seed 1
hpt.param @w2 : tensor<8x8xf32> init <uniform_fan_in, fan_in = 8> seed 2
hpt.param @w3 : tensor<8x8xf32> init <uniform_fan_in, fan_in = 8> seed 3
hpt.param @frozen : tensor<8x8xf32> init <uniform_fan_in, fan_in = 8> seed 4
func.func @lora(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  return %x : tensor<4x8xf32>
}
