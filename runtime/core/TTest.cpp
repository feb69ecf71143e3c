//===- TTest.cpp - Student's t distribution and the two-sample t-test ----===//

#include "runtime/core/TTest.h"

#include "runtime/core/Error.h"

#include <cmath>
#include <limits>

namespace hpt::rt {

namespace {
/// The continued fraction of I_x(a, b) (converges fast for
/// x < (a + 1) / (a + b + 2)), by the modified Lentz method.
double betaContinuedFraction(double a, double b, double x) {
  constexpr double kTiny = 1e-300, kEpsilon = 1e-15;
  constexpr int kMaxTerms = 10000;
  double c = 1, d = 1 - (a + b) * x / (a + 1);
  d = 1 / (std::fabs(d) < kTiny ? kTiny : d);
  double fraction = d;
  for (int m = 1; m <= kMaxTerms; ++m) {
    // The even step d_{2m}, then the odd step d_{2m+1}.
    for (double numerator : {m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m)),
                             -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1))}) {
      d = 1 + numerator * d;
      d = 1 / (std::fabs(d) < kTiny ? kTiny : d);
      c = 1 + numerator / c;
      if (std::fabs(c) < kTiny)
        c = kTiny;
      fraction *= c * d;
    }
    if (std::fabs(c * d - 1) < kEpsilon)
      break;
  }
  return fraction;
}
} // namespace

double regularizedIncompleteBeta(double a, double b, double x) {
  if (!(a > 0) || !(b > 0) || !(x >= 0 && x <= 1))
    throw Error("the incomplete beta function needs a, b > 0 and 0 <= x <= 1");
  if (x == 0 || x == 1)
    return x;
  // x^a (1 - x)^b / (a B(a, b)), in logarithms.
  double front = std::exp(std::lgamma(a + b) - std::lgamma(a) - std::lgamma(b) +
                          a * std::log(x) + b * std::log1p(-x));
  if (x < (a + 1) / (a + b + 2))
    return front * betaContinuedFraction(a, b, x) / a;
  return 1 - front * betaContinuedFraction(b, a, 1 - x) / b;
}

double studentTCdf(double t, double df) {
  if (!(df > 0))
    throw Error("Student's t distribution needs df > 0");
  if (std::isnan(t))
    return t;
  if (std::isinf(t))
    return t > 0 ? 1 : 0;
  double tail = 0.5 * regularizedIncompleteBeta(df / 2, 0.5, df / (df + t * t));
  return t > 0 ? 1 - tail : tail;
}

TTest twoSampleTTest(const std::vector<double> &a, const std::vector<double> &b) {
  const double na = a.size(), nb = b.size();
  if (a.empty() || b.empty() || na + nb < 3)
    throw Error("the two-sample t-test needs values in both samples and three in all");
  auto mean = [](const std::vector<double> &v) {
    double sum = 0;
    for (double x : v)
      sum += x;
    return sum / v.size();
  };
  auto squares = [](const std::vector<double> &v, double m) {
    double sum = 0;
    for (double x : v)
      sum += (x - m) * (x - m);
    return sum;
  };
  const double ma = mean(a), mb = mean(b);
  TTest test;
  test.df = na + nb - 2;
  const double pooled = (squares(a, ma) + squares(b, mb)) / test.df;
  test.t = (ma - mb) / std::sqrt(pooled * (1 / na + 1 / nb));
  test.p = std::isnan(test.t) ? std::numeric_limits<double>::quiet_NaN()
                              : 2 * studentTCdf(-std::fabs(test.t), test.df);
  return test;
}

} // namespace hpt::rt
