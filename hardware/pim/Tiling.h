//===- Tiling.h - frozen weights in crossbars, hpt's ReRAM model --*- C++ -*-===//
//
// hpt's own ReRAM model (preset `hpt`), next to MNSIM's (`mnsim`, Mnsim.h):
// a frozen weight W[K×N] of y = x·W is cut into crossbar blocks with
// physical bit slicing (its magnitude bits over the cell's bits, which
// MNSIM's counts ignore), on ± pairs or with offset-binary weights, and the
// blocks go to PEs, tiles and chips in order. Reads are bit-serial matrix-
// vector products through DACs, the crossbar and shared ADCs; Wᵀ·δ is a
// transposed read (δ drives the columns, rows are converted), hpt's model
// after NeuroSim V2.1's training read, with the same periphery on both
// sides. Writes follow NeuroSim V2.1's pulse model. The compiler's tiling
// pass, the partitioner's cost model and the runtime's device all call these
// functions, so their figures cannot disagree.
//
//===----------------------------------------------------------------------===//

#ifndef HPT_HARDWARE_PIM_TILING_H
#define HPT_HARDWARE_PIM_TILING_H

#include "hardware/Expected.h"
#include "hardware/pim/Reram.h"

#include <cstdint>
#include <string>

namespace hpt::hw::pim {

/// The integer parameters of a chip that the tiling and the functional
/// model use, checked once.
struct CrossbarGeometry {
  int64_t rows = 0, cols = 0;     ///< cells per crossbar
  int64_t cellBits = 0;           ///< bits per cell
  int64_t weightBits = 0;         ///< quantised weight, sign included
  int64_t inputBits = 0;          ///< quantised input or error, sign included
  int64_t dacBits = 0, adcBits = 0;
  int64_t dacsPerCrossbar = 0, adcsPerCrossbar = 0;
  bool differential = true;       ///< ± crossbar pairs; else offset-binary weights
  int64_t groups = 1;             ///< slices side by side in a PE
  int64_t pesPerTile = 0;
  int64_t tilesPerChip = 0, chips = 0;

  /// Weight bits a slice stack holds: the magnitude on ± pairs, all the
  /// offset-binary bits otherwise.
  int64_t storedBits() const { return differential ? weightBits - 1 : weightBits; }
  /// Slices of one weight (whole cells).
  int64_t slices() const { return (storedBits() + cellBits - 1) / cellBits; }
  /// Crossbars per slice: 2 on ± pairs.
  int64_t polarity() const { return differential ? 2 : 1; }
  /// Input cycles of one read: the input's bits through the DAC.
  int64_t inputCycles() const { return (inputBits + dacBits - 1) / dacBits; }
  /// The ADC bits at which no column of `rows` active rows can clip:
  /// ⌈log2(rows·(2^cell−1)·(2^dac−1) + 1)⌉.
  int64_t losslessAdcBits(int64_t activeRows) const;
};

/// The geometry of a description's ReRAM section.
CrossbarGeometry geometryOf(const ReramModel &reram);

/// One frozen weight W[K×N] in crossbars.
struct WeightTiling {
  int64_t rows = 0, cols = 0;             ///< K (inputs), N (outputs)
  int64_t rowBlocks = 0, colBlocks = 0;   ///< ⌈K/R⌉, ⌈N/C⌉
  int64_t slices = 0, polarity = 0;
  int64_t crossbars = 0;                  ///< used: blocks · slices · polarity
  int64_t pes = 0;                        ///< blocks · ⌈slices/groups⌉
  int64_t tiles = 0;                      ///< ⌈PEs / PEs per tile⌉ (a weight starts a tile)
  int64_t cells = 0;                      ///< programmed: K·N·slices·polarity
  /// Programmed cells over the cells of the crossbars its PEs hold.
  double utilisation = 0;
};

/// The tiling of W[rows×cols]; refused (naming `what`) when a weight cannot
/// be held: no cell, no magnitude bit.
Expected<WeightTiling> tileWeight(const CrossbarGeometry &g, int64_t rows, int64_t cols,
                                  const std::string &what);

/// Time and energy of work on the ReRAM device, by component.
struct ReramCost {
  double latency_ns = 0;
  double energy_pJ = 0;
  // Energy by component (pJ) and the counts behind them.
  double adcEnergy_pJ = 0, dacEnergy_pJ = 0, cellEnergy_pJ = 0, digitalEnergy_pJ = 0;
  double bufferEnergy_pJ = 0; ///< the vectors' bytes through the buffers
  int64_t conversions = 0;   ///< ADC samples
  int64_t dacDrives = 0;     ///< DAC activations
  int64_t cellReads = 0;     ///< cell-cycles of reading
};

/// `vectors` matrix-vector products through a tiled weight: y = x·W
/// (forward) or dx = δ·Wᵀ (transposed read). Every crossbar of the weight
/// works on a vector at once; vectors follow one another, each also paying
/// its input and output bytes through the tile's buffers.
ReramCost readCost(const ReramModel &reram, const WeightTiling &tiling, int64_t vectors,
                   bool transposed);

/// Programming cells of a weight from the erased (off) state, NeuroSim
/// V2.1's write model: a cell moving from conductance level a to b takes
/// ⌈|G_b − G_a| / ΔG⌉ pulses with ΔG = (G_on − G_off)/write_levels, each
/// costing V_w²·t_pulse·G_mean; rows are written one after another, the
/// cells of a row in parallel (a row takes its slowest cell's pulses).
struct WriteCost {
  int64_t pulses = 0;
  double latency_ns = 0;
  double energy_pJ = 0;
};

/// Pulses to move one cell between two stored levels (0 .. 2^cell − 1).
int64_t writePulses(const ReramModel &reram, int64_t fromLevel, int64_t toLevel);
/// Energy of those pulses (pJ).
double writeEnergy_pJ(const ReramModel &reram, int64_t fromLevel, int64_t toLevel);
/// The cost model's estimate for programming a tiled weight whose levels are
/// spread evenly (the device counts the real pulses): every row's slowest
/// cell goes to the top level, cells on average to the middle.
WriteCost writeCostEstimate(const ReramModel &reram, const WeightTiling &tiling);

} // namespace hpt::hw::pim

#endif // HPT_HARDWARE_PIM_TILING_H
