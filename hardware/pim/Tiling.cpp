//===- Tiling.cpp - frozen weights in crossbars, hpt's ReRAM model --------===//

#include "hardware/pim/Tiling.h"

#include <algorithm>
#include <cmath>

namespace hpt::hw::pim {
namespace {

int64_t ceilDiv(int64_t a, int64_t b) { return (a + b - 1) / b; }

/// Leaf latencies (ns) and energies (pJ) of one read cycle, from the same
/// component models as MNSIM's (ADC.py, DAC.py, Crossbar.py, Device.py).
struct ReadLeaves {
  double dac_ns, xbar_ns, adc_ns;
  double dacDrive_pJ, cellRead_pJ, conversion_pJ, shiftAdd_pJ;
  double digitalPeriod_ns;
};

ReadLeaves readLeaves(const ReramModel &m) {
  ReadLeaves l;
  const double adcBits = m.adcBits.value;
  if (adcBits == 1)
    l.adc_ns = 1 / m.adcSampleRate.value;
  else if (m.adcTiming.value == AdcTiming::Ramp)
    l.adc_ns = std::pow(2.0, adcBits) / m.adcSampleRate.value;
  else
    l.adc_ns = (adcBits + 2) / m.adcSampleRate.value;
  l.dac_ns = (m.dacBits.value + 2) / m.dacSampleRate.value;
  const double kb = m.xbarRows.value * m.xbarCols.value / 1024 / 8;
  l.xbar_ns = m.readLatency.value + 0.001 * (0.0002 * kb * kb + 5e-6 * kb + 4e-14);
  // A cell's read power: MNSIM's mean-state conductance at the RMS read
  // voltage (Device.py l.55-69).
  const double r0 = m.resistanceHigh.value, r1 = m.resistanceLow.value;
  const double v2 = 0.9 * m.readVoltageLow.value * m.readVoltageLow.value +
                    0.1 * m.readVoltageHigh.value * m.readVoltageHigh.value;
  const double cellPower_W = v2 / (r0 * r1 / (r1 * 0.67 + r0 * 0.33));
  l.dacDrive_pJ = m.dacPower.value * l.dac_ns * 1e3;
  l.cellRead_pJ = cellPower_W * l.xbar_ns * 1e3;
  l.conversion_pJ = m.adcPower.value * l.adc_ns * 1e3;
  l.digitalPeriod_ns = 1e3 / m.digitalClock.value;
  // One 8-bit shift-and-add per conversion (MNSIM's adder table when the
  // description leaves the adder's power at 0).
  const double tech = m.adderTech.value;
  const double adder_W =
      m.adderPower.value != 0 ? m.adderPower.value : (tech > 55 && tech <= 65 ? 3e-7 : 2.5e-9) * 8;
  l.shiftAdd_pJ = adder_W * l.digitalPeriod_ns * 1e3;
  return l;
}

/// The extents of the blocks along one dimension: full blocks and the rest.
struct Blocks {
  int64_t full = 0, size = 0, rest = 0; ///< `full` blocks of `size`, then one of `rest` (if > 0)
  template <typename F> int64_t sum(F f) const {
    return full * f(size) + (rest ? f(rest) : 0);
  }
};

Blocks blocksOf(int64_t extent, int64_t size) { return {extent / size, size, extent % size}; }

double levelConductance(const ReramModel &m, int64_t level) {
  const double gOff = 1 / m.resistanceHigh.value, gOn = 1 / m.resistanceLow.value;
  const double levels = std::pow(2.0, m.cellBits.value) - 1;
  return gOff + double(level) * (gOn - gOff) / levels;
}

} // namespace

int64_t CrossbarGeometry::losslessAdcBits(int64_t activeRows) const {
  const double top = double(activeRows) * (std::pow(2.0, double(cellBits)) - 1) *
                     (std::pow(2.0, double(dacBits)) - 1);
  int64_t bits = 0;
  while (std::pow(2.0, double(bits)) < top + 1)
    ++bits;
  return bits;
}

CrossbarGeometry geometryOf(const ReramModel &m) {
  CrossbarGeometry g;
  g.rows = int64_t(m.xbarRows.value);
  g.cols = int64_t(m.xbarCols.value);
  g.cellBits = int64_t(m.cellBits.value);
  g.weightBits = int64_t(m.weightBits.value);
  g.inputBits = int64_t(m.inputBits.value);
  g.dacBits = int64_t(m.dacBits.value);
  g.adcBits = int64_t(m.adcBits.value);
  const int64_t subarrays = int64_t(m.xbarRows.value / m.subarrayRows.value);
  g.dacsPerCrossbar = int64_t(m.dacsPerSubarray.value) * subarrays;
  g.adcsPerCrossbar = int64_t(m.adcsPerSubarray.value) * subarrays;
  g.differential = m.crossbarsPerWeight.value == 2;
  g.groups = int64_t(m.groups.value);
  g.pesPerTile = int64_t(m.pesPerTile.value);
  g.tilesPerChip = int64_t(m.tileRows.value * m.tileCols.value);
  g.chips = int64_t(m.instances.value);
  return g;
}

Expected<WeightTiling> tileWeight(const CrossbarGeometry &g, int64_t rows, int64_t cols,
                                  const std::string &what) {
  if (rows < 1 || cols < 1)
    return fail(what + ": a " + std::to_string(rows) + "x" + std::to_string(cols) +
                " weight has no cell to program");
  if (g.storedBits() < 1)
    return fail(what + ": " + std::to_string(g.weightBits) +
                "-bit weights leave no magnitude bit on a ± pair");
  WeightTiling t;
  t.rows = rows;
  t.cols = cols;
  t.rowBlocks = ceilDiv(rows, g.rows);
  t.colBlocks = ceilDiv(cols, g.cols);
  t.slices = g.slices();
  t.polarity = g.polarity();
  const int64_t blocks = t.rowBlocks * t.colBlocks;
  t.crossbars = blocks * t.slices * t.polarity;
  t.pes = blocks * ceilDiv(t.slices, g.groups);
  t.tiles = ceilDiv(t.pes, g.pesPerTile);
  t.cells = rows * cols * t.slices * t.polarity;
  const double held = double(t.pes) * double(g.groups) * double(t.polarity) * double(g.rows) *
                      double(g.cols);
  t.utilisation = double(t.cells) / held;
  return t;
}

ReramCost readCost(const ReramModel &m, const WeightTiling &t, int64_t vectors,
                   bool transposed) {
  const CrossbarGeometry g = geometryOf(m);
  const ReadLeaves l = readLeaves(m);
  // Driven lines and converted lines of each block: rows and columns, or
  // the other way round for a transposed read.
  const Blocks driven = transposed ? blocksOf(t.cols, g.cols) : blocksOf(t.rows, g.rows);
  const Blocks converted = transposed ? blocksOf(t.rows, g.rows) : blocksOf(t.cols, g.cols);
  const int64_t cycles = g.inputCycles();
  const int64_t stack = t.slices * t.polarity;
  // The largest block sets the latency; every crossbar reads at once.
  const int64_t maxDriven = driven.full ? driven.size : driven.rest;
  const int64_t maxConverted = converted.full ? converted.size : converted.rest;
  const int64_t passes = cycles * ceilDiv(maxDriven, g.dacsPerCrossbar) *
                         ceilDiv(maxConverted, g.adcsPerCrossbar);
  // Partial sums of slices, ± pairs and blocks along the driven side meet
  // in an adder tree.
  const int64_t partials = stack * (transposed ? t.colBlocks : t.rowBlocks);
  const double tree = std::ceil(std::log2(double(std::max<int64_t>(partials, 1))));
  // The vector's bytes through the tile's buffers and interconnect.
  const double bytes = double(g.inputBits) / 8;
  const double inBytes = double(transposed ? t.cols : t.rows) * bytes;
  const double outBytes = double(transposed ? t.rows : t.cols) * bytes;
  const double perVector = double(passes) * (l.dac_ns + l.xbar_ns + l.adc_ns) +
                           tree * l.digitalPeriod_ns + inBytes * m.inputBufferLatency.value +
                           outBytes * m.outputBufferLatency.value;

  ReramCost cost;
  const int64_t drivenGroups =
      driven.sum([&](int64_t n) { return ceilDiv(n, g.dacsPerCrossbar); });
  const int64_t convertedLines = converted.sum([](int64_t n) { return n; });
  const int64_t drivenLines = driven.sum([](int64_t n) { return n; });
  cost.conversions = vectors * cycles * drivenGroups * convertedLines * stack;
  cost.dacDrives = vectors * cycles * drivenLines * (transposed ? t.rowBlocks : t.colBlocks) * stack;
  cost.cellReads = vectors * cycles * t.rows * t.cols * stack;
  cost.adcEnergy_pJ = double(cost.conversions) * l.conversion_pJ;
  cost.dacEnergy_pJ = double(cost.dacDrives) * l.dacDrive_pJ;
  cost.cellEnergy_pJ = double(cost.cellReads) * l.cellRead_pJ;
  cost.digitalEnergy_pJ = double(cost.conversions) * l.shiftAdd_pJ;
  cost.bufferEnergy_pJ = double(vectors) * (inBytes + outBytes) * m.bufferEnergy.value;
  cost.energy_pJ = cost.adcEnergy_pJ + cost.dacEnergy_pJ + cost.cellEnergy_pJ +
                   cost.digitalEnergy_pJ + cost.bufferEnergy_pJ;
  cost.latency_ns = double(vectors) * perVector;
  return cost;
}

int64_t writePulses(const ReramModel &m, int64_t fromLevel, int64_t toLevel) {
  const double gOff = 1 / m.resistanceHigh.value, gOn = 1 / m.resistanceLow.value;
  const double step = (gOn - gOff) / m.writeLevels.value;
  const double change = std::abs(levelConductance(m, toLevel) - levelConductance(m, fromLevel));
  // Levels land on whole pulses up to rounding; a change of 1e-9 steps is none.
  return int64_t(std::ceil(change / step - 1e-9));
}

double writeEnergy_pJ(const ReramModel &m, int64_t fromLevel, int64_t toLevel) {
  const double mean = (levelConductance(m, fromLevel) + levelConductance(m, toLevel)) / 2;
  const double v = m.writeVoltage.value;
  // V^2 · G · t: W · ns = nJ, hence 1e3 for pJ.
  return double(writePulses(m, fromLevel, toLevel)) * v * v * mean * m.writePulseWidth.value * 1e3;
}

WriteCost writeCostEstimate(const ReramModel &m, const WeightTiling &t) {
  const int64_t top = (int64_t(1) << int64_t(m.cellBits.value)) - 1;
  double pulses = 0, energy = 0;
  for (int64_t level = 0; level <= top; ++level) {
    pulses += double(writePulses(m, 0, level));
    energy += writeEnergy_pJ(m, 0, level);
  }
  const double cells = double(t.cells), levels = double(top + 1);
  WriteCost cost;
  cost.pulses = int64_t(std::llround(pulses / levels * cells));
  cost.energy_pJ = energy / levels * cells;
  // Crossbars program in parallel; a crossbar writes its rows one after
  // another, each as long as its slowest cell (taken to go to the top level).
  const int64_t rows = std::min<int64_t>(t.rows, int64_t(m.xbarRows.value));
  cost.latency_ns = double(rows) * double(writePulses(m, 0, top)) * m.writePulseWidth.value;
  return cost;
}

} // namespace hpt::hw::pim
