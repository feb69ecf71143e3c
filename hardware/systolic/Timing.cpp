//===- Timing.cpp - cycles and energy of the systolic array ----------------===//

#include "hardware/systolic/Timing.h"

#include "hardware/systolic/Check.h"

namespace hpt::systolic {
namespace {
uint64_t ceilDiv(uint64_t a, uint64_t b) { return (a + b - 1) / b; }

/// A COMPUTE step's operand reads and result writes by dataflow, and its MACs.
void countCompute(const Instruction &inst, const Instruction &config, Counts &counts) {
  const uint64_t R = config.arrayRows, C = config.arrayCols, T = inst.streamed;
  const uint64_t rows = inst.rows, cols = inst.cols;
  switch (config.dataflow) {
  case Dataflow::OutputStationary:
    counts.sramReads[0] += T * rows;
    counts.sramReads[1] += T * cols;
    // SCALE-Sim counts R + C more ofmap writes per OS fold (its ofmap demand
    // matrix is padded to the full array); we count as it does.
    if (inst.last)
      counts.sramWrites[2] += rows * cols + R + C;
    break;
  case Dataflow::WeightStationary:
    counts.sramReads[0] += T * rows;
    counts.sramWrites[2] += T * cols;
    break;
  case Dataflow::InputStationary:
    counts.sramReads[1] += T * rows;
    counts.sramWrites[2] += T * cols;
    break;
  }
  counts.macs += T * rows * cols;
}
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

void countInstruction(const Instruction &inst, const Instruction &config, Counts &counts) {
  const uint64_t words = uint64_t(inst.rows) * inst.cols;
  counts.cycles += instructionCycles(inst, config);
  switch (inst.opcode) {
  case Opcode::MoveIn: {
    const int b = static_cast<int>(inst.buffer);
    counts.dramReads[b] += words;
    counts.sramWrites[b] += words;
    return;
  }
  case Opcode::MoveOut: {
    const int b = static_cast<int>(Buffer::Ofmap);
    counts.sramReads[b] += words;
    counts.dramWrites[b] += words;
    return;
  }
  case Opcode::Preload:
    counts.sramReads[static_cast<int>(inst.buffer)] += words;
    return;
  case Opcode::Compute:
    return countCompute(inst, config, counts);
  case Opcode::Vector: {
    const int of = static_cast<int>(Buffer::Ofmap);
    const VectorOp op = inst.vectorOp;
    const uint64_t passes = vectorPasses(op);
    counts.sramReads[of] += passes * words + operandTiles(op) * words + blockWords(op, inst.cols);
    counts.sramWrites[of] += (1 + stateTiles(op)) * words + (writesBlock(op) ? 2 * inst.cols : 0);
    counts.vectorElementOps += passes * words;
    return;
  }
  case Opcode::Config:
  case Opcode::Fence:
    return;
  }
}

hw::Expected<Counts> countStream(const Stream &stream, const std::string &source) {
  StreamChecker checker;
  Counts counts;
  Instruction config;
  for (size_t i = 0; i < stream.instructions.size(); ++i) {
    const Instruction &inst = stream.instructions[i];
    if (std::string error = checker.check(inst); !error.empty())
      return hw::fail(source + ": instruction " + std::to_string(i) + " (" + name(inst.opcode) +
                      "): " + error);
    if (inst.opcode == Opcode::Config)
      config = inst;
    else
      countInstruction(inst, config, counts);
  }
  if (std::string error = checker.finish(); !error.empty())
    return hw::fail(source + ": " + error);
  return counts;
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
