//===- Timing.cpp - cycles and energy of the systolic array ----------------===//

#include "hardware/systolic/Timing.h"

namespace hpt::systolic {
namespace {
uint64_t ceilDiv(uint64_t a, uint64_t b) { return (a + b - 1) / b; }
} // namespace

uint64_t vectorPasses(VectorOp op) {
  switch (op) {
  case VectorOp::Softmax:   // max, sum of exponentials, normalise
  case VectorOp::LayerNorm: // mean, variance, normalise
    return 3;
  case VectorOp::LayerNormGrad: // mean, variance, Σ dx̂ and Σ dx̂·x̂, then dx
    return 4;
  case VectorOp::SoftmaxGrad: // Σ dy·y, then y·(dy − Σ)
  case VectorOp::Adam:        // the moments, then the step
    return 2;
  default:
    return 1;
  }
}

uint64_t instructionCycles(const Instruction &inst, const Instruction &config) {
  const uint64_t R = config.arrayRows, C = config.arrayCols;
  switch (inst.opcode) {
  case Opcode::Preload:
    return R;
  case Opcode::Compute:
    return (inst.first ? R - 1 : 0) + inst.streamed + (inst.last ? C - 1 : 0);
  case Opcode::Vector:
    return vectorPasses(inst.vectorOp) * inst.rows * ceilDiv(inst.cols, C);
  default:
    return 0;
  }
}

GemmCycles gemmCycles(const GemmShape &gemm, const Machine &machine) {
  const uint64_t R = machine.arrayRows, C = machine.arrayCols;
  const bool os = machine.dataflow == Dataflow::OutputStationary;
  const uint64_t Sr = os ? gemm.M : gemm.K;
  const uint64_t Sc = machine.dataflow == Dataflow::InputStationary ? gemm.M : gemm.N;
  const uint64_t T = os ? gemm.K : machine.dataflow == Dataflow::WeightStationary ? gemm.M
                                                                                  : gemm.N;
  GemmCycles cycles;
  cycles.folds = (gemm.batch ? gemm.batch : 1) * ceilDiv(Sr, R) * ceilDiv(Sc, C);
  cycles.foldCycles = T + R + C - 2 + (os ? 0 : R);
  cycles.total = cycles.folds * cycles.foldCycles - 1;
  if (gemm.bias) // one pass of the vector unit over the M x N result
    cycles.total += gemm.M * ceilDiv(gemm.N, C);
  return cycles;
}

uint64_t vectorCycles(const VectorShape &vector, const Machine &machine) {
  return vectorPasses(vector.op) * vector.rows * ceilDiv(vector.cols, machine.arrayCols);
}

Energy energyOf(const Counts &counts, ElementType element, const EnergyCosts &costs) {
  uint64_t sram = 0, dram = 0;
  for (int b = 0; b < 3; ++b) {
    sram += counts.sramReads[b] + counts.sramWrites[b];
    dram += counts.dramReads[b] + counts.dramWrites[b];
  }
  Energy energy;
  energy.mac = counts.macs * costs.macPj;
  energy.sram = sram * costs.sramAccessPj;
  energy.dram = dram * elementBytes(element) * costs.dramPjPerByte;
  energy.vector = counts.vectorElementOps * costs.vectorOpPj;
  return energy;
}

} // namespace hpt::systolic
