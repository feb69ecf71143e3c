//===- Mnsim.h - MNSIM 2.0's ReRAM chip model, reproduced -------*- C++ -*-===//
//
// MNSIM 2.0 (Tsinghua, thu-nics/MNSIM-2.0 at ca39ccb) estimates the latency,
// energy and area of a CNN inference on a ReRAM processing-in-memory chip
// from its SimConfig.ini. This is that model written out as hpt's `mnsim`
// preset, quirks included (docs/pim.md lists them), so that a figure hpt
// prints for an MNSIM configuration is MNSIM's figure:
//
//   * mapping: a conv or fc layer takes mx·my PEs (weight bit slices times
//     column blocks, by row blocks); MNSIM's slice count ignores the bits per
//     cell (hpt's own tiling, hpt-crossbar-tile, does not);
//   * latency: per output pixel, the PE (input buffer, bit-serial DAC,
//     crossbar and ADC cycles, digital shift-and-add), the tile (joint
//     module, H-tree, output buffer) and the network-on-chip hops, with the
//     pixel pipeline between layers (a pixel starts when the last input
//     pixel it needs is done); buffers cost 20 ns per bus word;
//   * power, energy (power × the summed latency of each component) and area
//     (whole tiles).
//
// Nothing here depends on data: MNSIM's Simulation_Level 0.
//
//===----------------------------------------------------------------------===//

#ifndef HPT_HARDWARE_PIM_MNSIM_H
#define HPT_HARDWARE_PIM_MNSIM_H

#include "hardware/Expected.h"
#include "hardware/pim/Reram.h"
#include "hardware/pim/SimConfig.h"

#include <cstdint>
#include <string>
#include <vector>

namespace hpt::hw::pim {

/// A converter's bits, power, speed and area.
struct Converter {
  int bits = 0;
  double power_W = 0;
  double sampleRate_GSps = 0; ///< samples per ns
  double area_um2 = 0;
};

/// The values MNSIM's hardware model reads, as plain numbers (the `reram`
/// section of a description, mnsimChip()). Field names carry their units.
struct MnsimChip {
  std::string source; ///< the description or config it comes from, for errors

  double deviceTech_nm = 0;
  double cellArea_um2 = 0;
  double readVoltageFirst_V = 0, readVoltageLast_V = 0; ///< off and on state reads
  double readLatency_ns = 0;
  double resistanceFirst_ohm = 0, resistanceLast_ohm = 0; ///< off (high) and on (low)
  bool zeroT1R = false;

  int64_t xbarRows = 0, xbarCols = 0, subarrayRows = 0;
  double transistorTech_nm = 0;
  bool featureSizeArea = false; ///< Area_Calculation = 1

  Converter dac, adc;
  double adcGateArea_um2 = 0;
  bool rampAdc = false; ///< 2^bits cycles per conversion (MNSIM's ADC choice 9)

  bool digitalPim = false;
  int polarity = 2;          ///< crossbars per weight: 2 = ± pairs
  int subPosition = 0;
  int groups = 1;
  int64_t dacsPerGroup = 0;  ///< DACs per subarray × subarrays
  int64_t adcsPerGroup = 0;  ///< ADCs per subarray × subarrays
  double peInBuf_KB = 0, peInBufArea_um2 = 0;     ///< 0: from the network, the table
  double tileOutBuf_KB = 0, tileOutBufArea_um2 = 0;

  double digitalFrequency_MHz = 0;
  double adderTech_nm = 0, adderArea_um2 = 0, adderPower_W = 0;
  double shiftRegTech_nm = 0, shiftRegArea_um2 = 0, shiftRegPower_W = 0;
  double regTech_nm = 0, regArea_um2 = 0, regPower_W = 0;
  double jointModuleTech_nm = 0, jointModuleArea_um2 = 0, jointModulePower_W = 0;

  int64_t pesPerTile = 0, poolingWindow = 9, poolingUnits = 64;
  double poolingTech_nm = 65;
  double interTileBandwidth = 0, intraTileBandwidth = 0; ///< bits per ns
  double bufferTech_nm = 0, bufferBitwidth = 0;
  TileOrder tileOrder = TileOrder::RowMajor;
  int64_t tileRows = 0, tileCols = 0;

  int64_t subarrays() const { return xbarRows / subarrayRows; }
  double digitalPeriod_ns() const { return 1e3 / digitalFrequency_MHz; }
};

/// The model's view of a description's ReRAM section.
MnsimChip mnsimChip(const ReramModel &reram, const std::string &source);

/// Reads MNSIM's SimConfig.ini into a ReRAM section, each value's source
/// naming the file, line and key it came from (or MNSIM's table for a
/// choice, or "assumption: ..." for the write and wear values MNSIM lacks).
/// Refused, naming the key: a setting the model does not cover
/// (Simulation_Level, NoC_enable, an unknown ADC or DAC choice, SRAM cells),
/// a value MNSIM would fail on, and values no chip has (0 bits, negative
/// energies, resistances or areas).
Expected<ReramModel> importMnsim(const SimConfig &config);

/// MNSIM's crossbar area (um^2, Crossbar.py l.146).
double mnsimCrossbarArea(const MnsimChip &chip);

enum class LayerKind { Conv, Fc, Pooling, ElementSum };
const char *name(LayerKind kind);

/// One layer of a network as MNSIM takes it. A GEMM Y[M×N] = X[M×K]·W[K×N]
/// is a 1×1 conv with inH = M, inW = 1, inCh = K, outCh = N.
struct Layer {
  std::string name;
  LayerKind kind = LayerKind::Conv;
  int64_t inH = 1, inW = 1, inCh = 0, outCh = 0;
  int64_t kernel = 1, stride = 1, padding = 0;
  int64_t weightBits = 0, activationBits = 0;
  /// Producer layers as offsets (-1 = the previous layer). Empty for the
  /// first layer, which reads the network's input.
  std::vector<int64_t> inputs;
  size_t line = 0; ///< where it was written, for errors

  int64_t outH() const;
  int64_t outW() const;
};

/// Latency components summed over a layer's output pixels (ns), as MNSIM
/// sums them; energy multiplies them by power.
struct LatencySums {
  double buffer = 0, bufferRead = 0, bufferWrite = 0;
  double computing = 0, dac = 0, xbar = 0, adc = 0;
  double digital = 0, iReg = 0, oReg = 0, inputDemux = 0, outputMux = 0;
  double shiftReg = 0, adder = 0, jointModule = 0;
  double pooling = 0, intraTile = 0, interTile = 0;
};

struct Components {
  double total = 0, xbar = 0, adc = 0, dac = 0, digital = 0, buffer = 0;
  double pooling = 0;
  // Digital parts (power and energy).
  double adder = 0, shiftReg = 0, iReg = 0, oReg = 0, inputDemux = 0, outputMux = 0,
         jointModule = 0;
  double bufferRead = 0, bufferWrite = 0;
};

struct LayerFigures {
  // Mapping.
  int64_t mx = 0, my = 0, pes = 0, tiles = 0, crossbars = 0;
  int64_t maxRow = 0, maxCol = 0, maxGroup = 0, maxPePerTile = 0;
  // Pipeline.
  int64_t outputs = 0;
  double begin_ns = 0, finish_ns = 0, layerLatency_ns = 0, occupancy = 0;
  LatencySums sums;
  Components area_um2, power_W, energy_nJ;
};

struct NetworkFigures {
  std::vector<LayerFigures> layers;
  int64_t pes = 0, tiles = 0, crossbars = 0;
  double latency_ns = 0;
  /// MNSIM's totals: layer sums plus its global adder and buffer where it
  /// adds them (the adder energy is counted in `digital`, not in `total`).
  Components area_um2, power_W, energy_nJ;
};

/// MNSIM's figures for a network on a chip. Refused with the layer's line:
/// a first layer that is not a conv (MNSIM indexes its input image), a layer
/// reading outputs its producer does not have, a network that needs more
/// tiles than the chip has.
Expected<NetworkFigures> simulateMnsim(const MnsimChip &chip, const std::vector<Layer> &layers,
                                       const std::string &source);

} // namespace hpt::hw::pim

#endif // HPT_HARDWARE_PIM_MNSIM_H
