// hpt-partition's decisions on small graphs whose costs are computed by hand
// on Inputs/partition-hw.json: a host at 1 GFLOP/s, 1 Gelement/s and 1 W;
// one 4 x 4 weight-stationary core at 1 GHz, 1 pJ per MAC and per vector
// visit, free SRAM and DRAM; a 1 GB/s host link with no latency or energy.
//
// @step: y = x·w (4x8 · 8x4), z = relu(y).
//   host:     matmul 2·4·4·8 = 256 FLOP = 256 ns, 256 nJ; relu 16 elements
//             = 16 ns, 16 nJ: the step 272 ns, 272 nJ.
//   systolic: matmul ceil(8/4)·ceil(4/4) = 2 folds of 4 + 2·4 + 4 − 2 = 14
//             cycles = 28 ns, 128 MACs = 128 pJ; relu 4 rows · 1 pass =
//             4 ns, 16 pJ; x and w (128 bytes each) cross the link one after
//             the other first, 256 ns: the step 288 ns, 0.144 nJ.
//   mixed:    host matmul then y (64 bytes) over the link and relu on the
//             array: 256 + 64 + 4 = 324 ns; the other way 284 + 64 + 16 = 364.
// RUN: hpt-opt %s --hpt-partition="function=step hw=%S/Inputs/partition-hw.json policy=cost objective=latency table=%t.latency.txt" | FileCheck %s --check-prefix=LATENCY
// RUN: FileCheck %s --check-prefix=LATENCY-TABLE < %t.latency.txt
// RUN: hpt-opt %s --hpt-partition="function=step hw=%S/Inputs/partition-hw.json policy=cost objective=energy table=%t.energy.txt report=%t.energy.json" | FileCheck %s --check-prefix=ENERGY
// RUN: FileCheck %s --check-prefix=ENERGY-TABLE < %t.energy.txt
// RUN: FileCheck %s --check-prefix=ENERGY-JSON < %t.energy.json
// RUN: hpt-opt %s --hpt-partition="function=step hw=%S/Inputs/partition-hw.json policy=cost objective=edp" | FileCheck %s --check-prefix=ENERGY

// LATENCY-LABEL: func.func @step
// LATENCY: hpt.matmul {{.*}}{hpt.device = #hpt.device<host>}
// LATENCY: hpt.relu {{.*}}{hpt.device = #hpt.device<host>}
// LATENCY-TABLE: 0     matmul           4x4            host        0.256/256                 -   0.028/0.128 
// LATENCY-TABLE: 1     relu             4x4            host        0.016/16                  -   0.004/0.016 
// LATENCY-TABLE: step: 0.272 us, 272 nJ (transfers 0 nJ, static 0 nJ, ReRAM programming 0 nJ); HpT's mapping: not possible on partition-test

// ENERGY-LABEL: func.func @step
// ENERGY: hpt.matmul {{.*}}{hpt.device = #hpt.device<systolic>}
// ENERGY: hpt.relu {{.*}}{hpt.device = #hpt.device<systolic>}
// ENERGY-TABLE: step: 0.288 us, 0.144 nJ
// ENERGY-JSON: "device": "systolic",
// ENERGY-JSON-NEXT: "end": 2.8{{[0-9]*}}e-07,
// ENERGY-JSON-NEXT: "index": 0,
// ENERGY-JSON-NEXT: "instance": 0,
// ENERGY-JSON-NEXT: "op": "matmul",
// ENERGY-JSON-NEXT: "param": "",
// ENERGY-JSON-NEXT: "reason": "cost: the least energy of the step moves it off the host",
// ENERGY-JSON-NEXT: "shape": "4x4",
// ENERGY-JSON-NEXT: "start": 2.5{{[0-9]*}}e-07
// ENERGY-JSON: "seconds": 2.87999{{[0-9]*}}e-07
// ENERGY-JSON: "transfers": [
// ENERGY-JSON: "bytes": 128,
// ENERGY-JSON: "from": "host",
// ENERGY-JSON-NEXT: "seconds": 1.28{{[0-9]*}}e-07,
// ENERGY-JSON-NEXT: "to": "systolic",
func.func @step(%x: tensor<4x8xf32>, %w: tensor<8x4xf32>) -> tensor<4x4xf32> {
  %y = hpt.matmul %x, %w : (tensor<4x8xf32>, tensor<8x4xf32>) -> tensor<4x4xf32>
  %z = hpt.relu %y : tensor<4x4xf32>
  return %z : tensor<4x4xf32>
}

// A relu the user pinned to the array pulls the product there for latency:
// 256 + 28 + 4 = 288 ns beats 256 + 64 + 4 = 324 ns.
// RUN: hpt-opt %s --hpt-partition="function=pinned hw=%S/Inputs/partition-hw.json policy=cost objective=latency" | FileCheck %s --check-prefix=PINNED
// PINNED-LABEL: func.func @pinned
// PINNED: hpt.matmul {{.*}}{hpt.device = #hpt.device<systolic>}
// PINNED: hpt.relu {{.*}}{hpt.device = #hpt.device<systolic>}
func.func @pinned(%x: tensor<4x8xf32>, %w: tensor<8x4xf32>) -> tensor<4x4xf32> {
  %y = hpt.matmul %x, %w : (tensor<4x8xf32>, tensor<8x4xf32>) -> tensor<4x4xf32>
  %z = hpt.relu %y {hpt.device = #hpt.device<systolic>} : tensor<4x4xf32>
  return %z : tensor<4x4xf32>
}

// HpT's mapping on the Atleus-like machine: in a LoRA program (a frozen
// weight) the frozen product reads crossbars, the adapter's product and the
// activation run on the systolic arrays, the reshape stays on the host; a
// program without frozen weights runs on the GPU.
// RUN: hpt-opt %s --hpt-partition="function=lora hw=%hpt_src/configs/atleus-like.json" | FileCheck %s --check-prefix=HPT
// RUN: hpt-opt %s --hpt-partition="function=full hw=%hpt_src/configs/atleus-like.json" | FileCheck %s --check-prefix=FULL
// steps=N charges 1/N of programming the frozen weight's crossbars to the
// step; by default (0) the one-time figure is only reported.
// RUN: hpt-opt %s -o /dev/null --hpt-partition="function=lora hw=%hpt_src/configs/atleus-like.json table=%t.once.txt"
// RUN: FileCheck %s --check-prefix=ONCE < %t.once.txt
// ONCE: ReRAM programming 0 nJ)
// ONCE: ReRAM programming, once: {{[0-9.]*[1-9][0-9.e+-]*}} us, {{.*}} nJ (frozen weights': not charged to the step)
// RUN: hpt-opt %s -o /dev/null --hpt-partition="function=lora hw=%hpt_src/configs/atleus-like.json steps=100 table=%t.amortised.txt"
// RUN: FileCheck %s --check-prefix=AMORTISED < %t.amortised.txt
// AMORTISED: ReRAM programming {{[0-9.]*[1-9][0-9.e+-]*}} nJ)
// AMORTISED: ReRAM programming, once: {{.*}} (frozen weights': 1/100 charged per step)
hpt.param @frozen : tensor<8x8xf32> init <uniform_fan_in, fan_in = 8> seed 1
hpt.param @adapter : tensor<8x8xf32> init <uniform_fan_in, fan_in = 8> seed 2 trainable
// HPT-LABEL: func.func @lora
// HPT: hpt.get_param @frozen {hpt.device = #hpt.device<host>}
// HPT: hpt.linear {{.*}}{hpt.device = #hpt.device<reram>}
// HPT: hpt.linear {{.*}}{hpt.device = #hpt.device<systolic>}
// HPT: hpt.relu {{.*}}{hpt.device = #hpt.device<systolic>}
// HPT: hpt.reshape {{.*}}{hpt.device = #hpt.device<host>}
func.func @lora(%x: tensor<4x8xf32>) -> tensor<32xf32> attributes {hpt.trainable = [@adapter]} {
  %w = hpt.get_param @frozen : tensor<8x8xf32>
  %y = hpt.linear %x, %w : (tensor<4x8xf32>, tensor<8x8xf32>) -> tensor<4x8xf32>
  %a = hpt.get_param @adapter : tensor<8x8xf32>
  %b = hpt.linear %y, %a : (tensor<4x8xf32>, tensor<8x8xf32>) -> tensor<4x8xf32>
  %r = hpt.relu %b : tensor<4x8xf32>
  %f = hpt.reshape %r : tensor<4x8xf32> -> tensor<32xf32>
  return %f : tensor<32xf32>
}
// FULL-LABEL: func.func @full
// FULL: hpt.get_param @adapter {hpt.device = #hpt.device<gpu>}
// FULL: hpt.linear {{.*}}{hpt.device = #hpt.device<gpu>}
// FULL: hpt.relu {{.*}}{hpt.device = #hpt.device<gpu>}
func.func @full(%x: tensor<4x8xf32>) -> tensor<4x8xf32> attributes {hpt.trainable = [@adapter]} {
  %a = hpt.get_param @adapter : tensor<8x8xf32>
  %b = hpt.linear %x, %a : (tensor<4x8xf32>, tensor<8x8xf32>) -> tensor<4x8xf32>
  %r = hpt.relu %b : tensor<4x8xf32>
  return %r : tensor<4x8xf32>
}

// A trained weight goes to ReRAM only where the user pins its product
// there. It is then written again after every update, so the step carries
// its programming even with steps=0; unpinned, the same product never
// reaches ReRAM (@lora above: the adapter runs on the array).
// RUN: hpt-opt %s -o /dev/null --hpt-partition="function=asked hw=%hpt_src/configs/atleus-like.json policy=cost objective=energy table=%t.asked.txt"
// RUN: FileCheck %s --check-prefix=ASKED < %t.asked.txt
// ASKED: 1     linear           4x8            reram {{.*}} pinned by the user
// ASKED: ReRAM programming {{[0-9.]*[1-9][0-9.e+-]*}} nJ)
// ASKED: ReRAM programming, once: {{.*}} (frozen weights': not charged to the step; trained weights pinned there: every step)
func.func @asked(%x: tensor<4x8xf32>) -> tensor<4x8xf32> attributes {hpt.trainable = [@adapter]} {
  %a = hpt.get_param @adapter : tensor<8x8xf32>
  %b = hpt.linear %x, %a {hpt.device = #hpt.device<reram>} : (tensor<4x8xf32>, tensor<8x8xf32>) -> tensor<4x8xf32>
  %r = hpt.relu %b : tensor<4x8xf32>
  return %r : tensor<4x8xf32>
}

