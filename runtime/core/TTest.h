//===- TTest.h - Student's t distribution and the two-sample t-test ------===//
//
// HpT's phase switch compares the per-batch losses of the full model and of
// its LoRA copy over one window with a two-sample Student t-test (equal
// variances, two-sided, alpha 0.01). hpt-run needs no SciPy for it: the
// distribution function is computed here from the regularised incomplete
// beta function,
//   P(|T| > t) = I_{df / (df + t^2)}(df / 2, 1 / 2),
// evaluated with its continued fraction (modified Lentz), as
// scipy.stats.ttest_ind computes its p-value.
//
//===----------------------------------------------------------------------===//

#ifndef HPT_RUNTIME_CORE_TTEST_H
#define HPT_RUNTIME_CORE_TTEST_H

#include <vector>

namespace hpt::rt {

/// I_x(a, b) for a, b > 0 and 0 <= x <= 1 (relative accuracy ~1e-14).
double regularizedIncompleteBeta(double a, double b, double x);

/// P(T <= t) for Student's t distribution with `df` > 0 degrees of freedom.
double studentTCdf(double t, double df);

struct TTest {
  double t = 0;  ///< (mean(a) - mean(b)) / (s_pooled * sqrt(1/n_a + 1/n_b))
  double df = 0; ///< n_a + n_b - 2
  double p = 1;  ///< two-sided: P(|T| >= |t|)
};

/// Two-sample t-test with pooled (equal) variances, as
/// scipy.stats.ttest_ind(a, b, equal_var=True). Needs two samples of at
/// least one value each and three in all; when both variances are zero the
/// test is undefined and p is NaN (SciPy answers the same).
TTest twoSampleTTest(const std::vector<double> &a, const std::vector<double> &b);

} // namespace hpt::rt

#endif // HPT_RUNTIME_CORE_TTEST_H
