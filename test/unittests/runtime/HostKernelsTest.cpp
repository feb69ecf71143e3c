//===- HostKernelsTest.cpp - host kernels against double references -------===//
//
// Every kernel is compared with a naive reference written here in double;
// every backward kernel with central finite differences of a double forward.
//
//===----------------------------------------------------------------------===//

#include "runtime/host/Kernels.h"
#include "runtime/host/Rng.h"
#include "test/unittests/RandomFloats.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <numeric>
#include <random>
#include <vector>

using namespace hpt::rt;

namespace {

using Vec = std::vector<float>;
using DVec = std::vector<double>;

Vec randomVec(size_t n, uint32_t seed, float lo = -1.0f, float hi = 1.0f) {
  return hpt::test::randomFloats(n, seed, lo, hi);
}

DVec toDouble(const Vec &v) { return DVec(v.begin(), v.end()); }

/// |a - b| <= atol + rtol * |b| for every element.
void expectClose(const Vec &actual, const DVec &expected, double rtol, double atol,
                 const char *what) {
  ASSERT_EQ(actual.size(), expected.size()) << what;
  for (size_t i = 0; i < actual.size(); ++i)
    ASSERT_NEAR(actual[i], expected[i], atol + rtol * std::fabs(expected[i]))
        << what << " at " << i;
}

/// Central differences of a scalar function f(x) in double.
DVec numericGrad(const std::function<double(const DVec &)> &f, DVec x,
                 double h = 1e-6) {
  DVec g(x.size());
  for (size_t i = 0; i < x.size(); ++i) {
    double saved = x[i];
    x[i] = saved + h;
    double up = f(x);
    x[i] = saved - h;
    double down = f(x);
    x[i] = saved;
    g[i] = (up - down) / (2 * h);
  }
  return g;
}

double dotD(const DVec &a, const DVec &b) {
  double s = 0;
  for (size_t i = 0; i < a.size(); ++i)
    s += a[i] * b[i];
  return s;
}

//===----------------------------------------------------------------------===//
// Double references
//===----------------------------------------------------------------------===//

DVec refMatmul(int64_t batch, bool ta, bool tb, int64_t m, int64_t n, int64_t k,
               const Vec &a, const Vec &b) {
  DVec c(batch * m * n, 0.0);
  for (int64_t p = 0; p < batch; ++p)
    for (int64_t i = 0; i < m; ++i)
      for (int64_t j = 0; j < n; ++j) {
        double s = 0;
        for (int64_t l = 0; l < k; ++l) {
          double av = ta ? a[p * m * k + l * m + i] : a[p * m * k + i * k + l];
          double bv = tb ? b[p * k * n + j * k + l] : b[p * k * n + l * n + j];
          s += av * bv;
        }
        c[p * m * n + i * n + j] = s;
      }
  return c;
}

double geluRef(double x, bool tanhApprox) {
  if (tanhApprox) {
    const double kBeta = std::sqrt(2.0 / M_PI);
    return 0.5 * x * (1.0 + std::tanh(kBeta * (x + 0.044715 * x * x * x)));
  }
  return 0.5 * x * (1.0 + std::erf(x / std::sqrt(2.0)));
}

DVec softmaxRef(const DVec &x, int64_t outer, int64_t axis, int64_t inner) {
  DVec y(x.size());
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t j = 0; j < inner; ++j) {
      auto at = [&](int64_t a) { return (o * axis + a) * inner + j; };
      double mx = -std::numeric_limits<double>::infinity();
      for (int64_t a = 0; a < axis; ++a)
        mx = std::max(mx, x[at(a)]);
      double s = 0;
      for (int64_t a = 0; a < axis; ++a)
        s += std::exp(x[at(a)] - mx);
      for (int64_t a = 0; a < axis; ++a)
        y[at(a)] = std::exp(x[at(a)] - mx) / s;
    }
  return y;
}

DVec layerNormRef(const DVec &x, const DVec &gamma, const DVec &beta, int64_t rows,
                  int64_t d, double eps) {
  DVec y(x.size());
  for (int64_t r = 0; r < rows; ++r) {
    double mean = 0, var = 0;
    for (int64_t j = 0; j < d; ++j)
      mean += x[r * d + j];
    mean /= d;
    for (int64_t j = 0; j < d; ++j)
      var += (x[r * d + j] - mean) * (x[r * d + j] - mean);
    var /= d;
    for (int64_t j = 0; j < d; ++j)
      y[r * d + j] = (x[r * d + j] - mean) / std::sqrt(var + eps) * gamma[j] + beta[j];
  }
  return y;
}

//===----------------------------------------------------------------------===//
// Matrix products
//===----------------------------------------------------------------------===//

TEST(HostKernelsTest, BatchedMatmulAllTransposes) {
  struct Shape {
    int64_t batch, m, n, k;
  };
  for (Shape s : {Shape{3, 5, 7, 4}, Shape{1, 1, 9, 2}, Shape{2, 65, 33, 47}}) {
    Vec a = randomVec(s.batch * s.m * s.k, 1);
    Vec b = randomVec(s.batch * s.k * s.n, 2);
    for (int ta = 0; ta < 2; ++ta)
      for (int tb = 0; tb < 2; ++tb) {
        Vec c(s.batch * s.m * s.n, std::nanf(""));
        batchedMatmul(s.batch, ta, tb, s.m, s.n, s.k, a.data(), b.data(), c.data());
        expectClose(c, refMatmul(s.batch, ta, tb, s.m, s.n, s.k, a, b), 1e-5, 1e-5,
                    "matmul");
      }
  }
}

TEST(HostKernelsTest, LinearForwardWithAndWithoutBias) {
  const int64_t rows = 6, in = 11, out = 5;
  Vec x = randomVec(rows * in, 3), w = randomVec(out * in, 4), bias = randomVec(out, 5);
  DVec ref = refMatmul(1, false, true, rows, out, in, x, w);
  Vec y(rows * out, std::nanf(""));
  linearForward(x.data(), w.data(), nullptr, y.data(), rows, in, out);
  expectClose(y, ref, 1e-5, 1e-6, "linear no bias");
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t j = 0; j < out; ++j)
      ref[r * out + j] += bias[j];
  std::fill(y.begin(), y.end(), std::nanf(""));
  linearForward(x.data(), w.data(), bias.data(), y.data(), rows, in, out);
  expectClose(y, ref, 1e-5, 1e-6, "linear bias");
}

TEST(HostKernelsTest, SumRows) {
  const int64_t rows = 37, cols = 13;
  Vec x = randomVec(rows * cols, 6);
  DVec ref(cols, 0.0);
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t j = 0; j < cols; ++j)
      ref[j] += x[r * cols + j];
  Vec out(cols, std::nanf(""));
  sumRows(x.data(), out.data(), rows, cols);
  expectClose(out, ref, 1e-5, 1e-5, "sumRows");
}

//===----------------------------------------------------------------------===//
// Elementwise
//===----------------------------------------------------------------------===//

TEST(HostKernelsTest, AddScale) {
  const int64_t n = 101;
  Vec a = randomVec(n, 7), b = randomVec(n, 8), out(n);
  add(a.data(), b.data(), out.data(), n);
  for (int64_t i = 0; i < n; ++i)
    EXPECT_EQ(out[i], a[i] + b[i]);
  scale(a.data(), -2.5f, out.data(), n);
  for (int64_t i = 0; i < n; ++i)
    EXPECT_EQ(out[i], -2.5f * a[i]);
}

TEST(HostKernelsTest, Relu) {
  const int64_t n = 200;
  Vec x = randomVec(n, 9), dy = randomVec(n, 10), y(n), dx(n);
  // Keep away from the kink for finite differences.
  for (float &v : x)
    if (std::fabs(v) < 1e-2f)
      v = 0.5f;
  reluForward(x.data(), y.data(), n);
  for (int64_t i = 0; i < n; ++i)
    EXPECT_EQ(y[i], x[i] > 0 ? x[i] : 0.0f);
  reluBackward(dy.data(), x.data(), dx.data(), n);
  DVec dyd = toDouble(dy);
  DVec num = numericGrad(
      [&](const DVec &xs) {
        double s = 0;
        for (size_t i = 0; i < xs.size(); ++i)
          s += dyd[i] * std::max(xs[i], 0.0);
        return s;
      },
      toDouble(x));
  expectClose(dx, num, 1e-6, 1e-6, "relu backward");
}

TEST(HostKernelsTest, GeluForwardBackwardBothForms) {
  const int64_t n = 301; // not a multiple of the vector width
  Vec x = randomVec(n, 11, -5.0f, 5.0f), dy = randomVec(n, 12);
  x[0] = 0.0f;
  x[1] = -12.0f;
  x[2] = 12.0f;
  DVec dyd = toDouble(dy);
  for (bool approx : {false, true}) {
    Vec y(n), dx(n);
    geluForward(x.data(), y.data(), n, approx);
    DVec ref(n);
    for (int64_t i = 0; i < n; ++i)
      ref[i] = geluRef(x[i], approx);
    expectClose(y, ref, 2e-6, 2e-7, approx ? "gelu tanh" : "gelu erf");

    geluBackward(dy.data(), x.data(), dx.data(), n, approx);
    DVec num = numericGrad(
        [&](const DVec &xs) {
          double s = 0;
          for (size_t i = 0; i < xs.size(); ++i)
            s += dyd[i] * geluRef(xs[i], approx);
          return s;
        },
        toDouble(x));
    expectClose(dx, num, 1e-5, 1e-6, approx ? "gelu tanh backward" : "gelu erf backward");
  }
}

TEST(HostKernelsTest, GeluNegativeTailKeepsRelativeAccuracy) {
  // For x << 0 the kernels evaluate x·Φ(x) and x·σ(2k) without the
  // cancellation of 1 + erf / 1 + tanh; compare with cancellation-free double
  // forms of the same functions.
  Vec x;
  for (float v = -9.0f; v <= -2.0f; v += 0.0625f)
    x.push_back(v);
  const int64_t n = static_cast<int64_t>(x.size());
  Vec y(n);
  geluForward(x.data(), y.data(), n, false);
  DVec ref(n);
  for (int64_t i = 0; i < n; ++i)
    ref[i] = 0.5 * x[i] * std::erfc(-x[i] / std::sqrt(2.0));
  expectClose(y, ref, 1e-4, 0.0, "gelu erf tail");
  geluForward(x.data(), y.data(), n, true);
  for (int64_t i = 0; i < n; ++i) {
    double v = x[i], k = std::sqrt(2.0 / M_PI) * (v + 0.044715 * v * v * v);
    ref[i] = v / (1.0 + std::exp(-2.0 * k)); // = 0.5·v·(1 + tanh(k))
  }
  expectClose(y, ref, 1e-4, 0.0, "gelu tanh tail");
}

//===----------------------------------------------------------------------===//
// Dropout
//===----------------------------------------------------------------------===//

TEST(HostKernelsTest, DropoutStatisticsScalingAndDeterminism) {
  const int64_t n = 100000;
  const float p = 0.3f;
  Vec x(n);
  for (int64_t i = 0; i < n; ++i)
    x[i] = 1.0f + static_cast<float>(i % 7) * 0.25f; // never zero
  Vec out(n), again(n), other(n);
  dropout(x.data(), out.data(), n, p, 1234, 5);
  dropout(x.data(), again.data(), n, p, 1234, 5);
  dropout(x.data(), other.data(), n, p, 1234, 6);

  const float keepScale = 1.0f / (1.0f - p);
  int64_t kept = 0, differs = 0;
  for (int64_t i = 0; i < n; ++i) {
    const bool keep = out[i] != 0.0f;
    kept += keep;
    // The mask is the documented one, and kept values are scaled exactly.
    ASSERT_EQ(keep, uniform01(1234, 5, static_cast<uint64_t>(i)) >= p) << i;
    if (keep) {
      ASSERT_EQ(out[i], x[i] * keepScale) << i;
    }
    ASSERT_EQ(out[i], again[i]) << i;
    differs += keep != (other[i] != 0.0f);
  }
  const double frac = static_cast<double>(kept) / n;
  const double sigma = std::sqrt(p * (1.0 - p) / n);
  EXPECT_NEAR(frac, 1.0 - p, 5 * sigma);
  // Independent masks disagree on about 2p(1-p) = 42% of the elements.
  EXPECT_GT(differs, n / 4);

  Vec copy(n, -1.0f);
  dropout(x.data(), copy.data(), n, 0.0f, 1234, 5);
  EXPECT_EQ(copy, x);
}

//===----------------------------------------------------------------------===//
// Positional encoding
//===----------------------------------------------------------------------===//

TEST(HostKernelsTest, PositionalEncodingMatchesSinCos) {
  const int64_t outer = 3, tokens = 100, d = 512;
  Vec x = randomVec(outer * tokens * d, 13);
  Vec out(x.size());
  positionalEncoding(x.data(), out.data(), outer, tokens, d);
  // Reference 1: everything in double. Reference 2: the table as the scripts
  // build it (float32 div and angle) with sin/cos in double; the kernel's
  // float32 angles differ from exact ones by up to ~7e-6 at t ~ 100.
  const float negLogOverD = static_cast<float>(-std::log(10000.0) / d);
  double maxErrExact = 0, maxErrScript = 0;
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t t = 0; t < tokens; ++t)
      for (int64_t j = 0; j < d; ++j) {
        const int64_t i2 = j & ~int64_t(1);
        const double angleD = t * std::exp(i2 * (-std::log(10000.0) / d));
        const float divF = std::exp(static_cast<float>(i2) * negLogOverD);
        const double angleF = static_cast<float>(t) * divF;
        const double peD = (j & 1) ? std::cos(angleD) : std::sin(angleD);
        const double peF = (j & 1) ? std::cos(angleF) : std::sin(angleF);
        const size_t at = (o * tokens + t) * d + j;
        maxErrExact = std::max(maxErrExact, std::fabs(out[at] - (x[at] + peD)));
        maxErrScript = std::max(maxErrScript, std::fabs(out[at] - (x[at] + peF)));
      }
  EXPECT_LT(maxErrExact, 1e-5);
  EXPECT_LT(maxErrScript, 1e-6);

  // outer > 1 repeats the same table.
  Vec zeros(x.size(), 0.0f), table(x.size());
  positionalEncoding(zeros.data(), table.data(), outer, tokens, d);
  for (int64_t o = 1; o < outer; ++o)
    for (int64_t i = 0; i < tokens * d; ++i)
      ASSERT_EQ(table[o * tokens * d + i], table[i]);
  EXPECT_EQ(table[0], 0.0f);            // sin(0)
  EXPECT_EQ(table[1], 1.0f);            // cos(0)
  EXPECT_NEAR(table[d], std::sin(1.0), 1e-7); // t = 1, i = 0
}

//===----------------------------------------------------------------------===//
// Softmax
//===----------------------------------------------------------------------===//

TEST(HostKernelsTest, SoftmaxForwardBackward) {
  struct Shape {
    int64_t outer, axis, inner;
  };
  for (Shape s : {Shape{3, 5, 4}, Shape{4, 9, 1}, Shape{2, 3, 300}}) {
    const int64_t n = s.outer * s.axis * s.inner;
    Vec x = randomVec(n, 14, -4.0f, 4.0f), dy = randomVec(n, 15);
    x[0] = 60.0f;  // large logits must not overflow
    x[1] = -150.0f; // and far-below-max ones underflow to 0
    Vec y(n), dx(n);
    softmaxForward(x.data(), y.data(), s.outer, s.axis, s.inner);
    DVec ref = softmaxRef(toDouble(x), s.outer, s.axis, s.inner);
    expectClose(y, ref, 1e-5, 1e-7, "softmax");

    softmaxBackward(dy.data(), y.data(), dx.data(), s.outer, s.axis, s.inner);
    DVec dyd = toDouble(dy);
    DVec num = numericGrad(
        [&](const DVec &xs) {
          return dotD(dyd, softmaxRef(xs, s.outer, s.axis, s.inner));
        },
        toDouble(x));
    expectClose(dx, num, 1e-4, 1e-6, "softmax backward");
  }
}

//===----------------------------------------------------------------------===//
// Layer norm
//===----------------------------------------------------------------------===//

TEST(HostKernelsTest, LayerNormForwardBackward) {
  const float eps = 1e-5f;
  for (int64_t d : {13, 64}) {
    const int64_t rows = 7;
    Vec x = randomVec(rows * d, 16, -2.0f, 3.0f), dy = randomVec(rows * d, 17);
    Vec gamma = randomVec(d, 18, 0.5f, 1.5f), beta = randomVec(d, 19);
    Vec y(rows * d);
    layerNormForward(x.data(), gamma.data(), beta.data(), y.data(), rows, d, eps);
    DVec xd = toDouble(x), gd = toDouble(gamma), bd = toDouble(beta), dyd = toDouble(dy);
    expectClose(y, layerNormRef(xd, gd, bd, rows, d, eps), 1e-5, 1e-5, "layer norm");

    Vec dx(rows * d), dgamma(d, 99.0f), dbeta(d, 99.0f);
    layerNormBackward(dy.data(), x.data(), gamma.data(), dx.data(), dgamma.data(),
                      dbeta.data(), rows, d, eps);
    DVec numX = numericGrad(
        [&](const DVec &v) { return dotD(dyd, layerNormRef(v, gd, bd, rows, d, eps)); },
        xd);
    DVec numG = numericGrad(
        [&](const DVec &v) { return dotD(dyd, layerNormRef(xd, v, bd, rows, d, eps)); },
        gd);
    DVec numB = numericGrad(
        [&](const DVec &v) { return dotD(dyd, layerNormRef(xd, gd, v, rows, d, eps)); },
        bd);
    expectClose(dx, numX, 1e-4, 1e-5, "layer norm dx");
    expectClose(dgamma, numG, 1e-4, 1e-5, "layer norm dgamma");
    expectClose(dbeta, numB, 1e-4, 1e-5, "layer norm dbeta");

    // Optional outputs may be null.
    Vec dx2(rows * d);
    layerNormBackward(dy.data(), x.data(), gamma.data(), dx2.data(), nullptr, nullptr,
                      rows, d, eps);
    EXPECT_EQ(dx2, dx);
    Vec dgamma2(d);
    layerNormBackward(dy.data(), x.data(), gamma.data(), nullptr, dgamma2.data(),
                      nullptr, rows, d, eps);
    EXPECT_EQ(dgamma2, dgamma);
  }
}

//===----------------------------------------------------------------------===//
// Data movement
//===----------------------------------------------------------------------===//

void checkTranspose(const std::vector<int64_t> &shape, const std::vector<int64_t> &perm) {
  const size_t rank = shape.size();
  int64_t total = 1;
  for (int64_t s : shape)
    total *= s;
  Vec x(total);
  std::iota(x.begin(), x.end(), 0.0f);
  Vec out(total, -1.0f);
  transpose(x.data(), out.data(), shape, perm);
  std::vector<int64_t> outShape(rank), inStride(rank);
  for (size_t i = 0; i < rank; ++i)
    outShape[i] = shape[perm[i]];
  int64_t s = 1;
  for (size_t i = rank; i-- > 0;) {
    inStride[i] = s;
    s *= shape[i];
  }
  std::vector<int64_t> idx(rank, 0);
  for (int64_t o = 0; o < total; ++o) {
    int64_t src = 0;
    for (size_t i = 0; i < rank; ++i)
      src += idx[i] * inStride[perm[i]];
    ASSERT_EQ(out[o], x[src]) << "output " << o << " rank " << rank;
    for (size_t i = rank; i-- > 0;) {
      if (++idx[i] < outShape[i])
        break;
      idx[i] = 0;
    }
  }
}

TEST(HostKernelsTest, TransposeRanks2To4) {
  checkTranspose({5, 7}, {1, 0});
  checkTranspose({5, 7}, {0, 1});
  checkTranspose({70, 45}, {1, 0}); // several tiles
  checkTranspose({1, 9}, {1, 0});
  const std::vector<std::vector<int64_t>> shapes3 = {{2, 3, 4}, {3, 1, 5}, {33, 2, 40}};
  for (const auto &shape : shapes3) {
    std::vector<int64_t> perm = {0, 1, 2};
    do
      checkTranspose(shape, perm);
    while (std::next_permutation(perm.begin(), perm.end()));
  }
  const std::vector<std::vector<int64_t>> shapes4 = {{2, 3, 4, 5}, {2, 1, 6, 3}, {3, 5, 37, 8}};
  for (const auto &shape : shapes4) {
    std::vector<int64_t> perm = {0, 1, 2, 3};
    do
      checkTranspose(shape, perm);
    while (std::next_permutation(perm.begin(), perm.end()));
  }
}

// The dialect accepts any rank; rank 10 once overran fixed 8-entry tables.
TEST(HostKernelsTest, TransposeHighRanks) {
  checkTranspose({2, 1, 3, 1, 2, 2, 1, 3, 2, 3}, {0, 1, 2, 3, 4, 5, 6, 7, 9, 8});
  checkTranspose({2, 3, 2, 2, 3, 2, 2, 3, 2, 2}, {9, 8, 7, 6, 5, 4, 3, 2, 1, 0});
  checkTranspose({3, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 5}, {11, 1, 3, 5, 7, 9, 0, 2, 4, 6, 8, 10});
  checkTranspose({2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2},
                 {1, 0, 3, 2, 5, 4, 7, 6, 9, 8, 11, 10, 13, 12, 15, 14});
}

TEST(HostKernelsTest, ConcatSliceRoundTrip) {
  const int64_t outer = 3, inner = 4;
  const std::vector<int64_t> sizes = {2, 5, 1};
  std::vector<Vec> parts;
  for (size_t j = 0; j < sizes.size(); ++j)
    parts.push_back(randomVec(outer * sizes[j] * inner, 20 + j));
  const int64_t axis = 8;
  Vec out(outer * axis * inner, std::nanf(""));
  std::vector<const float *> ptrs;
  for (const Vec &p : parts)
    ptrs.push_back(p.data());
  concat(ptrs, sizes, out.data(), outer, inner);
  int64_t offset = 0;
  for (size_t j = 0; j < sizes.size(); ++j) {
    for (int64_t o = 0; o < outer; ++o)
      for (int64_t a = 0; a < sizes[j]; ++a)
        for (int64_t i = 0; i < inner; ++i)
          ASSERT_EQ(out[(o * axis + offset + a) * inner + i],
                    parts[j][(o * sizes[j] + a) * inner + i]);
    Vec back(outer * sizes[j] * inner);
    slice(out.data(), back.data(), outer, axis, inner, offset, sizes[j]);
    EXPECT_EQ(back, parts[j]);
    offset += sizes[j];
  }
}

//===----------------------------------------------------------------------===//
// Loss
//===----------------------------------------------------------------------===//

TEST(HostKernelsTest, MseForwardBackward) {
  const int64_t n = 123;
  Vec pred = randomVec(n, 30), target = randomVec(n, 31);
  DVec td = toDouble(target);
  auto mseRef = [&](const DVec &p) {
    double s = 0;
    for (size_t i = 0; i < p.size(); ++i)
      s += (p[i] - td[i]) * (p[i] - td[i]);
    return s / static_cast<double>(p.size());
  };
  const double ref = mseRef(toDouble(pred));
  EXPECT_NEAR(mseForward(pred.data(), target.data(), n), ref, 1e-7 * ref);

  const float dloss = 0.75f;
  Vec dpred(n);
  mseBackward(pred.data(), target.data(), dloss, dpred.data(), n);
  DVec num = numericGrad([&](const DVec &p) { return dloss * mseRef(p); }, toDouble(pred));
  expectClose(dpred, num, 1e-5, 1e-8, "mse backward");
}

//===----------------------------------------------------------------------===//
// Optimizers (references transcribe torch/optim/{sgd,adam,adamw}.py, 1.13)
//===----------------------------------------------------------------------===//

struct SgdCfg {
  float lr, momentum, dampening, weightDecay;
  bool nesterov;
};

TEST(HostKernelsTest, SgdMatchesPyTorch) {
  const int64_t n = 301;
  const SgdCfg cfgs[] = {{0.1f, 0.0f, 0.0f, 0.0f, false},
                         {0.1f, 0.0f, 0.0f, 0.01f, false},
                         {0.05f, 0.9f, 0.0f, 0.0f, false},
                         {0.05f, 0.9f, 0.1f, 0.001f, false},
                         {0.05f, 0.9f, 0.0f, 0.01f, true}};
  for (const SgdCfg &c : cfgs) {
    Vec w = randomVec(n, 40), buf(n, 0.0f);
    DVec wr = toDouble(w), bufr(n, 0.0);
    for (int64_t step = 1; step <= 5; ++step) {
      Vec g = randomVec(n, 100 + step);
      sgdUpdate(w.data(), g.data(), buf.data(), n, c.lr, c.momentum, c.dampening,
                c.weightDecay, c.nesterov, step);
      for (int64_t i = 0; i < n; ++i) {
        double d = g[i];
        if (c.weightDecay != 0)
          d += c.weightDecay * wr[i];
        if (c.momentum != 0) {
          bufr[i] = step == 1 ? d : c.momentum * bufr[i] + (1.0 - c.dampening) * d;
          d = c.nesterov ? d + c.momentum * bufr[i] : bufr[i];
        }
        wr[i] -= c.lr * d;
      }
    }
    expectClose(w, wr, 1e-6, 1e-7, "sgd");
  }
}

struct AdamCfg {
  float lr, beta1, beta2, eps, weightDecay;
  bool decoupled;
};

TEST(HostKernelsTest, AdamAndAdamWMatchPyTorch) {
  const int64_t n = 301; // more than one 256-element chunk, odd tail
  const AdamCfg cfgs[] = {{1e-3f, 0.9f, 0.999f, 1e-8f, 0.0f, false},
                          {1e-2f, 0.9f, 0.999f, 1e-8f, 0.05f, false},
                          {1e-2f, 0.8f, 0.99f, 1e-6f, 0.1f, true},
                          {1e-3f, 0.9f, 0.999f, 1e-8f, 0.01f, true}};
  for (const AdamCfg &c : cfgs) {
    Vec w = randomVec(n, 50), m(n, 0.0f), v(n, 0.0f);
    DVec wr = toDouble(w), mr(n, 0.0), vr(n, 0.0);
    for (int64_t step = 1; step <= 6; ++step) {
      Vec g = randomVec(n, 200 + step);
      adamUpdate(w.data(), g.data(), m.data(), v.data(), n, c.lr, c.beta1, c.beta2,
                 c.eps, c.weightDecay, c.decoupled, step);
      const double bc1 = 1.0 - std::pow(static_cast<double>(c.beta1), step);
      const double bc2 = 1.0 - std::pow(static_cast<double>(c.beta2), step);
      for (int64_t i = 0; i < n; ++i) {
        double gi = g[i];
        if (c.decoupled)
          wr[i] *= 1.0 - static_cast<double>(c.lr) * c.weightDecay;
        else if (c.weightDecay != 0)
          gi += c.weightDecay * wr[i];
        mr[i] = c.beta1 * mr[i] + (1.0 - c.beta1) * gi;
        vr[i] = c.beta2 * vr[i] + (1.0 - c.beta2) * gi * gi;
        const double denom = std::sqrt(vr[i]) / std::sqrt(bc2) + c.eps;
        wr[i] -= (c.lr / bc1) * mr[i] / denom;
      }
    }
    expectClose(w, wr, 1e-6, 1e-7, c.decoupled ? "adamw" : "adam");
    expectClose(m, mr, 1e-5, 1e-7, "adam m");
    expectClose(v, vr, 1e-5, 1e-9, "adam v");
  }
}

} // namespace
