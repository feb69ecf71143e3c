//===- Program.h - a compiled pim program as text ----------------*- C++ -*-===//
//
// What a module's pim ops do on the ReRAM device, one line each, as
// `hpt-translate --pim-to-program` writes it and `hpt-sim-pim -p` runs it:
//
//   # comments and blank lines are skipped
//   crossbars NAME weight ROWS x COLS   a stored matrix (pim.crossbars)
//   program NAME                        write it into its cells (pim.program)
//   read NAME forward VECTORS [kernel K]    VECTORS products x·S (pim.mvm)
//   read NAME transposed VECTORS [kernel K] VECTORS products δ·Sᵀ
//
// The tiling and costs come from a hardware description's ReRAM section
// (hpt's own model, Tiling.h), so a program can be rerun on another chip.
//
//===----------------------------------------------------------------------===//

#ifndef HPT_HARDWARE_PIM_PROGRAM_H
#define HPT_HARDWARE_PIM_PROGRAM_H

#include "hardware/Expected.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace hpt::hw::pim {

struct ProgramWeight {
  std::string name;
  int64_t rows = 0, cols = 0;
};

struct ProgramStep {
  enum class Kind { Program, Read } kind = Kind::Read;
  size_t weight = 0; ///< index into the weights
  bool transposed = false;
  int64_t vectors = 0;
  std::string kernel; ///< the pim.kernel it came from, if named
  size_t line = 0;
};

struct PimProgram {
  std::vector<ProgramWeight> weights;
  std::vector<ProgramStep> steps;
};

/// Reads a program; errors name `source` and the line.
Expected<PimProgram> parsePimProgram(std::string_view text, const std::string &source);

/// The text of a program (parsePimProgram reads it back to an equal one).
std::string toText(const PimProgram &program);

} // namespace hpt::hw::pim

#endif // HPT_HARDWARE_PIM_PROGRAM_H
