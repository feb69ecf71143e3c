//===- Timing.h - cycles and energy of the systolic array -------*- C++ -*-===//
//
// The systolic array's cost model, used by the simulator as it runs a stream
// and by the compiler (partitioner, reports) without running one, so the two
// cannot disagree. Timing is per instruction with CALC interface bandwidth:
// the double-buffered SRAMs hide every DRAM move, so MOVEIN and MOVEOUT take
// no array cycles:
//   PRELOAD             R cycles (the stationary tile shifts through R rows)
//   COMPUTE, first      + R - 1  (skew: row r's operands enter r cycles late)
//   COMPUTE             + streamed
//   COMPUTE, last       + C - 1  (the last column's results drain)
//   VECTOR              passes x rows x ceil(cols / C) (one lane per column;
//                       softmax and layer norm read a row three times,
//                       softmax's gradient twice)
// A stream's total is the index of its last cycle (sum - 1), as SCALE-Sim v2
// reports it. DRAM stalls are not modelled.
//
//===----------------------------------------------------------------------===//

#ifndef HPT_HARDWARE_SYSTOLIC_TIMING_H
#define HPT_HARDWARE_SYSTOLIC_TIMING_H

#include "hardware/Expected.h"
#include "hardware/systolic/Planner.h"

#include <cstdint>

namespace hpt::systolic {

/// Cycles `inst` adds on the array `config` describes.
uint64_t instructionCycles(const Instruction &inst, const Instruction &config);

/// Passes of the vector unit over a tile.
uint64_t vectorPasses(VectorOp op);

/// SCALE-Sim's closed form of a GEMM: F folds of L cycles each, with
/// (operand view in Isa.h) F = batch·ceil(S_r/R)·ceil(S_c/C) and
/// L = T + R + C - 2 (OS) or T + 2R + C - 2 (WS, IS, with the PRELOAD);
/// total = F·L - 1, plus M·ceil(N/C) for a bias (one vector pass).
struct GemmCycles {
  uint64_t folds = 0, foldCycles = 0, total = 0;
};
GemmCycles gemmCycles(const GemmShape &gemm, const Machine &machine);

/// Cycles of planVector's stream (its VECTOR instructions), before the -1.
uint64_t vectorCycles(const VectorShape &vector, const Machine &machine);

/// What a stream did, counted by the simulator.
struct Counts {
  uint64_t cycles = 0; ///< sum of instructionCycles (total cycles + 1)
  uint64_t macs = 0;
  uint64_t vectorElementOps = 0; ///< element visits of the vector unit (per pass)
  uint64_t sramReads[3] = {0, 0, 0}, sramWrites[3] = {0, 0, 0};
  uint64_t dramReads[3] = {0, 0, 0}, dramWrites[3] = {0, 0, 0}; ///< elements
};

/// Adds what `inst` does on the array `config` (its CONFIG) describes:
/// cycles, MACs, vector element visits, SRAM and DRAM accesses, as
/// SCALE-Sim counts them. The simulator counts every instruction it runs
/// with this, and countStream every instruction of a stream it does not
/// run, so the compiler's costs and the simulator's are one count.
void countInstruction(const Instruction &inst, const Instruction &config, Counts &counts);

/// What `stream` does, counted without running it; the checker's error,
/// naming `source` and the instruction, for a stream the array would refuse.
/// `cycles` is the sum over instructions (the total cycle index + 1).
hw::Expected<Counts> countStream(const Stream &stream, const std::string &source);

/// The energy constants of one array (the description's systolic section).
struct EnergyCosts {
  double macPj = 0;          ///< per MAC
  double sramAccessPj = 0;   ///< per SRAM element access
  double dramPjPerByte = 0;  ///< per DRAM byte moved
  double vectorOpPj = 0;     ///< per element visit of the vector unit
};

/// Dynamic energy by component, pJ (modelled).
struct Energy {
  double mac = 0, sram = 0, dram = 0, vector = 0;
  double total() const { return mac + sram + dram + vector; }
};
Energy energyOf(const Counts &counts, ElementType element, const EnergyCosts &costs);

/// Bytes of one element in DRAM.
inline uint64_t elementBytes(ElementType element) {
  return element == ElementType::F32 ? 4 : 1;
}

} // namespace hpt::systolic

#endif // HPT_HARDWARE_SYSTOLIC_TIMING_H
