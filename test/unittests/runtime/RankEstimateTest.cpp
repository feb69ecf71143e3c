//===- RankEstimateTest.cpp - LoRA rank from the intrinsic dimension -----===//

#include "runtime/core/Error.h"
#include "runtime/core/RankEstimate.h"

#include "gtest/gtest.h"

#include <cmath>
#include <random>

using namespace hpt::rt;

namespace {
/// `count` orthonormal vectors of length n (Gram-Schmidt on Gaussian ones).
std::vector<std::vector<double>> orthonormal(int64_t n, int64_t count, std::mt19937_64 &rng) {
  std::normal_distribution<double> normal;
  std::vector<std::vector<double>> basis;
  while (static_cast<int64_t>(basis.size()) < count) {
    std::vector<double> v(n);
    for (double &x : v)
      x = normal(rng);
    for (const std::vector<double> &b : basis) {
      double dot = 0;
      for (int64_t i = 0; i < n; ++i)
        dot += v[i] * b[i];
      for (int64_t i = 0; i < n; ++i)
        v[i] -= dot * b[i];
    }
    double norm = 0;
    for (double x : v)
      norm += x * x;
    for (double &x : v)
      x /= std::sqrt(norm);
    basis.push_back(v);
  }
  return basis;
}

/// U·Vᵀ for k orthonormal columns each (k singular values of 1, energy k)
/// plus Gaussian noise holding `noiseShare` of the total energy.
std::vector<float> plantedRank(int64_t rows, int64_t cols, int64_t k, double noiseShare,
                               uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> normal;
  std::vector<std::vector<double>> u = orthonormal(rows, k, rng), v = orthonormal(cols, k, rng);
  double sigma = std::sqrt(k * noiseShare / (1 - noiseShare) / double(rows * cols));
  std::vector<float> m(rows * cols);
  for (int64_t i = 0; i < rows; ++i)
    for (int64_t j = 0; j < cols; ++j) {
      double x = sigma * normal(rng);
      for (int64_t r = 0; r < k; ++r)
        x += u[r][i] * v[r][j];
      m[i * cols + j] = static_cast<float>(x);
    }
  return m;
}
} // namespace

TEST(RankEstimate, SingularValuesOfAKnownMatrix) {
  // [[3, 0], [4, 5]] has singular values sqrt(45) and sqrt(5) (A^T A = [[25, 20], [20, 25]]).
  const float m[] = {3, 0, 4, 5};
  std::vector<double> s = singularValues(m, 2, 2);
  ASSERT_EQ(s.size(), 2u);
  EXPECT_NEAR(s[0], std::sqrt(45.0), 1e-12);
  EXPECT_NEAR(s[1], std::sqrt(5.0), 1e-12);
  // Non-square, both orientations: a rank-1 outer product u v^T has |u||v|.
  const float wide[] = {1, 2, 3, 2, 4, 6}; // [1 2]^T [1 2 3]
  const float tall[] = {1, 2, 2, 4, 3, 6}; // its transpose
  EXPECT_NEAR(singularValues(wide, 2, 3)[0], std::sqrt(5.0 * 14.0), 1e-12);
  EXPECT_NEAR(singularValues(tall, 3, 2)[0], std::sqrt(5.0 * 14.0), 1e-12);
  EXPECT_NEAR(singularValues(tall, 3, 2)[1], 0.0, 1e-6);
}

TEST(RankEstimate, RecoversPlantedRanksUnderNoise) {
  // 90 % of the energy: k equal singular values need all k while k <= 9
  // (the largest k - 1 hold (k - 1) / k of the 98 % that is not noise).
  for (int64_t k : {1, 3, 6, 9}) {
    std::vector<float> m = plantedRank(96, 64, k, 0.02, 100 + k);
    EXPECT_EQ(energyRank(singularValues(m.data(), 96, 64), 0.9), k) << "planted rank " << k;
  }
  // A 512 x 512 projection update, the size of HpT's Q and V targets.
  std::vector<float> q = plantedRank(512, 512, 5, 0.05, 7);
  EXPECT_EQ(energyRank(singularValues(q.data(), 512, 512), 0.9), 5);
}

TEST(RankEstimate, EnergyAndChoice) {
  EXPECT_EQ(energyRank({3, 1}, 0.9), 1);  // 9 of 10
  EXPECT_EQ(energyRank({3, 1}, 0.95), 2);
  EXPECT_EQ(energyRank({0, 0}, 0.9), 0);
  EXPECT_THROW(energyRank({1}, 0), Error);
  const std::vector<int64_t> compiled = {2, 4, 8, 16, 32};
  EXPECT_EQ(chooseRank(0, compiled), 2);
  EXPECT_EQ(chooseRank(5, compiled), 8);
  EXPECT_EQ(chooseRank(8, compiled), 8);
  EXPECT_EQ(chooseRank(100, compiled), 32);
}
