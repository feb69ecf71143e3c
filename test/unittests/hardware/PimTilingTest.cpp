//===- PimTilingTest.cpp - hpt's crossbar tiling and read/write costs -----===//
//
// Counts and costs of hpt's own ReRAM model worked out by hand for the
// shipped Atleus-like chip (128×128 crossbars, 2-bit cells, 8-bit weights
// on ± pairs, 8-bit inputs through 1-bit DACs, 16 ADCs per crossbar).
//
//===----------------------------------------------------------------------===//

#include "hardware/Description.h"
#include "hardware/pim/Tiling.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace hpt::hw;
using namespace hpt::hw::pim;

namespace {

ReramModel atleus() {
  Expected<Description> d = readDescription(std::string(HPT_SOURCE_DIR) + "/configs/atleus-like.json");
  EXPECT_TRUE(d && d->reram) << d.error();
  return *d->reram;
}

} // namespace

TEST(PimTiling, CutsAWeightIntoSlicedBlocks) {
  const ReramModel m = atleus();
  const CrossbarGeometry g = geometryOf(m);
  EXPECT_EQ(g.slices(), 4); // 7 magnitude bits over 2-bit cells
  EXPECT_EQ(g.inputCycles(), 8);
  EXPECT_EQ(g.adcsPerCrossbar, 16);
  // ⌈log2(128·3·1 + 1)⌉ = 9 > the 8-bit ADC: a full column can clip.
  EXPECT_EQ(g.losslessAdcBits(128), 9);
  Expected<WeightTiling> t = tileWeight(g, 300, 200, "w");
  ASSERT_TRUE(t) << t.error();
  EXPECT_EQ(t->rowBlocks, 3);
  EXPECT_EQ(t->colBlocks, 2);
  EXPECT_EQ(t->crossbars, 3 * 2 * 4 * 2);
  EXPECT_EQ(t->pes, 3 * 2 * 4);   // one group per PE: a PE is one slice's ± pair
  EXPECT_EQ(t->tiles, 1);         // 24 PEs of the tile's 48
  EXPECT_EQ(t->cells, 300 * 200 * 4 * 2);
  EXPECT_DOUBLE_EQ(t->utilisation, 300.0 * 200 / (6 * 128 * 128));
  EXPECT_EQ(tileWeight(g, 0, 5, "w").error(), "w: a 0x5 weight has no cell to program");
}

TEST(PimTiling, ReadCostCountsConversionsByHand) {
  const ReramModel m = atleus();
  const CrossbarGeometry g = geometryOf(m);
  const WeightTiling t = *tileWeight(g, 128, 64, "w");
  // One vector: 8 input cycles, one DAC group (128 DACs), 64 columns per
  // crossbar, 8 crossbars (4 slices × ±): 8·64·8 conversions.
  const ReramCost forward = readCost(m, t, 1, false);
  EXPECT_EQ(forward.conversions, 8 * 64 * 8);
  EXPECT_EQ(forward.dacDrives, 8 * 128 * 8);
  EXPECT_EQ(forward.cellReads, 8 * 128 * 64 * 8);
  // ADC choice 2: 8 bits at 1.28 GS/s, 2 mW: (8+2)/1.28 ns, 15.625 pJ each.
  EXPECT_NEAR(forward.adcEnergy_pJ, 8 * 64 * 8 * 2e-3 * (10 / 1.28) * 1e3, 1e-6);
  // Latency: 8 cycles × ⌈64/16⌉ ADC groups of (3 + t_xbar + 7.8125) ns,
  // then a 3-level adder tree over 8 partial sums at 500 MHz.
  const double xbar = m.readLatency.value + 0.001 * (0.0002 * 2 * 2 + 5e-6 * 2 + 4e-14); // 2 KB
  // Then its 128 input and 64 output bytes at 2.5 ns each through the buffers.
  EXPECT_NEAR(forward.latency_ns, 32 * (3 + xbar + 10 / 1.28) + 3 * 2 + (128 + 64) * 2.5, 1e-9);
  // Transposed: the 64 columns are driven, the 128 rows converted.
  const ReramCost back = readCost(m, t, 3, true);
  EXPECT_EQ(back.conversions, 3 * 8 * 128 * 8);
  EXPECT_EQ(back.dacDrives, 3 * 8 * 64 * 8);
}

TEST(PimTiling, WritesFollowTheNeuroSimPulseModel) {
  const ReramModel m = atleus();
  // 97 steps between the off and the on state; 2-bit levels at 0, 1/3, 2/3, 1.
  EXPECT_EQ(writePulses(m, 0, 0), 0);
  EXPECT_EQ(writePulses(m, 0, 1), 33);
  EXPECT_EQ(writePulses(m, 0, 3), 97);
  EXPECT_EQ(writePulses(m, 3, 1), 65);
  // V^2 · t · G_mean per pulse: 1.5 V, 10 ns, G from 1 µS to 100 µS.
  const double gOff = 1e-6, gOn = 1e-4;
  EXPECT_NEAR(writeEnergy_pJ(m, 0, 3), 97 * 2.25 * 10 * (gOff + gOn) / 2 * 1e3, 1e-9);
  const WeightTiling t = *tileWeight(geometryOf(m), 128, 128, "w");
  const WriteCost estimate = writeCostEstimate(m, t);
  EXPECT_EQ(estimate.pulses, std::llround((0 + 33 + 65 + 97) / 4.0 * double(t.cells)));
  EXPECT_NEAR(estimate.latency_ns, 128 * 97 * 10.0, 1e-9);
}
