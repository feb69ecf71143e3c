//===- MnsimModel.cpp - MNSIM 2.0's latency, power, energy and area -------===//
//
// Line references are to MNSIM 2.0 at ca39ccb (thu-nics/MNSIM-2.0). The
// arithmetic follows MNSIM's order where rounding could tell (sums from the
// first pixel, log(x)/log(2) where MNSIM calls math.log(x, 2)), so figures
// agree to the last few ulps; docs/pim.md lists the quirks kept.
//
//===----------------------------------------------------------------------===//

#include "hardware/pim/Mnsim.h"
#include "hardware/pim/MnsimTables.h"

#include <algorithm>
#include <climits>
#include <cmath>

namespace hpt::hw::pim {

const char *name(LayerKind kind) {
  switch (kind) {
  case LayerKind::Conv:
    return "conv";
  case LayerKind::Fc:
    return "fc";
  case LayerKind::Pooling:
    return "pooling";
  case LayerKind::ElementSum:
    return "element_sum";
  }
  return "?";
}

int64_t Layer::outH() const {
  if (kind == LayerKind::Fc)
    return 1;
  return (inH + 2 * padding - kernel) / stride + 1;
}

int64_t Layer::outW() const {
  if (kind == LayerKind::Fc)
    return 1;
  return (inW + 2 * padding - kernel) / stride + 1;
}

namespace {

constexpr double kBufferCycle_ns = 20; // Buffer.py l.325: hard-coded

/// math.log(x, 2) as CPython computes it.
double pythonLog2(double x) { return std::log(x) / std::log(2.0); }

int64_t ceilDiv(int64_t a, int64_t b) { return (a + b - 1) / b; }

/// PE.py calculate_demux_area/power: transistors of an n-way (de)mux.
double muxTransistors(double ways) {
  if (ways <= 2)
    return 8;
  if (ways <= 4)
    return 24;
  if (ways <= 8)
    return 72;
  if (ways <= 16)
    return 216;
  if (ways <= 32)
    return 648;
  return 1944;
}

/// PE_latency.py l.40-60: 1 + the number of 8-way stages until x is 0.
int64_t decoderStages(int64_t x) {
  int64_t stages = 1;
  while (x > 0) {
    x /= 8;
    ++stages;
  }
  return stages;
}

/// One of MNSIM's SRAM buffers (Buffer.py), sized by the config or, when it
/// says 0, by the network.
struct SramBuffer {
  double size_KB = 0;
  size_t index = 0;
  double area_um2 = 0;
  double readPower_mW = 0, writePower_mW = 0;
  double bitwidth = 64;

  double latency(double bytes) const {
    return std::ceil(bytes * 8 / bitwidth) * kBufferCycle_ns;
  }
};

size_t sramIndex(double tech_nm, double size_KB, double bitwidth) {
  const size_t techRow = tech_nm >= 90 ? 0 : tech_nm >= 65 ? 1 : 2;
  static constexpr double kSizes[] = {2, 4, 8, 16, 32, 64, 128, 256};
  size_t sizeBucket = 8;
  for (size_t i = 0; i < 8; ++i)
    if (size_KB <= kSizes[i]) {
      sizeBucket = i;
      break;
    }
  const size_t widthBucket = bitwidth <= 64 ? 0 : bitwidth <= 128 ? 1 : bitwidth <= 256 ? 2 : 3;
  return 36 * techRow + 4 * sizeBucket + widthBucket;
}

Expected<SramBuffer> sramBuffer(const MnsimChip &chip, double configured_KB,
                                double configuredArea_um2, double network_KB) {
  SramBuffer buffer;
  buffer.size_KB = configured_KB == 0 ? network_KB : configured_KB;
  buffer.bitwidth = chip.bufferBitwidth;
  buffer.index = sramIndex(chip.bufferTech_nm, buffer.size_KB, chip.bufferBitwidth);
  const double leakage_mW = mnsim::kSramLeakagePower[buffer.index];
  if (leakage_mW < 0)
    return fail(chip.source + ": the buffer bus (reram.buffer_bus, MNSIM's Buffer_Bitwidth): "
                              "MNSIM 2.0 has no SRAM buffer of 2 KB or less on a bus wider than "
                              "256 bits");
  buffer.area_um2 = configuredArea_um2;
  if (buffer.area_um2 == 0 && buffer.size_KB != 0)
    buffer.area_um2 = mnsim::kSramArea[buffer.index] * 1e6;
  if (buffer.size_KB != 0) {
    buffer.readPower_mW = mnsim::kSramReadEnergy[buffer.index] / kBufferCycle_ns * 1e3 + leakage_mW;
    buffer.writePower_mW =
        mnsim::kSramWriteEnergy[buffer.index] / kBufferCycle_ns * 1e3 + leakage_mW;
  }
  return buffer;
}

/// The PE's input buffer and the tile's output buffer, sized by the config
/// or by the network.
struct TileBuffers {
  SramBuffer in, out;
};

Expected<TileBuffers> tileBuffers(const MnsimChip &chip, double networkIn_KB,
                                  double networkOut_KB) {
  Expected<SramBuffer> in = sramBuffer(chip, chip.peInBuf_KB, chip.peInBufArea_um2, networkIn_KB);
  if (!in)
    return fail(in.error());
  Expected<SramBuffer> out =
      sramBuffer(chip, chip.tileOutBuf_KB, chip.tileOutBufArea_um2, networkOut_KB);
  if (!out)
    return fail(out.error());
  return TileBuffers{*in, *out};
}

/// The chip's fixed parts: converters, crossbar, digital cells (PE.py,
/// Tile.py and the component files).
struct Parts {
  int64_t dacsPerGroup = 0, adcsPerGroup = 0; // PE_group_*_num
  int64_t dacNum = 0, adcNum = 0;             // per subarray
  int64_t polarityXbars = 1;                  // PE_multiplex_xbar_num[1]
  int64_t inputDemux = 0, outputMux = 0;
  int64_t adderTree = 0; // PE_adder_num
  double xbarArea = 0, adcArea = 0, dacArea = 0;
  double adcLatency = 0, dacLatency = 0, xbarLatency = 0;
  double cellReadPower = 0, unselectedCellPower = 0;
  double decoderLatency = 0, muxLatency = 0;
  double adderArea = 0, adderPower = 0, shiftRegArea = 0, shiftRegPower = 0;
  double regArea = 0, regPower = 0, jointArea = 0, jointPower = 0;
  double demuxArea = 0, demuxPower = 0, muxArea = 0, muxPower = 0;
  double poolingArea = 0, poolingPower = 0;
  int64_t jointModules = 0; // tile_jointmodule_num
};

double adderCell(double tech, double at28, double at45, double at55, double at65,
                 double above) {
  if (tech <= 28)
    return at28;
  if (tech <= 45)
    return at45;
  if (tech <= 55)
    return at55;
  if (tech <= 65)
    return at65;
  return above;
}

double square(double x) { return x * x; }

} // namespace

double mnsimCrossbarArea(const MnsimChip &chip) {
  // Crossbar.py l.146-160.
  const double R = double(chip.xbarRows), C = double(chip.xbarCols);
  if (chip.featureSizeArea)
    return (chip.zeroT1R ? 4 : 3 * (3 + 1)) * R * C * square(chip.deviceTech_nm) * 1e-6;
  if (chip.digitalPim)
    return R * C * chip.cellArea_um2 +
           R * (7.3 * 2.7 + 9.5 * 3.8) * square(chip.transistorTech_nm / 65);
  return R * C * chip.cellArea_um2 + 1150 * R;
}

namespace {

Parts chipParts(const MnsimChip &chip) {
  Parts parts;
  const double C = double(chip.xbarCols);
  const int64_t subarrays = chip.subarrays();
  parts.polarityXbars = chip.polarity == 2 ? 2 : 1;
  parts.xbarArea = mnsimCrossbarArea(chip);
  parts.adcArea = chip.adc.area_um2 + chip.adcGateArea_um2;
  parts.dacArea = chip.dac.area_um2;
  parts.dacsPerGroup = chip.dacsPerGroup;
  parts.adcsPerGroup = chip.adcsPerGroup;
  parts.dacNum = parts.dacsPerGroup / subarrays;
  parts.adcNum = parts.adcsPerGroup / subarrays;
  parts.inputDemux = int64_t(std::ceil(double(chip.subarrayRows) / double(parts.dacNum)));
  parts.outputMux =
      int64_t(std::ceil(C / double(parts.adcNum) * double(chip.subPosition + 1)));
  for (int64_t g = chip.groups; g / 2 >= 1; g = g / 2 + g % 2)
    parts.adderTree += (g / 2) * subarrays;

  // ADC.py l.107-114, DAC.py l.82, Crossbar.py l.173-185.
  if (chip.adc.bits == 1)
    parts.adcLatency = 1 / chip.adc.sampleRate_GSps;
  else if (chip.rampAdc)
    parts.adcLatency = 1 / chip.adc.sampleRate_GSps * std::pow(2.0, chip.adc.bits);
  else
    parts.adcLatency = 1 / chip.adc.sampleRate_GSps * (chip.adc.bits + 2);
  parts.dacLatency = 1 / chip.dac.sampleRate_GSps * (chip.dac.bits + 2);
  const double size_KB = double(chip.xbarRows) * C / 1024 / 8;
  parts.xbarLatency =
      chip.readLatency_ns + 0.001 * (0.0002 * size_KB * size_KB + 5e-6 * size_KB + 4e-14);
  // Device.py l.55-69.
  const double r0 = chip.resistanceFirst_ohm, r1 = chip.resistanceLast_ohm;
  const double v = std::sqrt(0.9 * square(chip.readVoltageFirst_V) +
                             0.1 * square(chip.readVoltageLast_V));
  parts.cellReadPower = v * v / (r0 * r1 / (r1 * 0.67 + r0 * 0.33));
  parts.unselectedCellPower = v * v / r0;
  parts.decoderLatency = double(decoderStages(ceilDiv(chip.subarrayRows, parts.dacNum))) * 0.27933;
  parts.muxLatency = double(decoderStages(ceilDiv(chip.xbarCols, parts.adcNum))) * (32.744 / 1000);

  // Adder.py, ShiftReg.py, Reg.py, JointModule.py (8-bit adders and
  // registers, 16-bit shift base, 8-bit joint module).
  const double at = chip.adderTech_nm;
  parts.adderArea =
      chip.adderArea_um2 != 0
          ? chip.adderArea_um2
          : adderCell(at, 10 * 14 * 28 * 28 / 1e6, 10 * 14 * 45 * 45 / 1e6,
                      10 * 14 * 55 * 55 / 1e6, 1.42, 10 * 14 * 130 * 130 / 1e6) * 8;
  parts.adderPower = chip.adderPower_W != 0
                         ? chip.adderPower_W
                         : adderCell(at, 2.5e-9, 2.5e-9, 2.5e-9, 3e-7, 2.5e-9) * 8;
  parts.shiftRegArea = chip.shiftRegArea_um2 != 0
                           ? chip.shiftRegArea_um2
                           : 1.42 * std::pow(chip.shiftRegTech_nm / 65, 2);
  parts.shiftRegPower = chip.shiftRegPower_W != 0
                            ? chip.shiftRegPower_W
                            : 8.1e-7 * std::pow(chip.shiftRegTech_nm / 65, 2);
  parts.regArea = chip.regArea_um2 != 0 ? chip.regArea_um2
                                        : 1.4256 * std::pow(chip.regTech_nm / 65, 2);
  parts.regPower = chip.regPower_W != 0 ? chip.regPower_W
                                        : 18.8e-9 * std::pow(chip.regTech_nm / 65, 2);
  parts.jointArea = chip.jointModuleArea_um2 != 0
                        ? chip.jointModuleArea_um2
                        : 353.76 * std::pow(chip.jointModuleTech_nm / 65, 2);
  parts.jointPower = chip.jointModulePower_W != 0
                         ? chip.jointModulePower_W
                         : 2.64e-4 * std::pow(chip.jointModuleTech_nm / 65, 2);
  const double transistorArea = 10 * chip.transistorTech_nm * chip.transistorTech_nm / 1000000;
  const double transistorPower = 10 * 1.2 / 1e9;
  parts.demuxArea = muxTransistors(double(parts.inputDemux)) * transistorArea;
  parts.muxArea = muxTransistors(double(parts.outputMux)) * transistorArea;
  parts.demuxPower = muxTransistors(double(parts.inputDemux)) * transistorPower;
  parts.muxPower = muxTransistors(double(parts.outputMux)) * transistorPower;
  // Pooling.py: one table point (65 nm, 3×3 window, 64 units), scaled.
  if (chip.poolingTech_nm == 65) {
    if (chip.poolingWindow == 9) {
      parts.poolingArea = 91917.1562 * double(chip.poolingUnits) / 64;
      parts.poolingPower = 3.082 * 1e-3;
    }
  } else {
    parts.poolingArea =
        91917.1562 * std::pow(chip.poolingTech_nm / 65, 2) * double(chip.poolingUnits) / 64;
    parts.poolingPower = 3.082 * 1e-3 * std::pow(chip.poolingTech_nm / 65, 2);
  }
  // Tile.py l.45-54: the H-tree's joint modules.
  int64_t tree = 0;
  for (int64_t index = chip.pesPerTile; index / 2 >= 1; index /= 2)
    tree += index / 2 + index % 2;
  parts.jointModules = tree * chip.groups * parts.adcsPerGroup;
  return parts;
}

/// Tile_connection_graph.py: a layer's place on the chip.
struct Placement {
  LayerKind kind = LayerKind::Conv;
  int64_t mx = 0, my = 0, maxGroup = 0, maxRow = 0, maxCol = 0;
  int64_t pes = 0, tiles = 0, maxPe = 0, start = 0;
  std::vector<int64_t> inputs;  // relative
  std::vector<int64_t> outputs; // relative
  bool branchOut = false;
  double inLayerDistance = 0, transLayerDistance = 0;
};

/// Where the network's tiles go and the sizes MNSIM derives from it.
struct Mapping {
  std::vector<Placement> layers;
  int64_t usedTiles = 0;
  double maxInBuf_KB = 0, maxOutBuf_KB = 0;
  double globalBuf_KB = 0;
  int64_t globalAdders = 0, globalAdderBits = 8;
};

/// The first producer of an element_sum that is not one itself (TCG l.400).
const Layer *branchProducer(const std::vector<Layer> &layers, size_t at) {
  for (int64_t offset : layers[at].inputs)
    if (layers[at + offset].kind != LayerKind::ElementSum)
      return &layers[at + offset];
  return nullptr;
}

std::string layerWhere(const std::string &source, const Layer &layer) {
  return source + ":" + std::to_string(layer.line) + ": layer '" + layer.name + "'";
}

Expected<Mapping> mapNetwork(const MnsimChip &chip, const std::vector<Layer> &layers,
                             const std::string &source) {
  Mapping mapping;
  const int64_t R = chip.xbarRows, C = chip.xbarCols;
  for (size_t l = 0; l < layers.size(); ++l) {
    const Layer &layer = layers[l];
    Placement place;
    place.kind = layer.kind;
    place.inputs = layer.inputs;
    if (place.inputs.empty())
      place.inputs = {-1};
    for (size_t c = l + 1; c < layers.size(); ++c)
      for (int64_t offset : layers[c].inputs)
        if (int64_t(c) + offset == int64_t(l))
          place.outputs.push_back(int64_t(c) - int64_t(l));
    const int64_t slices = chip.polarity == 2 ? layer.weightBits - 1 : layer.weightBits;
    double inBytes = 0, outBytes = 0;
    if (layer.kind == LayerKind::Conv || layer.kind == LayerKind::Fc) {
      if (slices < 1)
        return fail(layerWhere(source, layer) + ": wbits: " + std::to_string(layer.weightBits) +
                    " bits leave no magnitude bit on a ± crossbar pair");
      const int64_t rowsPerKernel =
          layer.kind == LayerKind::Conv ? R / (layer.kernel * layer.kernel) : R;
      if (rowsPerKernel == 0)
        return fail(layerWhere(source, layer) + ": a " + std::to_string(layer.kernel) + "x" +
                    std::to_string(layer.kernel) + " kernel does not fit in a crossbar of " +
                    std::to_string(R) + " rows");
      const int64_t kk = layer.kind == LayerKind::Conv ? layer.kernel * layer.kernel : 1;
      place.mx = ceilDiv(slices, chip.groups) * ceilDiv(layer.outCh, C);
      place.my = ceilDiv(layer.inCh, rowsPerKernel);
      place.maxGroup = std::min<int64_t>(slices, chip.groups);
      place.maxRow = std::min(rowsPerKernel, layer.inCh) * kk;
      place.maxCol = std::min(layer.outCh, C);
      place.branchOut = true;
      for (int64_t offset : place.outputs)
        if (layers[l + offset].kind != LayerKind::ElementSum)
          place.branchOut = false;
      const double a = double(layer.activationBits);
      inBytes = layer.kind == LayerKind::Conv
                    ? double(layer.inW * layer.kernel * layer.inCh) * a / 8
                    : double(layer.inCh) * a / 8;
      outBytes = double(layer.outCh) * a / 8;
    } else if (layer.kind == LayerKind::Pooling) {
      place.mx = place.my = 1;
      place.branchOut = true;
      for (int64_t offset : place.outputs)
        if (layers[l + offset].kind != LayerKind::ElementSum)
          place.branchOut = false;
    } else {
      const Layer *producer = branchProducer(layers, l);
      if (!producer)
        return fail(layerWhere(source, layer) + ": inputs: an element_sum needs a producer "
                                                "that is not an element_sum");
      const double bytes =
          double(producer->outCh) * double(producer->activationBits) * double(layer.inputs.size()) / 8;
      mapping.globalBuf_KB += std::pow(2.0, std::ceil(pythonLog2(bytes))) / 1024;
      mapping.globalAdders += producer->outCh * int64_t(layer.inputs.size()) / 2;
      mapping.globalAdderBits = std::max(mapping.globalAdderBits, producer->activationBits);
    }
    place.pes = place.mx * place.my;
    place.tiles = ceilDiv(place.pes, chip.pesPerTile);
    place.maxPe = std::min(place.pes, chip.pesPerTile);
    place.start = mapping.usedTiles;
    mapping.usedTiles += place.tiles;
    if (layer.kind == LayerKind::Conv || layer.kind == LayerKind::Fc) {
      // TCG l.470: powers of two in KB; 2 for the output's ping-pong.
      mapping.maxInBuf_KB = std::max(
          mapping.maxInBuf_KB,
          std::pow(2.0, std::ceil(pythonLog2(inBytes / double(place.pes)))) / 1024);
      mapping.maxOutBuf_KB = std::max(
          mapping.maxOutBuf_KB,
          std::pow(2.0, std::ceil(pythonLog2(outBytes * 2 / double(place.tiles)))) / 1024);
    }
    mapping.layers.push_back(place);
  }
  if (mapping.usedTiles > chip.tileRows * chip.tileCols)
    return fail(source + ": the network needs " + std::to_string(mapping.usedTiles) +
                " tiles; " + chip.source + " has " +
                std::to_string(chip.tileRows * chip.tileCols) + " (Tile_Num)");
  return mapping;
}

using Grid = std::vector<std::vector<int64_t>>;

/// Tile_connection_graph.py generate_*_matrix: the order tiles are filled.
Expected<Grid> tileOrder(const MnsimChip &chip) {
  const int64_t rows = chip.tileRows, cols = chip.tileCols;
  Grid order(size_t(rows), std::vector<int64_t>(size_t(cols), -1));
  if (chip.tileOrder == TileOrder::RowMajor || chip.tileOrder == TileOrder::Snake) {
    for (int64_t i = 0; i < rows; ++i)
      for (int64_t j = 0; j < cols; ++j)
        order[i][chip.tileOrder == TileOrder::Snake && i % 2 ? cols - j - 1 : j] = i * cols + j;
    return order;
  }
  int64_t i = 0, j = 0;
  auto put = [&](int64_t value) {
    if (i < 0 || j < 0 || i >= rows || j >= cols)
      return false;
    order[i][j] = value;
    return true;
  };
  const std::string refused = chip.source + ": the " + std::string(name(chip.tileOrder)) +
                              " tile order walks off a grid of " + std::to_string(rows) + "x" +
                              std::to_string(cols) + " tiles";
  int state = 0, stride = 1, step = 0;
  if (chip.tileOrder == TileOrder::Spiral) { // generate_hui_matrix
    bool turned = false;
    for (int64_t x = 0; x < rows * cols; ++x) {
      if (x > 0) {
        if (state == 0) {
          ++j;
          state = 1;
        } else if (state == 1 || state == 3) {
          const bool down = state == 1;
          if (!turned)
            down ? ++i : ++j;
          else
            down ? --j : --i;
          if (++step == stride) {
            step = 0;
            if (turned) {
              ++stride;
              state = down ? 2 : 0;
            }
            turned = !turned;
          }
        } else {
          ++i;
          state = 3;
        }
      }
      if (!put(x))
        return fail(refused);
    }
    return order;
  }
  for (int64_t x = 0; x < rows * cols; ++x) { // generate_zigzag_matrix
    if (x > 0) {
      if (state == 0) {
        j < cols - 1 ? ++j : ++i;
        state = 1;
      } else if (state == 1) {
        ++i;
        --j;
        ++step;
        if (i == rows - 1) {
          state = 2;
          --stride;
          step = 0;
        } else if (step == stride) {
          state = 2;
          ++stride;
          step = 0;
        }
      } else if (state == 2) {
        i < rows - 1 ? ++i : ++j;
        state = 3;
      } else {
        ++j;
        --i;
        ++step;
        if (j == cols - 1) {
          state = 0;
          --stride;
          step = 0;
        } else if (step == stride) {
          state = 0;
          ++stride;
          step = 0;
        }
      }
    }
    if (!put(x))
      return fail(refused);
  }
  return order;
}

struct Position {
  int64_t row, col;
};

/// The farthest (Manhattan) distance from a tile to a set of tiles, in
/// constant time per query: the extremes of row + col and row - col.
class Spread {
public:
  void add(Position p) {
    empty = false;
    maxSum = std::max(maxSum, p.row + p.col);
    minSum = std::min(minSum, p.row + p.col);
    maxDiff = std::max(maxDiff, p.row - p.col);
    minDiff = std::min(minDiff, p.row - p.col);
  }
  double farthestFrom(Position p) const {
    if (empty)
      return 0;
    const int64_t sum = p.row + p.col, diff = p.row - p.col;
    return double(std::max({maxSum - sum, sum - minSum, maxDiff - diff, diff - minDiff}));
  }

private:
  bool empty = true;
  int64_t maxSum = INT64_MIN, minSum = INT64_MAX, maxDiff = INT64_MIN, minDiff = INT64_MAX;
};

/// calculate_transfer_distance (TCG l.520-600): how far a layer's partial
/// sums travel inside it and how far its outputs travel to its consumers.
Expected<bool> placeTiles(const MnsimChip &chip, Mapping &mapping) {
  Expected<Grid> order = tileOrder(chip);
  if (!order)
    return fail(order.error());
  const int64_t count = int64_t(mapping.layers.size());
  std::vector<std::vector<Position>> tiles(mapping.layers.size());
  auto takesTiles = [](LayerKind kind) { return kind != LayerKind::ElementSum; };
  // mapping_net: row-major over the grid; note its `elif` that gives a tile
  // to the last layer when it lies past that layer's start.
  for (int64_t i = 0; i < chip.tileRows; ++i)
    for (int64_t j = 0; j < chip.tileCols; ++j) {
      const int64_t at = (*order)[i][j];
      if (at >= mapping.usedTiles)
        continue;
      int64_t owner = -1;
      for (int64_t l = 0; l + 1 < count; ++l) {
        if (!takesTiles(mapping.layers[l].kind))
          continue;
        if (at >= mapping.layers[l].start && at < mapping.layers[l + 1].start) {
          owner = l;
          break;
        }
        if (at >= mapping.layers[count - 1].start)
          owner = count - 1;
      }
      if (owner >= 0)
        tiles[owner].push_back({i, j});
    }
  const double half = 0.5 * double(chip.tileRows);
  auto toCentre = [&](Position p) { return std::abs(double(p.row) - half) + double(p.col); };
  for (int64_t l = 0; l + 1 < count; ++l) {
    Placement &place = mapping.layers[l];
    const std::vector<Position> &source = tiles[l];
    if (place.kind == LayerKind::ElementSum) {
      double out = 0;
      for (int64_t offset : place.outputs)
        if (!tiles[l + offset].empty()) // MNSIM measures from the consumer's first tile
          out = std::max(out, toCentre(tiles[l + offset][0]));
      place.inLayerDistance = 0;
      place.transLayerDistance = out;
      continue;
    }
    Spread own, consumers;
    for (Position p : source)
      own.add(p);
    for (int64_t offset : place.outputs)
      for (Position p : tiles[l + offset])
        consumers.add(p);
    auto outward = [&](Position a) {
      return place.branchOut ? toCentre(a) : consumers.farthestFrom(a);
    };
    if (source.size() == 1) {
      place.inLayerDistance = 0;
      place.transLayerDistance = outward(source[0]);
      continue;
    }
    // The tile that gathers the layer's partial sums: the first (row-major)
    // with the least in-layer plus outgoing distance, if under 1000.
    double best = 1000;
    for (Position a : source) {
      const double in = own.farthestFrom(a), out = outward(a);
      if (in + out < best) {
        place.inLayerDistance = in;
        place.transLayerDistance = out;
        best = in + out;
      }
    }
  }
  Spread last;
  for (Position p : tiles[count - 1])
    last.add(p);
  double best = 1000;
  for (Position a : tiles[count - 1]) {
    const double in = last.farthestFrom(a);
    if (in < best) {
      best = in;
      mapping.layers[count - 1].inLayerDistance = in;
      mapping.layers[count - 1].transLayerDistance = 0;
    }
  }
  return true;
}

/// One output pixel's latency parts (pipe_result_update's terms).
struct PixelParts {
  double bufferRead = 0, bufferWrite = 0;
  double dac = 0, xbar = 0, adc = 0;
  double iReg = 0, inputDemux = 0, outputMux = 0, shiftReg = 0, adder = 0, oReg = 0,
         jointModule = 0;
  double pooling = 0, digitalExtra = 0, intraTile = 0, merge = 0, transfer = 0;
};

void addPixel(LatencySums &sums, const PixelParts &p) {
  sums.buffer += p.bufferWrite + p.bufferRead;
  sums.computing += p.dac + p.xbar + p.adc;
  sums.dac += p.dac;
  sums.xbar += p.xbar;
  sums.adc += p.adc;
  sums.bufferRead += p.bufferRead;
  sums.bufferWrite += p.bufferWrite;
  sums.iReg += p.iReg;
  sums.inputDemux += p.inputDemux;
  sums.outputMux += p.outputMux;
  sums.shiftReg += p.shiftReg;
  sums.adder += p.adder;
  sums.oReg += p.oReg;
  sums.jointModule += p.jointModule;
  sums.digital += p.iReg + p.inputDemux + p.outputMux + p.shiftReg + p.adder + p.oReg +
                  p.jointModule + p.digitalExtra;
  sums.pooling += p.pooling;
  sums.intraTile += p.intraTile;
  sums.interTile += p.merge + p.transfer;
}

/// A conv or fc layer's per-pixel latency (PE_latency.py, Tile_latency.py).
struct CrossbarTile {
  PixelParts fixed; // everything but the PE's input buffer
  double peAndTileFixed = 0;
  SramBuffer inBuffer;

  PixelParts pixel(double inBytes, double readBytes, double &latency) const {
    PixelParts p = fixed;
    const double write = inBuffer.latency(inBytes), read = inBuffer.latency(readBytes);
    p.bufferWrite += write;
    p.bufferRead += read;
    // PE_latency = buf_w + buf_r + computing + digital; tile adds the joint
    // module, the H-tree and the output buffer's write.
    latency = write + read + peAndTileFixed;
    return p;
  }
};

CrossbarTile crossbarTile(const MnsimChip &chip, const Parts &parts, const Placement &place,
                          const SramBuffer &inBuffer, const SramBuffer &outBuffer,
                          int64_t inputBits, int64_t outputBits) {
  CrossbarTile tile;
  tile.inBuffer = inBuffer;
  const double period = chip.digitalPeriod_ns();
  const int64_t rowCycles = ceilDiv(place.maxRow, parts.dacsPerGroup);
  const int64_t colCycles = ceilDiv(place.maxCol, parts.adcNum);
  const double bitCycles = std::ceil(double(inputBits) / double(chip.dac.bits));
  const double m = bitCycles * double(rowCycles) * double(colCycles); // multiple_time
  PixelParts &p = tile.fixed;
  p.xbar = m * parts.xbarLatency;
  p.dac = m * parts.dacLatency;
  p.adc = m * parts.adcLatency;
  p.iReg = double(rowCycles) * double(colCycles) * period + m * period;
  p.shiftReg = m * period;
  p.inputDemux = m * parts.decoderLatency;
  p.adder = double(colCycles) * std::ceil(std::log2(double(chip.groups))) * period;
  p.outputMux = m * parts.muxLatency;
  p.oReg = double(colCycles) * period;
  const double computing = p.dac + p.xbar + p.adc;
  const double digital = p.iReg + p.shiftReg + p.inputDemux + p.adder + p.outputMux + p.oReg;
  const double merges = std::ceil(std::log2(double(place.maxPe)));
  const double levels = std::ceil(std::log2(double(chip.pesPerTile)));
  p.jointModule = merges * period;
  p.intraTile = (levels * (chip.adc.bits + merges) - merges * (merges + 1) / 2) *
                double(place.maxCol) / chip.intraTileBandwidth;
  const double tileWrite =
      outBuffer.latency((chip.adc.bits + merges) * double(place.maxCol) * double(place.maxPe) / 8);
  const double tileRead =
      outBuffer.latency(double(place.maxCol) * double(outputBits) * double(place.maxPe) / 8);
  p.bufferWrite = tileWrite;
  p.bufferRead = tileRead;
  tile.peAndTileFixed = computing + digital + p.jointModule + p.intraTile + tileWrite;
  return tile;
}

struct Timeline {
  std::vector<double> begin, finish;
  std::vector<std::pair<double, double>> intervals;
};

double occupancy(Timeline &t) {
  std::sort(t.intervals.begin(), t.intervals.end());
  double busy = 0;
  double low = t.intervals[0].first, high = t.intervals[0].second;
  for (size_t i = 1; i < t.intervals.size(); ++i) {
    if (t.intervals[i].first > high) {
      busy += high - low;
      low = t.intervals[i].first;
      high = t.intervals[i].second;
    } else {
      high = std::max(high, t.intervals[i].second);
    }
  }
  busy += high - low;
  return busy / (*std::max_element(t.finish.begin(), t.finish.end()) -
                 *std::min_element(t.begin.begin(), t.begin.end()));
}

/// Model_latency.py calculate_model_latency(mode=1), one layer.
Expected<Timeline> layerTimeline(const MnsimChip &chip, const Parts &parts, const Mapping &mapping,
                                 const std::vector<Layer> &layers, size_t l,
                                 const std::vector<Timeline> &done, LatencySums &sums,
                                 const std::string &source) {
  const Layer &layer = layers[l];
  const Placement &place = mapping.layers[l];
  Timeline t;
  const int64_t a = layer.activationBits;
  const double interBw = chip.interTileBandwidth;
  double previous = 0; // pre_max_time
  // The producers' finish time of pixel `pos` (MNSIM indexes their lists).
  auto ready = [&](int64_t pos, double &out) -> bool {
    out = 0;
    for (int64_t offset : place.inputs) {
      const Timeline &producer = done[l + offset];
      if (pos >= int64_t(producer.finish.size()))
        return false;
      out = std::max(out, producer.finish[pos]);
    }
    return true;
  };
  auto unreadable = [&](int64_t pos) {
    return fail(layerWhere(source, layer) + ": reads output " + std::to_string(pos) +
                " of its input layer, which has fewer (MNSIM 2.0 fails here)");
  };
  auto record = [&](double begin, double latency, const PixelParts &p) {
    const double finish = latency + p.merge + p.transfer + begin;
    t.begin.push_back(begin);
    t.finish.push_back(finish);
    t.intervals.push_back({begin, finish});
    addPixel(sums, p);
    previous = finish;
  };

  if (layer.kind == LayerKind::Conv || layer.kind == LayerKind::Fc) {
    Expected<TileBuffers> buffers = tileBuffers(chip, mapping.maxInBuf_KB, mapping.maxOutBuf_KB);
    if (!buffers)
      return fail(buffers.error());
    const SramBuffer *inBuffer = &buffers->in, *outBuffer = &buffers->out;
    CrossbarTile tile = crossbarTile(chip, parts, place, *inBuffer, *outBuffer, a, a);
    const double merge = tile.fixed.bufferRead +
                         place.inLayerDistance *
                             (chip.digitalPeriod_ns() +
                              double(place.maxCol) * double(place.maxPe) * double(a) / interBw);
    tile.fixed.merge = merge;
    if (layer.kind == LayerKind::Fc) {
      const double bytes = double(place.maxRow) * double(a) / 8;
      tile.fixed.transfer = place.transLayerDistance * (double(layer.outCh) * double(a) / interBw);
      double begin = 0;
      for (int64_t offset : place.inputs)
        begin = std::max(begin, done[l + offset].finish.back());
      double latency;
      const PixelParts p = tile.pixel(bytes, bytes, latency);
      record(begin, latency, p);
      // Model_latency.py l.1196: every output feature finishes together.
      t.begin.assign(size_t(layer.outCh), t.begin[0]);
      t.finish.assign(size_t(layer.outCh), t.finish[0]);
      return t;
    }
    tile.fixed.transfer =
        place.transLayerDistance * (double(layer.outCh) * double(a) / interBw);
    const double icp = double(place.maxRow) / double(layer.kernel * layer.kernel);
    const int64_t k = layer.kernel, s = layer.stride, pad = layer.padding;
    const double bits = double(a) / 8;
    const double edge = double(std::max<int64_t>(k - pad, 0));
    for (int64_t i = 0; i < layer.outH(); ++i)
      for (int64_t j = 0; j < layer.outW(); ++j) {
        double inBytes, readBytes = double(place.maxRow) * bits;
        if (i == 0 && j == 0)
          inBytes = icp * (edge * edge) * bits;
        else if (j == 0)
          inBytes = icp * double(s) * edge * bits;
        else {
          inBytes = i == 0 ? icp * double(s) * double(k) * bits : icp * double(s * s) * bits;
          readBytes = double(s) * double(k) * icp * bits;
        }
        double latency;
        const PixelParts p = tile.pixel(inBytes, readBytes, latency);
        double begin = previous;
        if (l > 0) {
          const int64_t first = std::max<int64_t>(k - pad, 1);
          const int64_t pos =
              k > 1 ? (std::min(first + s * i, layer.inH) - 1) * layer.inW +
                          std::min(first + s * j, layer.inW) - 1
                    : i * s * layer.inW + j * s;
          double needed;
          if (!ready(pos, needed))
            return unreadable(pos);
          begin = std::max(needed, previous);
        }
        record(begin, latency, p);
      }
    return t;
  }

  if (layer.kind == LayerKind::Pooling) {
    Expected<TileBuffers> buffers = tileBuffers(chip, mapping.maxInBuf_KB, mapping.maxOutBuf_KB);
    if (!buffers)
      return fail(buffers.error());
    const SramBuffer *inBuffer = &buffers->in, *outBuffer = &buffers->out;
    const int64_t k = layer.kernel, s = layer.stride, pad = layer.padding;
    const double c = double(layer.inCh), bits = double(a) / 8;
    const double digital = 100 * std::ceil(c / double(chip.poolingUnits)) *
                           std::ceil(double(k * k) / double(chip.poolingWindow));
    const double outWrite = outBuffer->latency(c * double(a) / 8);
    const double outRead = outBuffer->latency(double(layer.outCh) * double(a) / 8);
    const double transfer = place.transLayerDistance * (double(layer.outCh) * double(a) / interBw);
    const double edge = double(std::max<int64_t>(k - pad, 0));
    for (int64_t i = 0; i < layer.outH(); ++i)
      for (int64_t j = 0; j < layer.outW(); ++j) {
        const int64_t first = std::max<int64_t>(k - pad, 1);
        const int64_t pos = (std::min(first + s * i, layer.inH) - 1) * layer.inW +
                            std::min(first + s * j, layer.inW) - 1;
        double inBytes, readBytes = c * double(k * k) * bits;
        if (i == 0 && j == 0)
          inBytes = c * (edge * edge) * bits;
        else if (j == 0)
          inBytes = c * double(s) * edge * bits;
        else {
          inBytes = c * double(s * s) * bits;
          readBytes = double(s) * double(k) * c * bits;
        }
        PixelParts p;
        const double write = inBuffer->latency(inBytes), read = inBuffer->latency(readBytes);
        p.bufferWrite = write + outWrite;
        p.bufferRead = read + outRead;
        p.pooling = digital;
        p.merge = outRead; // Model_latency.py l.1218: read again as the merge
        p.transfer = transfer;
        double needed;
        if (!ready(pos, needed))
          return unreadable(pos);
        // pooling_latency includes the output buffer's read (l.1219).
        record(std::max(needed, previous), write + read + digital + outRead + outWrite, p);
      }
    return t;
  }

  // element_sum (Model_latency.py l.1300-1325), shaped like its producer.
  const Layer &producer = *branchProducer(layers, l);
  const double bytes = double(layer.inputs.size()) * double(producer.activationBits) *
                       double(producer.outCh) / 8;
  Expected<SramBuffer> global = sramBuffer(chip, chip.tileOutBuf_KB, 0, mapping.globalBuf_KB);
  if (!global)
    return fail(global.error());
  const double access = global->latency(bytes);
  const double transfer = place.transLayerDistance *
                          (double(producer.outCh) * double(producer.activationBits) / interBw);
  for (int64_t i = 0; i < producer.outH(); ++i)
    for (int64_t j = 0; j < producer.outW(); ++j) {
      double needed;
      const int64_t pos = i * producer.outW() + j;
      if (!ready(pos, needed))
        return unreadable(pos);
      PixelParts p;
      p.bufferRead = access;
      p.bufferWrite = access;
      p.digitalExtra = 10;
      p.transfer = transfer;
      record(std::max(needed, previous), 10 + access + access, p);
    }
  return t;
}

/// Per-tile power of a layer (Tile.py calculate_tile_read_power_fast).
Expected<Components> tilePower(const MnsimChip &chip, const Parts &parts, const Placement &place,
                               const Mapping &mapping) {
  Components power;
  Expected<TileBuffers> buffers = tileBuffers(chip, mapping.maxInBuf_KB, mapping.maxOutBuf_KB);
  if (!buffers)
    return fail(buffers.error());
  const SramBuffer *inBuffer = &buffers->in, *outBuffer = &buffers->out;
  if (place.kind == LayerKind::Pooling) {
    power.pooling = parts.poolingPower;
  } else if (place.kind != LayerKind::ElementSum) {
    const double group = double(place.maxGroup);
    const double rows = std::ceil(double(place.maxRow) / double(parts.inputDemux));
    const double cols = std::ceil(double(place.maxCol) / double(parts.outputMux));
    const double perSubarray = chip.digitalPim ? double(chip.subarrays()) : 1;
    double xbar = double(place.maxRow) * double(place.maxCol) * parts.cellReadPower;
    if (chip.zeroT1R)
      xbar += 0.25 * double(place.maxRow) * double(chip.xbarCols - place.maxCol) *
              parts.unselectedCellPower;
    const double pe = double(place.maxPe);
    power.xbar = pe * (double(parts.polarityXbars) * group * xbar / double(parts.inputDemux) /
                       double(parts.outputMux));
    power.dac = pe * (group * rows * chip.dac.power_W);
    power.inputDemux = pe * (group * rows * parts.demuxPower);
    power.iReg = pe * (group * rows * parts.regPower);
    power.adc = pe * (group * cols * chip.adc.power_W * perSubarray);
    power.outputMux = pe * (group * cols * parts.muxPower * perSubarray);
    power.adder = pe * ((group - 1) * cols * parts.adderPower * perSubarray);
    power.shiftReg = pe * (group * cols * parts.shiftRegPower * perSubarray);
    power.oReg = pe * (group * cols * parts.regPower * perSubarray);
    power.jointModule = (pe - 1) * cols * parts.jointPower;
    power.bufferRead = pe * (inBuffer->readPower_mW * 1e-3);
    power.bufferWrite = pe * (inBuffer->writePower_mW * 1e-3);
  }
  power.bufferRead += outBuffer->readPower_mW * 1e-3;
  power.bufferWrite += outBuffer->writePower_mW * 1e-3;
  power.buffer = power.bufferRead + power.bufferWrite;
  power.digital = power.adder + power.shiftReg + power.iReg + power.oReg + power.inputDemux +
                  power.outputMux + power.jointModule;
  power.total = power.xbar + power.adc + power.dac + power.digital + power.pooling + power.buffer;
  return power;
}

/// One tile's area, every PE counted (Tile.py calculate_tile_area).
Expected<Components> tileArea(const MnsimChip &chip, const Parts &parts, const Mapping &mapping) {
  Expected<TileBuffers> buffers = tileBuffers(chip, mapping.maxInBuf_KB, mapping.maxOutBuf_KB);
  if (!buffers)
    return fail(buffers.error());
  const SramBuffer *inBuffer = &buffers->in, *outBuffer = &buffers->out;
  const double g = double(chip.groups);
  const double adcs = g * double(parts.adcsPerGroup), dacs = g * double(parts.dacsPerGroup);
  Components pe;
  pe.xbar = g * double(parts.polarityXbars) * parts.xbarArea;
  pe.adc = parts.adcArea * adcs;
  pe.dac = parts.dacArea * dacs;
  pe.adder = double(parts.adcsPerGroup) * double(parts.adderTree) * parts.adderArea;
  pe.shiftReg = adcs * parts.shiftRegArea;
  pe.iReg = dacs * parts.regArea;
  pe.oReg = adcs * parts.regArea;
  pe.inputDemux = parts.demuxArea * dacs;
  pe.outputMux = parts.muxArea * adcs;
  pe.buffer = inBuffer->area_um2;
  Components tile;
  for (int64_t i = 0; i < chip.pesPerTile; ++i) {
    tile.xbar += pe.xbar;
    tile.adc += pe.adc;
    tile.dac += pe.dac;
    tile.inputDemux += pe.inputDemux;
    tile.outputMux += pe.outputMux;
    tile.shiftReg += pe.shiftReg;
    tile.iReg += pe.iReg;
    tile.oReg += pe.oReg;
    tile.adder += pe.adder;
    tile.buffer += pe.buffer;
  }
  tile.jointModule = double(parts.jointModules) * parts.jointArea;
  tile.digital = tile.inputDemux + tile.outputMux + tile.adder + tile.shiftReg +
                 tile.jointModule + tile.iReg + tile.oReg;
  tile.pooling = parts.poolingArea;
  tile.buffer += outBuffer->area_um2;
  tile.total = tile.xbar + tile.adc + tile.dac + tile.digital + tile.buffer + tile.pooling;
  return tile;
}

Components scaled(const Components &c, double by) {
  Components out;
  out.total = c.total * by;
  out.xbar = c.xbar * by;
  out.adc = c.adc * by;
  out.dac = c.dac * by;
  out.digital = c.digital * by;
  out.buffer = c.buffer * by;
  out.pooling = c.pooling * by;
  out.adder = c.adder * by;
  out.shiftReg = c.shiftReg * by;
  out.iReg = c.iReg * by;
  out.oReg = c.oReg * by;
  out.inputDemux = c.inputDemux * by;
  out.outputMux = c.outputMux * by;
  out.jointModule = c.jointModule * by;
  out.bufferRead = c.bufferRead * by;
  out.bufferWrite = c.bufferWrite * by;
  return out;
}

/// Model_energy.py l.90-110: each component's power times its summed latency.
Components layerEnergy(const Components &power, const LatencySums &s) {
  Components e;
  e.xbar = power.xbar * s.xbar;
  e.adc = power.adc * s.adc;
  e.dac = power.dac * s.dac;
  e.adder = power.adder * s.adder;
  e.shiftReg = power.shiftReg * s.shiftReg;
  e.iReg = power.iReg * s.iReg;
  e.oReg = power.oReg * s.oReg;
  e.inputDemux = power.inputDemux * s.inputDemux;
  e.outputMux = power.outputMux * s.outputMux;
  e.jointModule = power.jointModule * s.jointModule;
  e.bufferRead = power.bufferRead * s.bufferRead;
  e.bufferWrite = power.bufferWrite * s.bufferWrite;
  e.buffer = e.bufferRead + e.bufferWrite;
  e.pooling = power.pooling * s.pooling;
  e.digital = e.shiftReg + e.iReg + e.oReg + e.inputDemux + e.outputMux + e.jointModule;
  e.total = e.xbar + e.adc + e.dac + e.digital + e.buffer + e.pooling;
  return e;
}

void accumulate(Components &into, const Components &c) {
  into.total += c.total;
  into.xbar += c.xbar;
  into.adc += c.adc;
  into.dac += c.dac;
  into.digital += c.digital;
  into.buffer += c.buffer;
  into.pooling += c.pooling;
  into.adder += c.adder;
  into.shiftReg += c.shiftReg;
  into.iReg += c.iReg;
  into.oReg += c.oReg;
  into.inputDemux += c.inputDemux;
  into.outputMux += c.outputMux;
  into.jointModule += c.jointModule;
  into.bufferRead += c.bufferRead;
  into.bufferWrite += c.bufferWrite;
}

Expected<bool> checkNetwork(const std::vector<Layer> &layers, const std::string &source) {
  if (layers.empty())
    return fail(source + ": no layers");
  if (layers[0].kind != LayerKind::Conv)
    return fail(layerWhere(source, layers[0]) + ": type: MNSIM 2.0 models the first layer as a "
                                                "conv reading the input image; a " +
                std::string(name(layers[0].kind)) + " cannot come first");
  for (size_t l = 1; l < layers.size(); ++l)
    for (int64_t offset : layers[l].inputs)
      if (offset >= 0 || int64_t(l) + offset < 0)
        return fail(layerWhere(source, layers[l]) + ": inputs: offset " +
                    std::to_string(offset) + " names no earlier layer");
  return true;
}

} // namespace

Expected<NetworkFigures> simulateMnsim(const MnsimChip &chip, const std::vector<Layer> &layers,
                                       const std::string &source) {
  if (Expected<bool> ok = checkNetwork(layers, source); !ok)
    return fail(ok.error());
  Expected<Mapping> mapping = mapNetwork(chip, layers, source);
  if (!mapping)
    return fail(mapping.error());
  if (Expected<bool> placed = placeTiles(chip, *mapping); !placed)
    return fail(placed.error());
  const Parts parts = chipParts(chip);
  Expected<Components> tile = tileArea(chip, parts, *mapping);
  if (!tile)
    return fail(tile.error());

  NetworkFigures net;
  std::vector<Timeline> timelines;
  for (size_t l = 0; l < layers.size(); ++l) {
    const Placement &place = mapping->layers[l];
    LayerFigures figures;
    figures.mx = place.mx;
    figures.my = place.my;
    figures.pes = place.pes;
    figures.tiles = place.tiles;
    figures.crossbars = place.pes * place.maxGroup * (chip.polarity == 2 ? 2 : 1);
    figures.maxRow = place.maxRow;
    figures.maxCol = place.maxCol;
    figures.maxGroup = place.maxGroup;
    figures.maxPePerTile = place.maxPe;
    Expected<Timeline> timeline =
        layerTimeline(chip, parts, *mapping, layers, l, timelines, figures.sums, source);
    if (!timeline)
      return fail(timeline.error());
    figures.outputs = int64_t(timeline->finish.size());
    figures.begin_ns = *std::min_element(timeline->begin.begin(), timeline->begin.end());
    figures.finish_ns = *std::max_element(timeline->finish.begin(), timeline->finish.end());
    figures.occupancy = occupancy(*timeline);
    const std::vector<double> &before =
        l == 0 ? std::vector<double>{0.0} : timelines[l + place.inputs[0]].finish;
    figures.layerLatency_ns =
        figures.finish_ns - (l == 0 ? 0.0 : *std::max_element(before.begin(), before.end()));
    // Later layers read only the finish times.
    timeline->begin = {};
    timeline->intervals = {};
    timelines.push_back(std::move(*timeline));

    Expected<Components> power = tilePower(chip, parts, place, *mapping);
    if (!power)
      return fail(power.error());
    const double tiles = double(place.tiles);
    figures.power_W = scaled(*power, tiles);
    figures.area_um2 = scaled(*tile, tiles);
    figures.energy_nJ = layerEnergy(figures.power_W, figures.sums);
    // MNSIM's "Total crossbar number" (TCG l.484) counts conv and fc PEs.
    if (place.kind == LayerKind::Conv || place.kind == LayerKind::Fc)
      net.pes += figures.pes;
    net.tiles += figures.tiles;
    net.crossbars += figures.crossbars;
    net.latency_ns = std::max(net.latency_ns, figures.finish_ns);
    accumulate(net.power_W, figures.power_W);
    accumulate(net.area_um2, figures.area_um2);
    accumulate(net.energy_nJ, figures.energy_nJ);
    net.layers.push_back(std::move(figures));
  }

  // The global adders and buffer of element_sum layers (Model_*.py): MNSIM
  // adds them to the digital and buffer totals but not to the chip's total.
  const double adderPower = chip.adderPower_W != 0
                                ? chip.adderPower_W
                                : adderCell(chip.adderTech_nm, 2.5e-9, 2.5e-9, 2.5e-9, 3e-7,
                                            2.5e-9) * double(mapping->globalAdderBits);
  const double adderArea =
      chip.adderArea_um2 != 0
          ? chip.adderArea_um2
          : adderCell(chip.adderTech_nm, 10 * 14 * 28 * 28 / 1e6, 10 * 14 * 45 * 45 / 1e6,
                      10 * 14 * 55 * 55 / 1e6, 1.42, 10 * 14 * 130 * 130 / 1e6) *
                double(mapping->globalAdderBits);
  const double adders = double(mapping->globalAdders);
  Expected<SramBuffer> global =
      sramBuffer(chip, chip.peInBuf_KB, chip.peInBufArea_um2, mapping->globalBuf_KB);
  if (!global)
    return fail(global.error());
  net.power_W.digital += adderPower * adders;
  net.power_W.adder += adderPower * adders;
  net.power_W.buffer += (global->writePower_mW + global->readPower_mW) * 1e-3;
  net.power_W.bufferRead += global->readPower_mW * 1e-3;
  net.power_W.bufferWrite += global->writePower_mW * 1e-3;
  // Adder.py: adder_latency = 1 / Digital_Frequency (in µs, as MNSIM has it).
  const double adderEnergy = adderPower * adders * (1.0 / chip.digitalFrequency_MHz);
  net.energy_nJ.digital += adderEnergy;
  net.energy_nJ.adder += adderEnergy;
  net.area_um2.digital += adderArea * adders;
  net.area_um2.adder += adderArea * adders;
  net.area_um2.buffer += global->area_um2;
  return net;
}

} // namespace hpt::hw::pim
