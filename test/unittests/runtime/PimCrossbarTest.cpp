//===- PimCrossbarTest.cpp - the functional ReRAM crossbar model ----------===//
//
// The bit-serial product against an integer reference (exact when no column
// can clip), the fast path against the bit-serial walk, each non-ideality's
// sample moments against its analytic mean and variance, and the write
// model's pulse count against its closed form.
//
//===----------------------------------------------------------------------===//

#include "hardware/Description.h"
#include "runtime/core/Archive.h"
#include "runtime/core/Error.h"
#include "runtime/pim/Crossbar.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

using namespace hpt;
using hpt::rt::pim::Nonidealities;
using hpt::rt::pim::ProgrammedWeight;

namespace {

/// The shipped Atleus-like chip, shrunk so that blocks and slices are many.
hw::pim::ReramModel smallChip(int64_t xbar, int64_t cellBits, int64_t dacBits, int64_t adcBits,
                              bool differential = true, int64_t weightBits = 8,
                              int64_t inputBits = 8) {
  hw::Expected<hw::Description> d =
      hw::readDescription(std::string(HPT_SOURCE_DIR) + "/configs/atleus-like.json");
  EXPECT_TRUE(d) << d.error();
  hw::pim::ReramModel m = *d->reram;
  m.xbarRows.value = m.xbarCols.value = m.subarrayRows.value = double(xbar);
  m.dacsPerSubarray.value = m.adcsPerSubarray.value = double(xbar);
  m.cellBits.value = double(cellBits);
  m.dacBits.value = double(dacBits);
  m.adcBits.value = double(adcBits);
  m.crossbarsPerWeight.value = differential ? 2 : 1;
  m.weightBits.value = double(weightBits);
  m.inputBits.value = double(inputBits);
  return m;
}

std::vector<float> randomMatrix(int64_t n, uint32_t seed) {
  std::mt19937 gen(seed);
  std::uniform_real_distribution<float> u(-1.0f, 1.0f);
  std::vector<float> v(static_cast<size_t>(n));
  for (float &x : v)
    x = u(gen);
  return v;
}

std::vector<int32_t> randomInputs(int64_t n, int64_t bits, uint32_t seed) {
  std::mt19937 gen(seed);
  const int32_t top = (1 << (bits - 1)) - 1;
  std::uniform_int_distribution<int32_t> u(-top, top);
  std::vector<int32_t> v(static_cast<size_t>(n));
  for (int32_t &x : v)
    x = u(gen);
  return v;
}

/// q·W_q or q·W_qᵀ in 64-bit integers.
std::vector<int64_t> reference(const std::vector<int32_t> &q, const std::vector<int32_t> &wq,
                               int64_t m, int64_t rows, int64_t cols, bool transposed) {
  const int64_t in = transposed ? cols : rows, out = transposed ? rows : cols;
  std::vector<int64_t> y(size_t(m * out), 0);
  for (int64_t r = 0; r < m; ++r)
    for (int64_t i = 0; i < in; ++i)
      for (int64_t o = 0; o < out; ++o)
        y[r * out + o] += int64_t(q[r * in + i]) *
                          int64_t(transposed ? wq[o * cols + i] : wq[i * cols + o]);
  return y;
}

struct Shape {
  int64_t xbar, cellBits, dacBits;
  bool differential;
};

} // namespace

TEST(PimCrossbar, BitSerialEqualsTheIntegerProductWhenNoColumnClips) {
  const int64_t rows = 40, cols = 37, m = 5;
  for (const Shape &s : {Shape{16, 2, 1, true}, Shape{16, 1, 2, true}, Shape{8, 3, 1, false},
                         Shape{32, 2, 4, false}}) {
    hw::pim::CrossbarGeometry g;
    g.rows = s.xbar;
    g.cellBits = s.cellBits;
    g.dacBits = s.dacBits;
    // ⌈log2(rows·(2^cell−1)·(2^dac−1) + 1)⌉, worked out independently.
    const int64_t lossless = int64_t(std::ceil(
        std::log2(double(s.xbar) * ((1 << s.cellBits) - 1) * ((1 << s.dacBits) - 1) + 1)));
    EXPECT_EQ(g.losslessAdcBits(s.xbar), lossless);
    Nonidealities exact;
    exact.bitSerialOnly = true;
    const std::vector<float> w = randomMatrix(rows * cols, 7);
    ProgrammedWeight weight(smallChip(s.xbar, s.cellBits, s.dacBits, lossless, s.differential), w.data(),
                            rows, cols, exact, "w");
    for (bool transposed : {false, true}) {
      const int64_t in = transposed ? cols : rows, out = transposed ? rows : cols;
      const std::vector<int32_t> q = randomInputs(m * in, 8, 11);
      std::vector<double> got(size_t(m * out));
      rt::pim::ReadStats stats;
      weight.integerProduct(q.data(), m, transposed, got.data(), &stats);
      const std::vector<int64_t> want = reference(q, weight.quantised(), m, rows, cols, transposed);
      for (size_t i = 0; i < want.size(); ++i)
        ASSERT_EQ(got[i], double(want[i])) << "xbar " << s.xbar << " cell " << s.cellBits
                                           << " dac " << s.dacBits << " transposed " << transposed
                                           << " at " << i;
      EXPECT_EQ(stats.clipped, 0);
      EXPECT_GT(stats.conversions, 0);
    }
  }
}

TEST(PimCrossbar, FastPathIsTheBitSerialResult) {
  const int64_t rows = 300, cols = 70, m = 9;
  const std::vector<float> w = randomMatrix(rows * cols, 3);
  const hw::pim::ReramModel chip = smallChip(128, 2, 1, 9);
  Nonidealities fast, walked;
  walked.bitSerialOnly = true;
  ProgrammedWeight a(chip, w.data(), rows, cols, fast, "w"), b(chip, w.data(), rows, cols, walked, "w");
  ASSERT_TRUE(a.exact());
  const std::vector<float> x = randomMatrix(m * rows, 5);
  std::vector<float> ya(size_t(m * cols)), yb(size_t(m * cols));
  a.forward(x.data(), m, ya.data());
  b.forward(x.data(), m, yb.data());
  EXPECT_EQ(ya, yb);
  // And it approximates the float product within the quantisation bound:
  // per output |Δ| ≤ Σ_k (|x|·e_w + |w|·e_x + e_x·e_w) with e = scale / 2.
  double worst = 0;
  for (int64_t r = 0; r < m; ++r)
    for (int64_t n = 0; n < cols; ++n) {
      double exact = 0, bound = 0, xMax = 0;
      for (int64_t k = 0; k < rows; ++k)
        xMax = std::max(xMax, double(std::abs(x[r * rows + k])));
      const double ex = xMax / 127 / 2, ew = double(a.weightScale()) / 2;
      for (int64_t k = 0; k < rows; ++k) {
        exact += double(x[r * rows + k]) * double(w[k * cols + n]);
        bound += std::abs(x[r * rows + k]) * ew + std::abs(w[k * cols + n]) * ex + ex * ew;
      }
      EXPECT_LE(std::abs(double(ya[r * cols + n]) - exact), bound * (1 + 1e-5) + 1e-6);
      worst = std::max(worst, std::abs(double(ya[r * cols + n]) - exact) / bound);
    }
  EXPECT_LT(worst, 1.0);
}

TEST(PimCrossbar, TooFewAdcBitsQuantiseAndANarrowRangeClips) {
  const int64_t rows = 64, cols = 16, m = 4;
  const std::vector<float> w = randomMatrix(rows * cols, 9);
  const std::vector<int32_t> q = randomInputs(m * rows, 8, 13);
  Nonidealities coarse;
  ProgrammedWeight five(smallChip(64, 2, 1, 5), w.data(), rows, cols, coarse, "w");
  EXPECT_FALSE(five.exact());
  std::vector<double> got(size_t(m * cols));
  five.integerProduct(q.data(), m, false, got.data());
  const std::vector<int64_t> want = reference(q, five.quantised(), m, rows, cols, false);
  bool differs = false;
  for (size_t i = 0; i < want.size(); ++i)
    differs |= got[i] != double(want[i]);
  EXPECT_TRUE(differs);
  Nonidealities narrow;
  narrow.adcRange = 0.05;
  ProgrammedWeight clipping(smallChip(64, 2, 1, 8), w.data(), rows, cols, narrow, "w");
  rt::pim::ReadStats stats;
  clipping.integerProduct(q.data(), m, false, got.data(), &stats);
  EXPECT_GT(stats.clipped, 0);
  Nonidealities wrong;
  wrong.adcRange = 1.5;
  EXPECT_THROW(ProgrammedWeight(smallChip(64, 2, 1, 8), w.data(), rows, cols, wrong, "w"),
               rt::Error);
}

namespace {

/// Every weight at +85 = 0b1010101, so 2-bit cells all hold level 1 of 3;
/// checks the programmed levels' sample mean and variance against 0 and
/// (sigma levels)².
void expectProgrammedLevelMoments(const Nonidealities &noise, double programmingNoise,
                                  double sigma) {
  const int64_t rows = 100, cols = 100;
  std::vector<float> w(size_t(rows * cols), 85.0f);
  w[0] = 127.0f; // sets the scale so that 85 quantises to 85
  hw::pim::ReramModel chip = smallChip(128, 2, 1, 8);
  chip.programmingNoise.value = programmingNoise;
  ProgrammedWeight weight(chip, w.data(), rows, cols, noise, "w");
  double sum = 0, squares = 0;
  int64_t n = 0;
  for (int64_t s = 0; s < 4; ++s)
    for (int64_t k = 0; k < rows; ++k)
      for (int64_t c = 0; c < cols; ++c) {
        if (k == 0 && c == 0)
          continue;
        const double e = weight.programmedLevel(s, 0, k, c) - 1.0;
        sum += e;
        squares += e * e;
        ++n;
      }
  const double mean = sum / double(n), variance = squares / double(n) - mean * mean;
  EXPECT_LT(std::abs(mean), 4 * sigma / std::sqrt(double(n)));
  EXPECT_LT(std::abs(variance - sigma * sigma), 4 * sigma * sigma * std::sqrt(2.0 / double(n)));
}

} // namespace

TEST(PimCrossbar, ProgrammingNoiseHasItsMeanAndVariance) {
  Nonidealities noisy;
  noisy.programmingNoise = true;
  noisy.seed = 42;
  expectProgrammedLevelMoments(noisy, 0.05, 0.05 * 3); // a fraction of the 3-level range
}

TEST(PimCrossbar, PcmProgrammingNoiseFollowsAihwkitsPolynomial) {
  // AIHWKit's PCMLikeNoiseModel: σ_prog = 0.26348 + 1.9650 ĝ − 1.1731 ĝ² µS
  // at ĝ = 1/3 of g_max = 25 µS: 0.788136 µS, 0.0315254 of the range.
  Nonidealities pcm;
  pcm.programmingNoise = true;
  pcm.pcmPreset = true;
  pcm.seed = 7;
  expectProgrammedLevelMoments(pcm, 0.05, 0.788136 / 25 * 3);
}

TEST(PimCrossbar, StuckCellsHaveTheirFraction) {
  const int64_t rows = 100, cols = 100;
  std::vector<float> w(size_t(rows * cols), 1.0f); // +127: every magnitude level at the top
  hw::pim::ReramModel chip = smallChip(128, 1, 1, 8);
  chip.stuckOff.value = 0.05;
  chip.stuckOn.value = 0.02;
  Nonidealities stuck;
  stuck.stuckCells = true;
  stuck.seed = 3;
  ProgrammedWeight weight(chip, w.data(), rows, cols, stuck, "w");
  // + crossbars: targets 1 (stuck off shows); − crossbars: targets 0 (stuck on shows).
  int64_t off = 0, on = 0, n = 0;
  for (int64_t s = 0; s < 7; ++s)
    for (int64_t k = 0; k < rows; ++k)
      for (int64_t c = 0; c < cols; ++c, ++n) {
        off += weight.programmedLevel(s, 0, k, c) == 0;
        on += weight.programmedLevel(s, 1, k, c) == 1;
      }
  for (auto [count, p] : {std::pair{off, 0.05}, {on, 0.02}}) {
    const double sd = std::sqrt(p * (1 - p) / double(n));
    EXPECT_LT(std::abs(double(count) / double(n) - p), 4 * sd) << p;
  }
}

TEST(PimCrossbar, NoisyLevelsReadAsTheirAnalogSumUpToTheAdcRounding) {
  // Programming noise and stuck cells make the levels fractional. One
  // magnitude bit in 1-bit cells and 2-bit inputs through a 2-bit DAC: one
  // slice and one cycle, so an output is code(S⁺) − code(S⁻) − 2·colsum(W_q)
  // with S± = Σ u·level over a block. A lossless ADC (step 1) only rounds
  // each S: every output is within a code (two half codes, plus the fixed
  // point's 2^-k of a level per cell) of the analog product of the
  // programmed levels, and the rounding is unbiased over many outputs.
  // Weights of one sign, so that a read's scale errors cannot cancel.
  const int64_t rows = 64, cols = 40, m = 50;
  std::vector<float> w = randomMatrix(rows * cols, 21);
  for (float &v : w)
    v = std::abs(v);
  hw::pim::ReramModel chip = smallChip(64, 1, 2, 10, true, 2, 2);
  // Noise wide enough that each S's fraction is about uniform.
  chip.programmingNoise.value = 0.3;
  chip.stuckOff.value = chip.stuckOn.value = 0.01;
  Nonidealities noisy;
  noisy.programmingNoise = noisy.stuckCells = true;
  ProgrammedWeight weight(chip, w.data(), rows, cols, noisy, "w");
  const std::vector<int32_t> q = randomInputs(m * rows, 2, 22);
  std::vector<double> y(size_t(m * cols));
  weight.integerProduct(q.data(), m, false, y.data());
  // Full scale 64·1·3 = 192 < 2^24 / 2^16: levels in units of 2^-16.
  const double bound = 1 + 2 * double(rows) * 3 * std::pow(2.0, -17);
  double errorSum = 0;
  for (int64_t r = 0; r < m; ++r)
    for (int64_t o = 0; o < cols; ++o) {
      double analog = 0;
      for (int64_t k = 0; k < rows; ++k)
        analog += double(q[r * rows + k] + 2) *
                      (weight.programmedLevel(0, 0, k, o) - weight.programmedLevel(0, 1, k, o)) -
                  2.0 * double(weight.quantised()[k * cols + o]);
      const double error = y[r * cols + o] - analog;
      EXPECT_LE(std::abs(error), bound) << r << ", " << o;
      errorSum += error;
    }
  const double n = double(m * cols);
  EXPECT_LT(std::abs(errorSum / n), 4 * std::sqrt(2.0 / 12 / n));
}

TEST(PimCrossbar, ReadNoiseHasItsMeanAndVariance) {
  // One magnitude bit in 1-bit cells, 2-bit inputs through a 2-bit DAC: one
  // slice, one cycle, so y = code(S⁺) − code(S⁻) − offset with
  // S± ~ N(exact, (σ·Σu²)) rounded by a 1-level ADC step.
  const int64_t rows = 64, cols = 1;
  std::vector<float> w(size_t(rows), 1.0f);
  for (int64_t k = 0; k < rows; k += 2)
    w[k] = -1.0f;
  hw::pim::ReramModel chip = smallChip(64, 1, 2, 10, true, 2, 2);
  chip.readNoise.value = 1.5;
  Nonidealities noisy;
  noisy.readNoise = true;
  ProgrammedWeight weight(chip, w.data(), rows, cols, noisy, "w");
  std::vector<int32_t> q(size_t(rows), 1); // u = 1 + 2 = 3 on every row
  const double exact = double(reference(q, weight.quantised(), 1, rows, cols, false)[0]);
  const double sigmaS = 1.5 * 1 * std::sqrt(double(rows) * 9.0); // σ · range · sqrt(Σ u²)
  const double variance = 2 * sigmaS * sigmaS + 2.0 / 12;         // two reads, two roundings
  const int n = 4000;
  double sum = 0, squares = 0;
  for (int i = 0; i < n; ++i) {
    double y;
    weight.integerProduct(q.data(), 1, false, &y);
    sum += y - exact;
    squares += (y - exact) * (y - exact);
  }
  const double mean = sum / n, var = squares / n - mean * mean;
  EXPECT_LT(std::abs(mean), 4 * std::sqrt(variance / n));
  EXPECT_LT(std::abs(var - variance), 4 * variance * std::sqrt(2.0 / n));
}

TEST(PimCrossbar, DriftExponentsFollowThePcmPreset) {
  // ν ~ |N(μ, σ)| at ĝ = 1: μ = clip(0.0244, 0.049, 0.1) = 0.049,
  // σ = clip(−0.0059, 0.008, 0.045) = 0.008; the folded normal's mean.
  const int64_t rows = 100, cols = 100;
  std::vector<float> w(size_t(rows * cols), 1.0f);
  hw::pim::ReramModel chip = smallChip(128, 1, 1, 8);
  Nonidealities pcm;
  pcm.drift = pcm.pcmPreset = true;
  ProgrammedWeight weight(chip, w.data(), rows, cols, pcm, "w");
  const double mu = 0.049, sigma = 0.008;
  const double folded = sigma * std::sqrt(2 / M_PI) * std::exp(-mu * mu / (2 * sigma * sigma)) +
                        mu * (1 - std::erfc(mu / sigma / std::sqrt(2.0)));
  double sum = 0, squares = 0;
  int64_t n = 0;
  for (int64_t k = 0; k < rows; ++k)
    for (int64_t c = 0; c < cols; ++c, ++n) {
      const double nu = weight.driftExponent(0, 0, k, c);
      sum += nu;
      squares += nu * nu;
    }
  const double mean = sum / double(n);
  const double second = mu * mu + sigma * sigma; // E[ν²] is the unfolded one
  EXPECT_LT(std::abs(mean - folded), 4 * sigma / std::sqrt(double(n)));
  EXPECT_LT(std::abs(squares / double(n) - second), 4 * 2 * mu * sigma / std::sqrt(double(n)));
}

TEST(PimCrossbar, DriftScalesTheReadByItsFactor) {
  // Levels decay as (t/t0)^−ν: after 10 t0 with ν = 0.1 a read of the +
  // crossbars alone (all weights positive) is 10^−0.1 of the fresh one, up
  // to the ADC's rounding.
  const int64_t rows = 128, cols = 4;
  std::vector<float> w(size_t(rows * cols), 1.0f);
  hw::pim::ReramModel chip = smallChip(128, 1, 1, 12);
  chip.driftExponent.value = 0.1;
  chip.driftReference.value = 20;
  Nonidealities drift;
  drift.drift = true;
  ProgrammedWeight weight(chip, w.data(), rows, cols, drift, "w");
  std::vector<int32_t> q(size_t(rows), 127);
  double fresh[4], aged[4];
  weight.integerProduct(q.data(), 1, false, fresh);
  weight.setElapsed(200);
  weight.integerProduct(q.data(), 1, false, aged);
  // y = S⁺·2^... − offset·colsum: undo the offset, compare the crossbar part.
  // Every input bit is 1 (u = 255), so each conversion reads S = 128 fresh
  // and 128·10^−0.1 aged, rounded: off by at most half a step in 128.
  const double offset = 128.0 * double(rows) * 127;
  for (int c = 0; c < 4; ++c)
    EXPECT_NEAR((aged[c] + offset) / (fresh[c] + offset), std::pow(10.0, -0.1), 0.5 / 128);
}

TEST(PimCrossbar, WritePulsesFollowTheNeuroSimModel) {
  // 2-bit cells, 97 write levels: level ℓ of 3 takes ⌈ℓ/3·97⌉ pulses from
  // the off state.
  const int64_t rows = 20, cols = 30;
  const std::vector<float> w = randomMatrix(rows * cols, 17);
  const hw::pim::ReramModel chip = smallChip(128, 2, 1, 8);
  ASSERT_EQ(chip.writeLevels.value, 97);
  ProgrammedWeight weight(chip, w.data(), rows, cols, Nonidealities{}, "w");
  int64_t want = 0;
  const int64_t perLevel[4] = {0, 33, 65, 97};
  for (int64_t s = 0; s < weight.tiling().slices; ++s)
    for (int64_t p = 0; p < 2; ++p)
      for (int64_t k = 0; k < rows; ++k)
        for (int64_t c = 0; c < cols; ++c)
          want += perLevel[int64_t(weight.programmedLevel(s, p, k, c))];
  EXPECT_EQ(weight.pulses(), want);
  EXPECT_GT(weight.writeEnergy_pJ(), 0);
}

TEST(PimCrossbar, RewritesCountEventsAndRespectTheEndurance) {
  const int64_t rows = 16, cols = 16;
  hw::pim::ReramModel chip = smallChip(16, 2, 1, 8);
  const std::vector<float> first = randomMatrix(rows * cols, 1), second = randomMatrix(rows * cols, 2);
  ProgrammedWeight weight(chip, rows, cols, Nonidealities{}, "w");
  const rt::pim::WriteResult a = weight.write(first.data(), 1, true, "w");
  EXPECT_EQ(a.beyondEndurance, 0);
  EXPECT_EQ(a.pulses, weight.pulses());
  // A second write of other values would take changed cells to 2 events.
  const std::vector<uint32_t> before = weight.cellEvents();
  try {
    weight.write(second.data(), 1, true, "weight 'w'");
    ADD_FAILURE() << "a write past the endurance was not refused";
  } catch (const rt::Error &e) {
    EXPECT_NE(std::string(e.what()).find("weight 'w': writing it again would take"),
              std::string::npos)
        << e.what();
  }
  EXPECT_EQ(weight.cellEvents(), before); // refused before anything changed
  // Warn mode writes and counts: pulses from each cell's old level to its new.
  std::vector<double> oldLevels;
  for (int64_t s = 0; s < weight.tiling().slices; ++s)
    for (int64_t p = 0; p < 2; ++p)
      for (int64_t k = 0; k < rows; ++k)
        for (int64_t c = 0; c < cols; ++c)
          oldLevels.push_back(weight.programmedLevel(s, p, k, c));
  const rt::pim::WriteResult b = weight.write(second.data(), 1, false, "w");
  int64_t pulses = 0, changed = 0;
  size_t i = 0;
  for (int64_t s = 0; s < weight.tiling().slices; ++s)
    for (int64_t p = 0; p < 2; ++p)
      for (int64_t k = 0; k < rows; ++k)
        for (int64_t c = 0; c < cols; ++c, ++i) {
          const int64_t from = int64_t(oldLevels[i]), to = int64_t(weight.programmedLevel(s, p, k, c));
          pulses += hw::pim::writePulses(chip, from, to);
          changed += from != to;
        }
  EXPECT_EQ(b.pulses, pulses);
  EXPECT_EQ(b.cells, changed);
  EXPECT_GT(b.beyondEndurance, 0);
  int64_t twice = 0;
  for (uint32_t e : weight.cellEvents())
    twice += e == 2;
  EXPECT_EQ(twice, b.beyondEndurance);
}

TEST(PimCrossbar, SavedStateRestoresTheSameReads) {
  const int64_t rows = 40, cols = 24, m = 3;
  hw::pim::ReramModel chip = smallChip(16, 2, 1, 6);
  chip.programmingNoise.value = 0.02;
  chip.readNoise.value = 0.01;
  Nonidealities noisy;
  noisy.programmingNoise = noisy.readNoise = noisy.stuckCells = true;
  const std::vector<float> w = randomMatrix(rows * cols, 4), x = randomMatrix(m * rows, 5);
  ProgrammedWeight weight(chip, w.data(), rows, cols, noisy, "w");
  std::vector<float> warmup(size_t(m * cols));
  weight.forward(x.data(), m, warmup.data()); // moves the read-noise stream on
  rt::Archive archive;
  weight.save(archive, "reram:w");
  ProgrammedWeight restored(chip, rows, cols, noisy, "w");
  restored.restore(archive, "reram:w", "ck");
  std::vector<float> a(size_t(m * cols)), b(size_t(m * cols));
  weight.forward(x.data(), m, a.data());
  restored.forward(x.data(), m, b.data());
  EXPECT_EQ(a, b);
  EXPECT_EQ(weight.cellEvents(), restored.cellEvents());
  EXPECT_EQ(weight.cellPulseCounts(), restored.cellPulseCounts());
  EXPECT_EQ(weight.pulses(), restored.pulses());
  // A state of another shape is refused by name.
  ProgrammedWeight other(chip, rows + 1, cols, noisy, "w");
  EXPECT_THROW(other.restore(archive, "reram:w", "ck"), rt::Error);
}

TEST(PimCrossbar, AdcErrorBoundHoldsAndVanishesWhenLossless) {
  const int64_t rows = 32, cols = 20, m = 6;
  const std::vector<float> w = randomMatrix(rows * cols, 21);
  const std::vector<int32_t> q = randomInputs(m * rows, 8, 22);
  // 16-row crossbars of 2-bit cells, 1-bit DAC: a column sums up to 48, so
  // 6 ADC bits are lossless and 5 round to steps of 2.
  ProgrammedWeight lossless(smallChip(16, 2, 1, 6), w.data(), rows, cols, Nonidealities{}, "w");
  EXPECT_EQ(lossless.adcErrorBound(false), 0);
  ProgrammedWeight rounding(smallChip(16, 2, 1, 5), w.data(), rows, cols, Nonidealities{}, "w");
  // Two blocks, each conversion off by at most 1, weighted by
  // Σ_cycles 2^c (255) · Σ_slices 4^s (1 + 4 + 16 + 64) · 2 crossbars.
  EXPECT_EQ(rounding.adcErrorBound(false), 2.0 * 1 * 255 * 85 * 2);
  std::vector<double> got(size_t(m * cols));
  rounding.integerProduct(q.data(), m, false, got.data());
  const std::vector<int64_t> want = reference(q, rounding.quantised(), m, rows, cols, false);
  double worst = 0;
  for (size_t i = 0; i < want.size(); ++i)
    worst = std::max(worst, std::abs(got[i] - double(want[i])));
  EXPECT_GT(worst, 0);
  EXPECT_LE(worst, rounding.adcErrorBound(false));
}
