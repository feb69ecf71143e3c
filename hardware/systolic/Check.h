//===- Check.h - the rules of the systolic instruction set ------*- C++ -*-===//
//
// One rule per instruction, applied in stream order: the sa dialect's
// verifier and the simulator both call this, so a stream the compiler
// accepts is a stream the simulator runs, and the other way round. Besides
// ranges and fold structure, a stream reads only SRAM words it has written
// since its CONFIG: what a stream computes never depends on what an earlier
// one left in the SRAMs.
//
//===----------------------------------------------------------------------===//

#ifndef HPT_HARDWARE_SYSTOLIC_CHECK_H
#define HPT_HARDWARE_SYSTOLIC_CHECK_H

#include "hardware/systolic/Isa.h"

#include <map>
#include <string>

namespace hpt::systolic {

class StreamChecker {
public:
  /// Empty when `inst` may run after the instructions checked so far,
  /// otherwise what is wrong with it (the caller names the instruction).
  /// Only instructions that pass change the checker's state.
  std::string check(const Instruction &inst);

  /// Empty when the stream may end here.
  std::string finish() const;

private:
  std::string checkConfig(const Instruction &inst) const;
  std::string checkMove(const Instruction &inst, Buffer buffer) const;
  std::string checkPreload(const Instruction &inst) const;
  std::string checkCompute(const Instruction &inst) const;
  std::string checkComputeOperands(const Instruction &inst) const;
  std::string checkVector(const Instruction &inst) const;
  std::string checkReads(const Instruction &inst) const;
  /// Empty when words [at, at + words) of SRAM `b` were all written.
  std::string written(Buffer b, uint64_t at, uint64_t words, const char *what) const;
  void markWritten(Buffer b, uint64_t at, uint64_t words);
  void advance(const Instruction &inst);

  Instruction current;
  bool configured = false;
  bool inFold = false, preloaded = false;
  uint32_t tileRows = 0, tileCols = 0; ///< the preloaded tile, then the open fold
  std::map<uint64_t, uint64_t> writtenWords[3]; ///< per SRAM: disjoint [start, end) ranges
};

/// How many operand tiles of its own shape a vector op reads (Isa.h).
uint64_t operandTiles(VectorOp op);

/// Words of a vector op's block for `cols`-word rows (Isa.h): add_row's
/// bias, layer norm's gamma and beta, its gradient's gamma, dgamma and dbeta
/// (a row each), an optimizer's coefficients; none for the others.
uint64_t blockWords(VectorOp op, uint64_t cols);

/// How many tensors a vector op's block holds, each blockWords / blockPieces
/// words: layer norm's rows (gamma, beta; its gradient's gamma, dgamma,
/// dbeta), else one (a bias, an optimizer's coefficients) or none.
uint64_t blockPieces(VectorOp op);

/// How many of a vector op's last operand tiles it updates in place (the
/// optimizer state: SGD's momentum buffer, Adam's m and v).
uint64_t stateTiles(VectorOp op);

/// Whether a vector op runs on fp32 arrays only (layer norm's gradient and
/// the optimizer steps).
bool needsFp32(VectorOp op);

/// Whether a vector op writes its block (layer norm's gradient sums).
bool writesBlock(VectorOp op);

} // namespace hpt::systolic

#endif // HPT_HARDWARE_SYSTOLIC_CHECK_H
