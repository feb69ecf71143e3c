//===- CostTest.cpp - the cost model against hand-computed figures --------===//

#include "hardware/Cost.h"

#include "hardware/systolic/Timing.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace hpt;
using namespace hpt::hw;

namespace {

Description shipped() {
  Expected<Description> d = readDescription(HPT_SOURCE_DIR "/configs/atleus-like.json");
  EXPECT_TRUE(d) << d.error();
  return *d;
}

TEST(CostTest, HostChargesItsMeasuredRates) {
  const Description d = shipped();
  // 2 GFLOP at 219 GFLOP/s and 1e6 elements at 0.42 Gelement/s; 10 W active.
  Estimate e = hostEstimate(d.host, 2e9, 1e6);
  const double seconds = 2e9 / 219e9 + 1e6 / 0.42e9;
  EXPECT_NEAR(e.seconds, seconds, 1e-15);
  EXPECT_NEAR(e.energyPj(), 10 * seconds * 1e12, 1e-3);
}

TEST(CostTest, SystolicProductsFollowScaleSimsClosedForm) {
  const Description d = shipped();
  // Wind's Q projection, 57 x 512 by 512 x 512, on a 128 x 32 WS core at
  // 1 GHz: F = ceil(512/128)·ceil(512/32) = 64 folds of T + 2R + C − 2 =
  // 57 + 256 + 30 = 343 cycles; the stream's cycles are F·L (its last
  // cycle's index + 1). Every MAC costs 4.6 pJ.
  systolic::GemmShape q{57, 512, 512};
  Expected<Estimate> e = systolicEstimate(*d.systolic, systolic::PlanSpec(q));
  ASSERT_TRUE(e) << e.error();
  EXPECT_EQ(e->cycles, 64u * 343u);
  EXPECT_EQ(e->cycles,
            systolic::gemmCycles(q, d.systolic->machine()).total + 1);
  EXPECT_DOUBLE_EQ(e->seconds, 64 * 343 * 1e-9);
  ASSERT_EQ(std::string(e->energy[0].first), "mac");
  EXPECT_NEAR(e->energy[0].second, 57.0 * 512 * 512 * 4.6, 1e-3);
  // A 57 x 512 relu is one pass of the vector unit, 57 · ceil(512/32)
  // cycles, and a visit per element at 4.6 pJ.
  Expected<Estimate> relu =
      systolicEstimate(*d.systolic, systolic::PlanSpec(systolic::VectorShape{
                                        systolic::VectorOp::Relu, 57, 512, 0}));
  ASSERT_TRUE(relu) << relu.error();
  EXPECT_EQ(relu->cycles, 57u * 16u);
  EXPECT_NEAR(relu->energy[3].second, 57.0 * 512 * 4.6, 1e-6);
}

TEST(CostTest, ReramReadsAreTheDevicesReadCostWithEveryComponent) {
  const Description d = shipped();
  // 512 x 512 on 128 x 128 crossbars: 4 x 4 blocks; 57 vectors forward.
  Expected<Estimate> e = reramReadEstimate(*d.reram, 512, 512, 57, false, "wq");
  ASSERT_TRUE(e) << e.error();
  Expected<pim::WeightTiling> tiling =
      pim::tileWeight(pim::geometryOf(*d.reram), 512, 512, "wq");
  ASSERT_TRUE(tiling) << tiling.error();
  EXPECT_EQ(tiling->rowBlocks, 4);
  const pim::ReramCost read = pim::readCost(*d.reram, *tiling, 57, false);
  EXPECT_DOUBLE_EQ(e->seconds, read.latency_ns * 1e-9);
  // The components add up to the model's total (buffers included).
  EXPECT_NEAR(e->energyPj(), read.energy_pJ, 1e-9 * read.energy_pJ);
  Expected<Estimate> write = reramWriteEstimate(*d.reram, 512, 512, "wq");
  ASSERT_TRUE(write) << write.error();
  EXPECT_GT(write->energyPj(), 0);
  EXPECT_GT(write->seconds, 0);
}

TEST(CostTest, GpuIsTheRoofline) {
  const Description d = shipped();
  gpu::Work product{2.0 * 57 * 512 * 512, true, 4.0 * (57 * 512 * 2 + 512 * 512), 1};
  Estimate e = gpuEstimate(*d.gpu, product);
  EXPECT_NEAR(e.seconds, 5e-6 + product.flops / (19.5e12 * 0.7), 1e-15);
  EXPECT_NEAR(e.energyPj(), 400 * e.seconds * 1e12, 1e-6);
}

} // namespace
