//===- Crossbar.h - a frozen weight programmed into ReRAM crossbars -*- C++ -*-===//
//
// The functional ReRAM model: a weight W[K×N] quantised, bit-sliced and
// written into crossbar cells (hw::pim::tileWeight's layout), then read as
// bit-serial matrix-vector products, y = x·W or, reading transposed,
// dx = δ·Wᵀ. The numbers:
//
//   * weights: symmetric per tensor, s_w = max|W| / (2^(w−1) − 1), W_q =
//     round(W / s_w). On ± pairs the magnitude of W_q (w − 1 bits) sits in
//     the + or the − crossbar; otherwise W_q + 2^(w−1) (w bits, offset
//     binary) sits in one crossbar and the offset is taken off digitally.
//     A slice holds `cell` bits of it, least significant first.
//   * inputs, and δ for Wᵀ·δ: symmetric per vector (a row of x or δ),
//     s = max|x_m| / (2^(b−1) − 1), offset binary u = round(x / s) + 2^(b−1)
//     in [1, 2^b − 1], streamed `dac` bits per cycle; the offset's share,
//     2^(b−1)·(column sums of W_q), is taken off digitally.
//   * ADC: a column's sum over the block's driven lines S in
//     [0, FS], FS = lines·(2^cell − 1)·(2^dac − 1), is converted with step
//     Δ = 2^max(0, ⌈log2(range·FS + 1)⌉ − adc) to code min(⌊S/Δ + ½⌋, top),
//     top = min(2^adc − 1, ⌈range·FS/Δ⌉): sums above the range clip.
//     `range` (≤ 1) narrows the range below full scale. With adc ≥
//     ⌈log2(FS + 1)⌉ and range 1 the code is S: the product equals the
//     integer one, x_q·W_q, exactly.
//   * shift-and-add across input cycles, slices, ± pairs and row blocks is
//     exact (integers); y = s_x·s_w·(that sum).
//
// Non-idealities, each seeded and switchable (in units of cell levels, the
// conductance range being 2^cell − 1 levels): programming noise (Gaussian,
// σ = programming_noise × range, per cell at programming, clipped to the
// range), stuck-at-off/on cells, read noise (Gaussian per cell and read:
// σ = read_noise × range per unit of drive), conductance drift
// g(t) = g0 (t/t0)^−ν for t > t0; and AIHWKit's PCM preset (g_max 25 µS:
// state-dependent programming noise and drift exponents, docs/pim.md).
//
//===----------------------------------------------------------------------===//

#ifndef HPT_RUNTIME_PIM_CROSSBAR_H
#define HPT_RUNTIME_PIM_CROSSBAR_H

#include "hardware/pim/Reram.h"
#include "hardware/pim/Tiling.h"

#include <cstdint>
#include <string>
#include <vector>

namespace hpt::rt::pim {

/// Which non-idealities a simulation applies.
struct Nonidealities {
  bool programmingNoise = false;
  bool stuckCells = false;
  bool readNoise = false;
  bool drift = false;
  /// AIHWKit's PCM formulas for programming noise and drift instead of the
  /// description's constants.
  bool pcmPreset = false;
  uint64_t seed = 1;
  /// The ADC's range as a fraction of full scale (1: no column clips
  /// unless the ADC has too few bits).
  double adcRange = 1;
  /// Walk the bit-serial path even where one integer GEMM gives its result.
  bool bitSerialOnly = false;

  bool any() const { return programmingNoise || stuckCells || readNoise || drift; }
};

/// What writing a weight into its cells did (NeuroSim V2.1's pulse model,
/// hardware/pim/Tiling.h, on the cells whose level changes).
struct WriteResult {
  int64_t cells = 0;           ///< cells programmed (their level changed)
  int64_t pulses = 0;
  double energy_pJ = 0;
  double latency_ns = 0;       ///< crossbars in parallel, rows one after another
  int64_t beyondEndurance = 0; ///< cells written past the endurance limit
};

class Draws;
} // namespace hpt::rt::pim

namespace hpt::rt {
struct Archive;
} // namespace hpt::rt

namespace hpt::rt::pim {

/// What a simulated read did (for the profiler and the tests).
struct ReadStats {
  int64_t conversions = 0;
  int64_t clipped = 0; ///< conversions whose code hit the ADC's top
};

class ProgrammedWeight {
public:
  /// The crossbars of a rows × cols weight, erased (every cell off; with
  /// stuck cells on, some stuck for good). Throws rt::Error naming `what`
  /// when the weight cannot be tiled.
  ProgrammedWeight(const hw::pim::ReramModel &reram, int64_t rows, int64_t cols,
                   const Nonidealities &settings, const std::string &what);
  /// The same, with W [rows × cols] (row-major) written into it.
  ProgrammedWeight(const hw::pim::ReramModel &reram, const float *w, int64_t rows, int64_t cols,
                   const Nonidealities &settings, const std::string &what);

  /// Quantises W and programs the cells whose level changes, counting each
  /// one's programming events and pulses. A cell past `endurance` events is
  /// counted in the result or, with `refuseBeyond`, refused before anything
  /// is written (rt::Error naming `what`). The drift clock restarts.
  WriteResult write(const float *w, uint64_t endurance, bool refuseBeyond,
                    const std::string &what);

  /// y[m × cols] = x[m × rows]·W, through the crossbars.
  void forward(const float *x, int64_t m, float *y, ReadStats *stats = nullptr) const;
  /// dx[m × rows] = δ[m × cols]·Wᵀ, a transposed read.
  void transposed(const float *delta, int64_t m, float *dx, ReadStats *stats = nullptr) const;

  /// Integer products of quantised inputs (each |u| < 2^(b−1)) through the
  /// crossbars, before scaling: out[m × cols] (or [m × rows] transposed).
  /// The exactness tests compare these with q·W_q.
  void integerProduct(const int32_t *q, int64_t m, bool transposed, double *out,
                      ReadStats *stats = nullptr) const;

  /// The most the ADCs' rounding and clipping can add to one output of an
  /// integer product (integerProduct's units; 0 when no column can round or
  /// clip): per block of driven lines, the worst conversion error times
  /// Σ_cycles 2^(cycle·dac) · Σ_slices 2^(slice·cell) · polarity.
  double adcErrorBound(bool transposed) const;

  /// Seconds since programming, for drift (the runtime advances it).
  void setElapsed(double seconds) { elapsed = seconds; }
  double elapsedSeconds() const { return elapsed; }

  /// The programmed state (cells, counters, the drift clock and the noise
  /// streams), as tensors named `prefix`.* and meta[`prefix`].
  void save(Archive &archive, const std::string &prefix) const;
  /// Restores what save() wrote; throws rt::Error naming `origin` when the
  /// archive does not hold this weight's state.
  void restore(const Archive &archive, const std::string &prefix, const std::string &origin);

  const hw::pim::WeightTiling &tiling() const { return tiles; }
  const std::vector<int32_t> &quantised() const { return wq; } ///< W_q, row-major
  float weightScale() const { return scaleW; }
  /// A cell's level as programmed (noise and stuck cells included), by
  /// slice, polarity (0: +), row, column.
  double programmedLevel(int64_t slice, int64_t polarity, int64_t row, int64_t col) const;
  /// A cell's drift exponent (the PCM preset draws one per cell).
  double driftExponent(int64_t slice, int64_t polarity, int64_t row, int64_t col) const {
    return driftNu.empty() ? reram.driftExponent.value
                           : driftNu[cellIndex(slice, polarity, row, col)];
  }
  /// Programming events and pulses of each cell over the whole run, in the
  /// order of programmedLevel's cells.
  const std::vector<uint32_t> &cellEvents() const { return events; }
  const std::vector<uint64_t> &cellPulseCounts() const { return cellPulses; }
  /// Pulses the programming took, over all cells, and its energy (pJ).
  int64_t pulses() const { return writePulses; }
  double writeEnergy_pJ() const { return writeEnergy; }
  /// Whether the fast path (one integer GEMM) gives the bit-serial result.
  bool exact() const { return isExact; }

private:
  size_t cellIndex(int64_t slice, int64_t polarity, int64_t row, int64_t col) const;
  double programmedValue(size_t cell, int64_t level, double range, Draws &draws);
  /// Quantises rows of `x`, reads them through the crossbars, scales back.
  void read(const float *x, int64_t m, bool transposed, float *y, ReadStats *stats) const;
  struct AdcScale {
    double step = 1;    ///< Δ, a power of two
    double topCode = 0; ///< codes above clip
  };
  AdcScale adcScale(int64_t lines) const;
  void bitSerial(const int32_t *q, int64_t m, bool transposed, double *out,
                 ReadStats *stats) const;
  /// The fixed point a block's levels are summed in: levels in units of
  /// 2^-k, k the most that keeps a full-scale sum below 2^24 (0 for whole
  /// levels), or -1 where that leaves fewer than kMinLevelFractionBits bits
  /// (the sums are then taken in double).
  int64_t levelFractionBits(double fullScale) const;
  static constexpr int64_t kMinLevelFractionBits = 8;
  const std::vector<float> &blockCells(bool transposed, int64_t start, int64_t lines,
                                       int64_t fraction) const;
  void integerGemm(const int32_t *q, int64_t m, bool transposed, double *out) const;
  double driftFactor(size_t cell) const;

  hw::pim::ReramModel reram;
  hw::pim::CrossbarGeometry geometry;
  hw::pim::WeightTiling tiles;
  Nonidealities noise;
  int64_t rows = 0, cols = 0;
  std::vector<int32_t> wq;         ///< W_q
  std::vector<int64_t> colSums;    ///< Σ_k W_q[k][n]
  std::vector<int64_t> rowSums;    ///< Σ_n W_q[k][n]
  std::vector<float> levels;       ///< programmed level per cell (slice, polarity, row, col)
  std::vector<uint8_t> targets;    ///< the level each cell was written to
  std::vector<uint8_t> stuck;      ///< kStuckOff, kStuckOn or 0
  std::vector<uint32_t> events;    ///< programming events per cell
  std::vector<uint64_t> cellPulses; ///< pulses per cell
  static constexpr uint8_t kStuckOff = 1, kStuckOn = 2;
  std::vector<float> driftNu;      ///< per cell (PCM preset), else empty
  float scaleW = 1;
  double elapsed = 0;
  mutable uint64_t readState = 0; ///< the read-noise stream
  /// Per block, the cells a read multiplies (kept while nothing drifts).
  mutable std::vector<std::vector<float>> forwardBlocks, transposedBlocks;
  uint64_t writeState = 0;        ///< the programming-noise stream
  int64_t writePulses = 0;
  double writeEnergy = 0;
  bool isExact = false;
};

} // namespace hpt::rt::pim

#endif // HPT_RUNTIME_PIM_CROSSBAR_H
