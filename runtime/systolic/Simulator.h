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
#include "hardware/systolic/Planner.h"
#include "hardware/systolic/Timing.h"
#include "runtime/core/Limits.h"
#include "runtime/host/Gemm.h"

#include <optional>
#include <string>
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

/// DRAM and SRAM words are 32 bits: an fp32 value on an fp32 machine, the
/// bit pattern of an int32 on an int8 machine (whose operands are int8
/// values and whose sums are int32).
float encodeWord(ElementType e, double value);
double decodeWord(ElementType e, float word);
std::vector<float> encodeWords(ElementType e, const std::vector<double> &values);
std::vector<double> decodeWords(ElementType e, const std::vector<float> &words);

/// A tensor mapped into a DRAM region (functional mode): the stream reads
/// and writes it where it lives instead of in a copy. A transposed mapping
/// shows each of its batch elements, a row-major `cols` x `rows` matrix at
/// `data`, as the `rows` x `cols` matrix the stream addresses; it is read
/// only. A write into a read-only mapping is an error naming `name`.
struct DramMapping {
  uint64_t offset = 0, words = 0; ///< where in the region, how many words
  float *data = nullptr;
  bool writable = false;
  bool transposed = false;
  uint64_t rows = 0, cols = 0; ///< transposed: one batch element as the stream sees it
  std::string name;
};

class Simulator {
public:
  /// A functional CONFIG whose SRAMs, DRAM regions and accumulators would
  /// need more than `limit` is refused before they are allocated.
  explicit Simulator(bool functional, rt::MemoryLimit limit = {})
      : functional(functional), limit(std::move(limit)) {}

  /// Functional mode: the DRAM words of a region (row-major tensors,
  /// encoded as encodeWord says for the CONFIG's element type).
  void setDram(Buffer b, std::vector<float> words) {
    dram[static_cast<int>(b)] = std::move(words);
    ownsDram[static_cast<int>(b)] = false;
  }
  const std::vector<float> &dramData(Buffer b) const { return dram[static_cast<int>(b)]; }
  /// Maps tensors into a region for the next run; words outside them come
  /// from the region's own storage (setDram, or zeros).
  void mapDram(Buffer b, std::vector<DramMapping> tensors) {
    mappings[static_cast<int>(b)] = std::move(tensors);
  }

  /// Runs `stream`; errors name `source` and the instruction index. One
  /// simulator may run many streams: its SRAMs keep their contents.
  Report run(const Stream &stream, const std::string &source = "stream");

  /// Functional mode, for a stream known to be `plan` (the bundle reader
  /// checked it) on an fp32 machine: computes the plan's results on the
  /// mapped tensors directly, the same chains in the same order with the
  /// same rounding as run() (so the same bits), and returns `counted`, the
  /// stream's report from a timing-only run. Streams whose tensors are not
  /// mapped whole, and int8 machines, go through run(). The SRAMs are left
  /// as they were: a valid stream reads only what it wrote.
  Report runPlanned(const Stream &stream, const PlanSpec &plan, const Report &counted,
                    const std::string &source);

private:
  /// Mappings point into the caller's tensors: they last one run.
  struct Unmap {
    std::vector<DramMapping> (&mappings)[3];
    bool keep = false;
    ~Unmap() {
      if (!keep)
        for (auto &m : mappings)
          m.clear();
    }
  };

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
  /// Where a vector op's words are: its tile (overwritten), its operand
  /// tiles (an optimizer's state updated in place) and its block's rows
  /// (an optimizer's coefficients in the first).
  struct VectorData {
    float *tile;
    float *operand[3];
    float *block[3];
  };
  void runVector(const Instruction &inst, const VectorData &d);
  void vectorRows(const Instruction &inst, const VectorData &d);
  void optimizerStep(const Instruction &inst, const VectorData &d);
  /// Mean and biased variance of `n` words, in double.
  void rowMoments(const float *row, uint64_t n, double &mean, double &variance) const;
  void checkMappings(const Instruction &inst) const;
  bool gemmPlanned(const GemmShape &gemm);
  bool vectorPlanned(const VectorShape &vector);
  /// The one mapping of region `b` that holds [offset, offset + words), or null.
  const DramMapping *mappingAt(int b, uint64_t offset, uint64_t words) const;
  /// Its words there when not transposed (and writable, if asked), or null.
  float *mappedAt(int b, uint64_t offset, uint64_t words, bool write) const;
  /// Whether region `b` needs storage of its own under `config`: words no
  /// mapping holds and no setDram.
  bool needsStorage(int b, const Instruction &config) const;
  /// The mapping holding word `address` of region `b`, or null for the
  /// region's own storage; `run`: how many words from `address` on lie in
  /// that same place.
  const DramMapping *placeOf(int b, uint64_t address, uint64_t &run);
  /// The mapping that holds all of a MOVEIN's or MOVEOUT's tile, or null.
  const DramMapping *tileMapping(int b, const Instruction &inst);
  /// `count` words of region `b` from `address` into `to`.
  void readDram(int b, uint64_t address, uint64_t count, float *to);
  /// `count` words from `from` to region `b` at `address`, or added to it.
  void writeDram(int b, uint64_t address, uint64_t count, const float *from, bool accumulate);

  bool functional;
  rt::MemoryLimit limit;
  StreamChecker checker;
  Instruction config;
  std::vector<float> dram[3], sram[3]; ///< words (encodeWord)
  std::vector<DramMapping> mappings[3];
  bool ownsDram[3] = {false, false, false}; ///< dram[b] is the simulator's, not setDram's
  /// What ifmap and filter SRAM ranges hold: the DRAM tile of their last
  /// MOVEIN. A stream never writes those DRAM regions, so a MOVEIN of the
  /// same tile to the same place finds it there (WS re-reads each ifmap
  /// tile once per column fold) and is counted without copying it again.
  struct ResidentTile {
    uint64_t sramAddress, dramAddress, stride;
    uint32_t rows, cols;
  };
  std::vector<ResidentTile> resident[2];
  bool isResident(const Instruction &inst);
  std::vector<float> stationary;       ///< WS/IS: the preloaded tile
  std::vector<float> filterRows;       ///< the planned path's transposed filter, row-major
  rt::PackedPanels panels;             ///< the planned path's filter, packed
  std::vector<float> accumulators;     ///< OS: the PEs' partial sums
  FoldStats fold;
  Report report;
  /// The running instruction, for errors: where() names it.
  struct Running {
    const std::string *source = nullptr;
    size_t index = 0;
    Opcode opcode = Opcode::Config;
  } running;
  std::string where() const;
};

} // namespace hpt::systolic

#endif // HPT_RUNTIME_SYSTOLIC_SIMULATOR_H
