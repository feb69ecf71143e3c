//===- ReramDeviceTest.cpp - the ReRAM device's writes and wear -----------===//
//
// The device writes a weight once and then only reads it; a changed
// parameter is written again, counted per cell against the description's
// endurance, which warns or (--endurance error) refuses before any cell
// changes. The bundle (data/reram-frozen-linear.hptb) places x·Fᵀ, δ·F and
// x·H on reram for frozen parameters F [200 x 300] and H [300 x 40].
//
//===----------------------------------------------------------------------===//

#include "runtime/core/Bundle.h"
#include "runtime/core/Error.h"
#include "runtime/pim/ReramDevice.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <sstream>

using namespace hpt::rt;
using ::testing::HasSubstr;

namespace {

constexpr size_t kLinear = 1;    // ops[1]: x·Fᵀ, the forward read of F
constexpr size_t kFrozen = 2;    // value 2: F
constexpr size_t kForward = 3;   // value 3: the linear's result

Bundle bundleWithEndurance(double endurance) {
  Bundle bundle =
      loadBundle(HPT_SOURCE_DIR "/test/unittests/runtime/data/reram-frozen-linear.hptb");
  bundle.hardware->reram->endurance.value = endurance;
  return bundle;
}

/// Every value of the bundle's one function, with x and F random.
struct Values {
  std::vector<Shape> shapes;
  std::vector<std::vector<float>> data;
  std::vector<float *> ptr;

  explicit Values(const FunctionSpec &fn) : shapes(valueShapes(fn)) {
    std::mt19937 gen(5);
    std::uniform_real_distribution<float> u(-1, 1);
    for (const Shape &shape : shapes) {
      data.emplace_back(size_t(numElements(shape)));
      for (float &v : data.back())
        v = u(gen);
    }
    for (std::vector<float> &d : data)
      ptr.push_back(d.data());
  }
  OpCost run(ReramDevice &device, const FunctionSpec &fn) {
    return device.run(fn, kLinear, Tensors{ptr, shapes});
  }
};

double energyOf(const OpCost &cost, const std::string &component) {
  double pJ = 0;
  for (const auto &[name, value] : cost.energy)
    pJ += name == component ? value : 0;
  return pJ;
}

TEST(ReramDevice, WritesOnceThenOnlyReads) {
  const Bundle bundle = bundleWithEndurance(1e6);
  std::ostringstream log;
  ReramDevice device(bundle, ReramOptions{}, log);
  const FunctionSpec &fn = bundle.functions[0];
  Values values(fn);

  const OpCost first = values.run(device, fn);
  EXPECT_GT(energyOf(first, "write"), 0);
  const OpCost second = values.run(device, fn);
  EXPECT_EQ(energyOf(second, "write"), 0);
  EXPECT_GT(energyOf(second, "adc"), 0);

  // y = x·Fᵀ up to the chip's quantisation. The Atleus-like chip's 8-bit ADCs
  // round 128-row column sums of up to 384 to a step of 2 (half up): on
  // uniform random data that costs about 10 % of |y| (a numpy model of the
  // scheme gives 10.5 %); a wrong product would be off by ~100 %.
  const std::vector<float> &x = values.data[0], &f = values.data[kFrozen];
  double error = 0, norm = 0;
  for (int64_t m = 0; m < 16; ++m)
    for (int64_t n = 0; n < 200; ++n) {
      double exact = 0;
      for (int64_t k = 0; k < 300; ++k)
        exact += double(x[m * 300 + k]) * double(f[n * 300 + k]);
      const double read = values.data[kForward][m * 200 + n];
      error += (read - exact) * (read - exact);
      norm += exact * exact;
    }
  EXPECT_LT(std::sqrt(error / norm), 0.15);

  const std::vector<ReramWear> wear = device.wear();
  EXPECT_EQ(wear[0].maxEvents, 1u);
  EXPECT_EQ(wear[0].beyondEndurance, 0u);
  EXPECT_EQ(log.str(), "");
}

TEST(ReramDevice, RewritesAChangedWeightAndWarnsPastTheEndurance) {
  const Bundle bundle = bundleWithEndurance(1);
  std::ostringstream log;
  ReramDevice device(bundle, ReramOptions{}, log);
  const FunctionSpec &fn = bundle.functions[0];
  Values values(fn);
  values.run(device, fn);
  for (float &v : values.data[kFrozen])
    v = -v;
  EXPECT_GT(energyOf(values.run(device, fn), "write"), 0);

  const std::vector<ReramWear> wear = device.wear();
  EXPECT_EQ(wear[0].maxEvents, 2u);
  EXPECT_GT(wear[0].beyondEndurance, 0u);
  EXPECT_THAT(log.str(), HasSubstr("weight 'xbar_frozen'"));
  EXPECT_THAT(log.str(), HasSubstr("past their endurance of 1 events"));
}

TEST(ReramDevice, ErrorModeRefusesTheWriteBeforeAnyCellChanges) {
  const Bundle bundle = bundleWithEndurance(1);
  std::ostringstream log;
  ReramOptions options;
  options.endurance = EnduranceMode::Error;
  ReramDevice device(bundle, options, log);
  const FunctionSpec &fn = bundle.functions[0];
  Values values(fn);
  values.run(device, fn);
  const std::vector<float> before = values.data[kForward];
  const std::vector<float> original = values.data[kFrozen];

  for (float &v : values.data[kFrozen])
    v = -v;
  try {
    values.run(device, fn);
    ADD_FAILURE() << "a write past the endurance was not refused";
  } catch (const Error &e) {
    EXPECT_THAT(e.what(), HasSubstr("weight 'xbar_frozen' (parameter 'frozen')"));
    EXPECT_THAT(e.what(), HasSubstr("past their endurance of 1 programming events"));
  }
  // The cells still hold F: reading it again writes nothing and gives the same bits.
  std::copy(original.begin(), original.end(), values.data[kFrozen].begin());
  std::fill(values.data[kForward].begin(), values.data[kForward].end(), 0.0f);
  EXPECT_EQ(energyOf(values.run(device, fn), "write"), 0);
  EXPECT_EQ(values.data[kForward], before);
  EXPECT_EQ(device.wear()[0].maxEvents, 1u);
}

} // namespace
