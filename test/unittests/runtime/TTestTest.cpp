//===- TTestTest.cpp - Student's t distribution and the t-test -----------===//
//
// Checked against closed forms (df = 1, 2, 4), published two-sided critical
// values, and the Cornish-Fisher expansion of the quantile at HpT's window
// sizes (df = 2W - 2).

#include "runtime/core/Error.h"
#include "runtime/core/TTest.h"

#include "gtest/gtest.h"

#include <cmath>

using namespace hpt::rt;

namespace {
constexpr double kPi = 3.14159265358979323846;

double twoSided(double t, double df) { return 2 * studentTCdf(-std::fabs(t), df); }
} // namespace

TEST(TTest, CdfMatchesClosedForms) {
  for (double t : {-30.0, -4.5, -1.0, -0.3, 0.0, 0.2, 1.7, 6.0, 250.0}) {
    EXPECT_NEAR(studentTCdf(t, 1), 0.5 + std::atan(t) / kPi, 1e-13) << t;
    EXPECT_NEAR(studentTCdf(t, 2), 0.5 + t / (2 * std::sqrt(t * t + 2)), 1e-13) << t;
    double u = t * t / (1 + t * t / 4);
    EXPECT_NEAR(studentTCdf(t, 4),
                0.5 + 0.375 * t / std::sqrt(1 + t * t / 4) * (1 - u / 12), 1e-13)
        << t;
  }
  EXPECT_EQ(studentTCdf(0, 7.5), 0.5);
  EXPECT_EQ(studentTCdf(INFINITY, 3), 1);
  EXPECT_EQ(studentTCdf(-INFINITY, 3), 0);
}

// Two-sided critical values as tables print them (3 decimals): the exact
// value lies within ±0.0005, so alpha lies between the p-values there.
TEST(TTest, PublishedCriticalValues) {
  struct Row {
    double df, alpha, t;
  } rows[] = {{1, 0.05, 12.706}, {1, 0.01, 63.657}, {5, 0.05, 2.571}, {5, 0.01, 4.032},
              {10, 0.01, 3.169}, {30, 0.01, 2.750}, {60, 0.01, 2.660}, {120, 0.01, 2.617},
              {1000, 0.01, 2.581}};
  for (const Row &row : rows) {
    EXPECT_GE(twoSided(row.t - 0.0005, row.df), row.alpha) << row.df;
    EXPECT_LE(twoSided(row.t + 0.0005, row.df), row.alpha) << row.df;
  }
}

// HpT's check windows W (SWE 365, COVID 720, Wind 480, Weather 8000) give
// df = 2W - 2; the Cornish-Fisher expansion of the 0.995 quantile is exact
// to O(df^-3) there.
TEST(TTest, HpTWindowsAtAlphaOnePercent) {
  const double z = 2.5758293035489004; // standard normal 0.995 quantile
  for (double window : {365.0, 720.0, 480.0, 8000.0}) {
    double df = 2 * window - 2;
    double t = z + (z * z * z + z) / (4 * df) +
               (5 * std::pow(z, 5) + 16 * z * z * z + 3 * z) / (96 * df * df) +
               (3 * std::pow(z, 7) + 19 * std::pow(z, 5) + 17 * z * z * z - 15 * z) /
                   (384 * df * df * df);
    EXPECT_NEAR(twoSided(t, df), 0.01, 1e-9) << "df " << df;
  }
}

TEST(TTest, TwoSamplesWithPooledVariance) {
  // means 3 and 6, squares 10 and 40, pooled variance 50/8.
  TTest test = twoSampleTTest({1, 2, 3, 4, 5}, {2, 4, 6, 8, 10});
  EXPECT_DOUBLE_EQ(test.df, 8);
  EXPECT_NEAR(test.t, -3 / std::sqrt(6.25 * 0.4), 1e-14);
  EXPECT_NEAR(test.p, twoSided(test.t, 8), 1e-15);
  // df = 2: the p-value in closed form.
  TTest small = twoSampleTTest({1, 3}, {4, 8});
  double t = (2.0 - 6.0) / std::sqrt((2.0 + 8.0) / 2 * (0.5 + 0.5));
  EXPECT_NEAR(small.t, t, 1e-14);
  EXPECT_NEAR(small.p, 1 - std::fabs(t) / std::sqrt(t * t + 2), 1e-13);
  // Identical constant samples: undefined, as in SciPy.
  EXPECT_TRUE(std::isnan(twoSampleTTest({2, 2}, {2, 2}).p));
  EXPECT_THROW(twoSampleTTest({1}, {}), Error);
  EXPECT_THROW(twoSampleTTest({1}, {2}), Error);
}
