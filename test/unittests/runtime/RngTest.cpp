//===- RngTest.cpp - Philox4x32-10 and uniform draws ----------------------===//

#include "runtime/host/Rng.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

using namespace hpt::rt;

namespace {

// Random123 known-answer vectors for philox4x32-10 (kat_vectors): counter
// {c0, c1, c2, c3}, key {k0, k1}, result {r0, r1, r2, r3}. Rng.cpp maps
// counterLow = c1:c0, counterHigh = c3:c2, key = k1:k0 (high:low).
struct Kat {
  uint32_t ctr[4];
  uint32_t key[2];
  uint32_t expected[4];
};

const Kat kKats[] = {
    {{0x00000000, 0x00000000, 0x00000000, 0x00000000},
     {0x00000000, 0x00000000},
     {0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8}},
    {{0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff},
     {0xffffffff, 0xffffffff},
     {0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd}},
    {{0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344},
     {0xa4093822, 0x299f31d0},
     {0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1}},
};

uint64_t join(uint32_t low, uint32_t high) {
  return (static_cast<uint64_t>(high) << 32) | low;
}

} // namespace

TEST(RngTest, PhiloxKnownAnswers) {
  for (const Kat &kat : kKats) {
    std::array<uint32_t, 4> r =
        philox4x32(join(kat.key[0], kat.key[1]), join(kat.ctr[2], kat.ctr[3]),
                   join(kat.ctr[0], kat.ctr[1]));
    for (int w = 0; w < 4; ++w)
      EXPECT_EQ(r[w], kat.expected[w]) << "word " << w;
  }
}

TEST(RngTest, Uniform01UsesCounterStreamIndexOver4) {
  const uint64_t seed = 0x0123456789abcdefull;
  const uint64_t streams[] = {0, 7, 0xfedcba9876543210ull};
  // Includes indices whose index/4 crosses the 32-bit boundary of counterLow.
  const uint64_t indices[] = {0, 1, 2, 3, 4, 5, 1001, (1ull << 34) - 1, 1ull << 34,
                              (1ull << 34) + 6, ~0ull};
  for (uint64_t stream : streams)
    for (uint64_t index : indices) {
      std::array<uint32_t, 4> words = philox4x32(seed, stream, index / 4);
      float expected = static_cast<float>(words[index % 4] >> 8) * 0x1p-24f;
      EXPECT_EQ(uniform01(seed, stream, index), expected)
          << "stream " << stream << " index " << index;
    }
  // Key 0 / counter 0 is the first KAT: 0x6627e8d5 >> 8 = 0x6627e8.
  EXPECT_EQ(uniform01(0, 0, 0), static_cast<float>(0x6627e8) / 16777216.0f);
  EXPECT_EQ(uniform01(0, 0, 3), static_cast<float>(0x9b00db) / 16777216.0f);
}

TEST(RngTest, Uniform01RangeAndMoments) {
  const int64_t n = 1000000;
  double sum = 0.0, sumSq = 0.0;
  float lo = 1.0f, hi = 0.0f;
  for (int64_t i = 0; i < n; ++i) {
    float u = uniform01(42, 3, static_cast<uint64_t>(i));
    ASSERT_GE(u, 0.0f);
    ASSERT_LT(u, 1.0f);
    lo = std::min(lo, u);
    hi = std::max(hi, u);
    sum += u;
    sumSq += static_cast<double>(u) * u;
  }
  const double mean = sum / n;
  const double var = sumSq / n - mean * mean;
  // Standard errors: sd(U) = sqrt(1/12); sd(mean estimate of var) uses
  // Var((U - 1/2)^2) = 1/80 - 1/144.
  const double seMean = std::sqrt(1.0 / 12.0 / n);
  const double seVar = std::sqrt((1.0 / 80.0 - 1.0 / 144.0) / n);
  EXPECT_NEAR(mean, 0.5, 5 * seMean);
  EXPECT_NEAR(var, 1.0 / 12.0, 5 * seVar);
  EXPECT_LT(lo, 1e-4f);
  EXPECT_GT(hi, 1.0f - 1e-4f);
}

TEST(RngTest, StreamsAndSeedsDiffer) {
  int sameStream = 0, sameSeed = 0;
  for (uint64_t i = 0; i < 1000; ++i) {
    sameStream += uniform01(5, 0, i) == uniform01(5, 1, i);
    sameSeed += uniform01(5, 0, i) == uniform01(6, 0, i);
  }
  EXPECT_LT(sameStream, 3);
  EXPECT_LT(sameSeed, 3);
  EXPECT_EQ(uniform01(5, 0, 17), uniform01(5, 0, 17));
}

TEST(RngTest, BlocksMatchUniform01AcrossTheCounterWordBoundary) {
  // The vector paths split counterLow into two 32-bit words; a block whose
  // counters cross 2^32 must carry into the high word like the scalar path.
  for (uint64_t firstCounter : {uint64_t{0}, (uint64_t{1} << 32) - 8, (uint64_t{1} << 33) - 3}) {
    float block[64];
    detail::uniformBlock64(7, 3, firstCounter * 4, block);
    for (uint64_t j = 0; j < 64; ++j)
      EXPECT_EQ(block[j], uniform01(7, 3, firstCounter * 4 + j))
          << "counter " << firstCounter << " element " << j;
  }
}

TEST(RngTest, FillUniformMatchesUniform01) {
  for (int64_t count : {0, 1, 3, 63, 64, 65, 1000}) {
    std::vector<float> out(static_cast<size_t>(count) + 1, -7.0f);
    const float low = -0.25f, high = 0.75f;
    fillUniform(out.data(), count, low, high, 99, 12);
    for (int64_t i = 0; i < count; ++i) {
      float expected = low + (high - low) * uniform01(99, 12, static_cast<uint64_t>(i));
      EXPECT_EQ(out[i], expected) << "count " << count << " i " << i;
      EXPECT_GE(out[i], low);
      EXPECT_LT(out[i], high);
    }
    EXPECT_EQ(out[count], -7.0f) << "wrote past the end";
  }
}
