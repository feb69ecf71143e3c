//===- Check.h - the rules of the systolic instruction set ------*- C++ -*-===//
//
// One rule per instruction, applied in stream order: the sa dialect's
// verifier and the simulator both call this, so a stream the compiler
// accepts is a stream the simulator runs, and the other way round.
//
//===----------------------------------------------------------------------===//

#ifndef HPT_HARDWARE_SYSTOLIC_CHECK_H
#define HPT_HARDWARE_SYSTOLIC_CHECK_H

#include "hardware/systolic/Isa.h"

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
  void advance(const Instruction &inst);

  Instruction current;
  bool configured = false;
  bool inFold = false, preloaded = false;
  uint32_t tileRows = 0, tileCols = 0; ///< the preloaded tile, then the open fold
};

/// Whether a vector op reads a second tile of its own shape (add, the
/// gradients).
bool isBinary(VectorOp op);

/// Words of a vector op's second operand in the ofmap SRAM: a binary op's
/// tile, add_row's row, layer norm's gamma and beta (a row each); none for
/// the others.
uint64_t secondOperandWords(const Instruction &inst);

} // namespace hpt::systolic

#endif // HPT_HARDWARE_SYSTOLIC_CHECK_H
