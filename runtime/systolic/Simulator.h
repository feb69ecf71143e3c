//===- Simulator.h - systolic-array simulator -------------------*- C++ -*-===//
//
// Executes a Stream instruction by instruction. Cycles come from the
// instructions (CALC interface bandwidth: the double-buffered SRAMs hide every
// DRAM move, so MOVEIN/MOVEOUT take no array cycles):
//   PRELOAD             R cycles (the stationary tile shifts through R rows)
//   COMPUTE, first      + R - 1  (skew: row r's operands enter r cycles late)
//   COMPUTE             + streamed
//   COMPUTE, last       + C - 1  (the last column's results drain)
// so a fold takes T + R + C - 2 (OS) or T + 2R + C - 2 (WS, IS) cycles, and
// the reported total is the index of the last cycle (sum - 1), as SCALE-Sim
// v2 reports it. Functional mode also moves and multiplies the data; both
// modes count identical cycles and accesses.
//
//===----------------------------------------------------------------------===//

#ifndef HPT_RUNTIME_SYSTOLIC_SIMULATOR_H
#define HPT_RUNTIME_SYSTOLIC_SIMULATOR_H

#include "runtime/core/Limits.h"
#include "runtime/systolic/Config.h"
#include "runtime/systolic/Isa.h"

#include <optional>
#include <vector>

namespace hpt::systolic {

struct FoldStats {
  uint32_t rows = 0, cols = 0; ///< used array rows and columns
  uint64_t streamed = 0;       ///< T
  double mappingEfficiency = 0, computeUtilization = 0; ///< fractions
};

struct Report {
  uint64_t totalCycles = 0; ///< SCALE-Sim's "Total Cycles": index of the last cycle
  uint64_t stallCycles = 0; ///< always 0: CALC bandwidth only
  uint64_t macs = 0;
  uint64_t vectorElementOps = 0; ///< element visits of the vector unit (per pass)
  uint64_t sramReads[3] = {0, 0, 0}, sramWrites[3] = {0, 0, 0};
  uint64_t dramReads[3] = {0, 0, 0}, dramWrites[3] = {0, 0, 0};
  std::vector<FoldStats> folds;
  uint32_t arrayRows = 0, arrayCols = 0;
  ElementType element = ElementType::F32;

  /// Percentages as SCALE-Sim's COMPUTE_REPORT prints them.
  double overallUtilizationPct() const;
  double mappingEfficiencyPct() const;
  double computeUtilizationPct() const;
  /// pJ: MACs·e_mac + SRAM accesses·e_sram + DRAM bytes·e_dram.
  double energyPj(const HardwareConfig &hw) const;
};

class Simulator {
public:
  /// A functional CONFIG whose SRAMs, DRAM regions and accumulators would
  /// need more than `limit` is refused before they are allocated.
  explicit Simulator(bool functional, rt::MemoryLimit limit = {})
      : functional(functional), limit(std::move(limit)) {}

  /// Functional mode: the DRAM contents of a region (row-major tensors;
  /// values are stored as double, computed in the CONFIG's element type).
  void setDram(Buffer b, std::vector<double> data) { dram[static_cast<int>(b)] = std::move(data); }
  const std::vector<double> &dramData(Buffer b) const { return dram[static_cast<int>(b)]; }

  /// Runs `stream`; errors name `source` and the instruction index.
  Report run(const Stream &stream, const std::string &source = "stream");

private:
  void execute(const Instruction &inst);
  void checkFunctionalMemory(const Instruction &inst) const;
  void checkRange(uint64_t address, std::optional<uint64_t> words, uint64_t capacity,
                  const char *what) const;
  void moveIn(const Instruction &inst);
  void moveOut(const Instruction &inst);
  void preload(const Instruction &inst);
  void compute(const Instruction &inst);
  template <typename Acc> void computeData(const Instruction &inst);
  void vector(const Instruction &inst);
  void vectorData(const Instruction &inst);

  bool functional;
  rt::MemoryLimit limit;
  bool configured = false;
  Instruction config;
  std::vector<double> dram[3], sram[3];
  std::vector<double> stationary;  ///< WS/IS: the preloaded tile
  std::vector<double> accumulators; ///< OS: the PEs' partial sums
  uint32_t stationaryRows = 0, stationaryCols = 0;
  bool preloaded = false, inFold = false;
  FoldStats fold;
  uint64_t cycles = 0;
  Report report;
  std::string where; ///< "source: instruction i" of the running instruction
};

} // namespace hpt::systolic

#endif // HPT_RUNTIME_SYSTOLIC_SIMULATOR_H
