//===- Simulator.h - systolic-array simulator -------------------*- C++ -*-===//
//
// Executes a Stream instruction by instruction. Each instruction is checked
// by the instruction set's one rule (hardware/systolic/Check.h) and charged
// by its timing (hardware/systolic/Timing.h: fixed cycles per instruction,
// CALC bandwidth, no DRAM stalls), so the totals equal SCALE-Sim v2's in
// CALC mode. Functional mode also moves and multiplies the data; both modes
// count identical cycles and accesses.
//
//===----------------------------------------------------------------------===//

#ifndef HPT_RUNTIME_SYSTOLIC_SIMULATOR_H
#define HPT_RUNTIME_SYSTOLIC_SIMULATOR_H

#include "hardware/systolic/Check.h"
#include "hardware/systolic/Isa.h"
#include "hardware/systolic/Timing.h"
#include "runtime/core/Limits.h"

#include <optional>
#include <vector>

namespace hpt::systolic {

struct FoldStats {
  uint32_t rows = 0, cols = 0; ///< used array rows and columns
  uint64_t streamed = 0;       ///< T
  double mappingEfficiency = 0, computeUtilization = 0; ///< fractions
};

struct Report : Counts {
  uint64_t totalCycles = 0; ///< SCALE-Sim's "Total Cycles": index of the last cycle
  uint64_t stallCycles = 0; ///< always 0: CALC bandwidth only
  std::vector<FoldStats> folds;
  uint32_t arrayRows = 0, arrayCols = 0;
  ElementType element = ElementType::F32;

  /// Percentages as SCALE-Sim's COMPUTE_REPORT prints them.
  double overallUtilizationPct() const;
  double mappingEfficiencyPct() const;
  double computeUtilizationPct() const;
  /// Dynamic energy by component (Timing.h's energyOf), pJ.
  Energy energy(const EnergyCosts &costs) const { return energyOf(*this, element, costs); }
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
  /// Hands a region's storage back (to be filled and set again).
  std::vector<double> takeDram(Buffer b) { return std::move(dram[static_cast<int>(b)]); }

  /// Runs `stream`; errors name `source` and the instruction index. One
  /// simulator may run many streams: its SRAMs keep their contents.
  Report run(const Stream &stream, const std::string &source = "stream");

private:
  void execute(const Instruction &inst);
  void configure(const Instruction &inst);
  void checkFunctionalMemory(const Instruction &inst) const;
  void moveIn(const Instruction &inst);
  void moveOut(const Instruction &inst);
  void preload(const Instruction &inst);
  void compute(const Instruction &inst);
  void computeFloat(const Instruction &inst);
  void computeInt8(const Instruction &inst);
  void vector(const Instruction &inst);
  void vectorData(const Instruction &inst);

  bool functional;
  rt::MemoryLimit limit;
  StreamChecker checker;
  Instruction config;
  std::vector<double> dram[3], sram[3];
  std::vector<double> stationary;  ///< WS/IS: the preloaded tile
  std::vector<float> stationaryFloat, tileA, tileB; ///< fp32 views, reused
  std::vector<double> partial;                       ///< OS: the PEs' sums of a chunk
  std::vector<double> accumulators; ///< OS: the PEs' partial sums
  FoldStats fold;
  Report report;
  std::string where; ///< "source: instruction i" of the running instruction
};

} // namespace hpt::systolic

#endif // HPT_RUNTIME_SYSTOLIC_SIMULATOR_H
