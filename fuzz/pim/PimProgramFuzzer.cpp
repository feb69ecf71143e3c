//===- PimProgramFuzzer.cpp - hpt-sim-pim's pim program text --------------===//
//
// A program that reads is written back (it must read back to the same
// text) and costed on a small chip, as hpt-sim-pim -p does.
//
//===----------------------------------------------------------------------===//

#include "hardware/pim/Program.h"
#include "hardware/pim/Tiling.h"

#include <cstdint>
#include <cstdlib>
#include <string>

using namespace hpt::hw;
using namespace hpt::hw::pim;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const std::string text(reinterpret_cast<const char *>(data), size);
  Expected<PimProgram> program = parsePimProgram(text, "fuzz.txt");
  if (!program)
    return 0;
  const std::string written = toText(*program);
  Expected<PimProgram> again = parsePimProgram(written, "written");
  if (!again || toText(*again) != written)
    std::abort(); // what toText writes must read back
  CrossbarGeometry g;
  g.rows = g.cols = 64;
  g.cellBits = 2;
  g.weightBits = g.inputBits = 8;
  g.dacBits = 1;
  g.adcBits = 8;
  g.dacsPerCrossbar = 64;
  g.adcsPerCrossbar = 8;
  g.groups = 1;
  g.pesPerTile = 4;
  for (const ProgramWeight &w : program->weights)
    (void)tileWeight(g, w.rows, w.cols, w.name);
  return 0;
}
