//===- Kernels.cpp - host (CPU) kernels of the hpt runtime ----------------===//
//
// Matrix products go to OpenBLAS; everything else is contiguous loops that GCC
// vectorises, or, where it cannot (exp/erf, 4x4 transposes, loops with many
// pointers), explicit four-wide GCC/Clang vector extensions (GCC >= 12 for
// __builtin_shufflevector). Formulas follow PyTorch 1.13 (see Kernels.h).
//
//===----------------------------------------------------------------------===//

#include "runtime/host/Kernels.h"
#include "runtime/host/Gemm.h"
#include "runtime/host/Rng.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>

#include <cblas.h>
#include <omp.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace hpt::rt {

namespace {

inline void copyFloats(float *dst, const float *src, int64_t count) {
  if (count > 0)
    std::memcpy(dst, src, static_cast<size_t>(count) * sizeof(float));
}

inline void zeroFloats(float *dst, int64_t count) {
  if (count > 0)
    std::memset(dst, 0, static_cast<size_t>(count) * sizeof(float));
}

// Column chunk used by the kernels that keep per-column state on the stack.
constexpr int64_t kChunk = 256;
// Element count from which a memory-bound update is split across threads.
constexpr int64_t kParallelElements = 1 << 16;
// The same for dropout, whose random numbers cost far more than the memory
// traffic (Wind's 57 x 512 masks gain from two threads).
constexpr int64_t kParallelMaskElements = 1 << 13;

//===----------------------------------------------------------------------===//
// Vectorised float math. libm's expf/erff/tanhf are opaque calls, and scalar
// branch-free versions do not vectorise either: GCC threads their clamps
// into branches that if-conversion cannot undo under -ftrapping-math. So the
// transcendental kernels use GCC/Clang vector extensions, four floats wide
// (SSE2 without -march; generic vectors lower to scalars elsewhere).
// Polynomials are Chebyshev fits made for this file (mpmath); the tests check
// the kernels against std::exp/std::erf/std::tanh in double.
//===----------------------------------------------------------------------===//

typedef float V4 __attribute__((vector_size(16)));
typedef int32_t V4i __attribute__((vector_size(16)));

inline V4 load4(const float *p) {
  V4 v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
inline void store4(float *p, V4 v) { std::memcpy(p, &v, sizeof v); }
inline V4 splat(float f) { return V4{f, f, f, f}; }

typedef double V2d __attribute__((vector_size(16)));
/// Lanes 0-1 / 2-3 of a float vector widened to double.
inline V2d lowHalf(V4 v) {
  return __builtin_convertvector(__builtin_shufflevector(v, v, 0, 1), V2d);
}
inline V2d highHalf(V4 v) {
  return __builtin_convertvector(__builtin_shufflevector(v, v, 2, 3), V2d);
}
/// Lane-wise std::max / std::min (a NaN in `a` propagates).
inline V4 vmax(V4 a, V4 b) { return a < b ? b : a; }
inline V4 vmin(V4 a, V4 b) { return b < a ? b : a; }
inline V4 vabs(V4 a) {
  return reinterpret_cast<V4>(reinterpret_cast<V4i>(a) & 0x7fffffff);
}

/// e^x within ~2 ulp for x in [-87.68, 88.37]; 0 below (results that would
/// be denormal flush to 0), clamped above; NaN propagates.
inline V4 fastExp(V4 x) {
  const float kLo = -88.0296919f; // -127·ln2: rounds to n = -127, scale 0
  const float kHi = 88.3661641677f; // keeps 2^n <= 2^127
  const float kLog2e = 1.44269502f;
  const float kLn2Hi = 0.693359375f; // 355/512, exact in a few bits
  const float kLn2Lo = -2.12194440054690583e-4f;
  const float kRound = 12582912.0f; // 1.5 * 2^23: round to nearest
  const V4 xc = vmin(vmax(x, splat(kLo)), splat(kHi));
  const V4 n = (xc * kLog2e + kRound) - kRound;
  V4 r = xc - n * kLn2Hi;
  r = r - n * kLn2Lo;
  // e^r = 1 + r + r^2 P(r) on |r| <= ln2/2; P in Estrin form (short
  // dependency chains keep several iterations in flight).
  const V4 r2 = r * r;
  const V4 p = (0.5f + 0.166666672f * r) + r2 * (0.041666463f + 0.00833331048f * r) +
               (r2 * r2) * (0.00139336672f + 0.0001989101f * r);
  const V4 y = 1.0f + r + r2 * p;
  // 2^n from its bit pattern; n = -127 gives +0.
  const V4i bits = (__builtin_convertvector(n, V4i) + 127) << 23;
  return y * reinterpret_cast<V4>(bits);
}

/// Standard normal CDF Φ(x) = (1 + erf(x/√2))/2 with small relative error in
/// both tails: |z| < 0.75 uses erf(z) = z P(z²); beyond, erfc(|z|) =
/// e^{-z²} R(1/|z|), so Φ(x) for x << 0 does not cancel. Also returns
/// e^{-z²} = e^{-x²/2}, which the GELU derivative needs.
inline V4 normalCdf(V4 x, V4 &expNegU) {
  const V4 z = x * 0.707106781f;
  const V4 u = z * z;
  const V4 u2 = u * u;
  const V4 ps = (1.12837923f + -0.376126379f * u) + u2 * (0.112837784f + -0.0268647727f * u) +
                (u2 * u2) * ((0.00521678943f + -0.000835692801f * u) + u2 * 9.4704621e-05f);
  const V4 small = 0.5f + 0.5f * (z * ps);

  const V4 az = vabs(z);
  // t = 1/|z| in [0.1, 4/3], mapped to s in [-1, 1].
  const V4 t = vmax(1.0f / vmax(az, splat(0.75f)), splat(0.1f));
  const V4 sv = (t - 0.716666667f) * (1.0f / 0.616666667f);
  const V4 s2 = sv * sv, s4 = s2 * s2, s8 = s4 * s4;
  const V4 pr =
      ((0.339582145f + 0.216966927f * sv) + s2 * (-0.060655158f + 0.0114853624f * sv)) +
      s4 * ((0.000952131872f + -0.00244983961f * sv) +
            s2 * (0.00155557645f + -0.000670554524f * sv)) +
      s8 * ((0.000218539848f + -1.70202566e-05f * sv) +
            s2 * (-9.74312206e-05f + 8.95326812e-05f * sv) +
            s4 * (-1.64977737e-05f + -6.07098173e-06f * sv));
  expNegU = fastExp(-u);
  const V4 halfErfc = 0.5f * expNegU * pr;
  const V4 large = z < 0.0f ? halfErfc : 1.0f - halfErfc;
  return az < 0.75f ? small : large;
}
inline V4 normalCdf(V4 x) {
  V4 unused;
  return normalCdf(x, unused);
}

/// out[i] = f(a[i]) (or f(a[i], b[i])) four lanes at a time; the tail goes
/// through a zero-padded buffer.
template <class F>
inline void map4(const float *a, float *out, int64_t n, F f) {
  int64_t i = 0;
  for (; i + 4 <= n; i += 4)
    store4(out + i, f(load4(a + i)));
  if (i < n) {
    float buf[4] = {0, 0, 0, 0};
    for (int64_t j = 0; i + j < n; ++j)
      buf[j] = a[i + j];
    store4(buf, f(load4(buf)));
    for (int64_t j = 0; i + j < n; ++j)
      out[i + j] = buf[j];
  }
}
template <class F>
inline void map4(const float *a, const float *b, float *out, int64_t n, F f) {
  int64_t i = 0;
  for (; i + 4 <= n; i += 4)
    store4(out + i, f(load4(a + i), load4(b + i)));
  if (i < n) {
    float bufA[4] = {0, 0, 0, 0}, bufB[4] = {0, 0, 0, 0};
    for (int64_t j = 0; i + j < n; ++j) {
      bufA[j] = a[i + j];
      bufB[j] = b[i + j];
    }
    store4(bufA, f(load4(bufA), load4(bufB)));
    for (int64_t j = 0; i + j < n; ++j)
      out[i + j] = bufA[j];
  }
}

/// sqrt over a buffer without errno handling (std::sqrt keeps a libm call
/// for negative inputs, which stops vectorisation).
inline void sqrtInPlace(float *v, int64_t n) {
  int64_t i = 0;
#if defined(__SSE2__)
  for (; i + 4 <= n; i += 4)
    _mm_storeu_ps(v + i, _mm_sqrt_ps(_mm_loadu_ps(v + i)));
#endif
  for (; i < n; ++i)
    v[i] = std::sqrt(v[i]);
}

} // namespace

//===----------------------------------------------------------------------===//
// Matrix products
//===----------------------------------------------------------------------===//

namespace {
/// OpenBLAS spreads these small-M (57-row) products badly over its threads,
/// so the runtime splits them itself: every sgemm call runs on one thread and
/// OpenMP shares the columns (or the batch) between the cores.
void useSingleThreadedBlas() {
  static const bool once = [] {
    openblas_set_num_threads(1);
    return true;
  }();
  (void)once;
}

/// Rows from which packing B on every call pays for itself (fewer: a
/// matrix-vector product, for which BLAS reads B once anyway).
constexpr int64_t kRowsWorthPacking = kTileRows;

/// C[m, n] = op(A)·op(B) + beta·C on one thread: on the panel kernel when it
/// runs here and the product has rows enough to repay packing B, else BLAS.
void productOnOneThread(bool transA, bool transB, int64_t m, int64_t n, int64_t k,
                        const float *a, int64_t lda, const float *b, int64_t ldb,
                        float beta, float *c, int64_t ldc) {
  if (hasPanelKernel() && m >= kRowsWorthPacking) {
    thread_local PackedPanels packed;
    packed.pack(b, ldb, transB, k, n);
    gemmPanels(transA, m, a, lda, packed, 0, packed.panels(), beta, c, ldc);
    return;
  }
  useSingleThreadedBlas();
  cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans,
              transB ? CblasTrans : CblasNoTrans, static_cast<blasint>(m),
              static_cast<blasint>(n), static_cast<blasint>(k), 1.0f, a,
              static_cast<blasint>(lda), b, static_cast<blasint>(ldb), beta, c,
              static_cast<blasint>(ldc));
}

/// C[m, n] = op(A)·op(B) + beta·C, row-major, columns split across the
/// cores in whole panels. On the panel kernel an element's sum does not depend
/// on which columns share its call; OpenBLAS gives no such promise (its kernel
/// choice depends on the slice's size), hence docs/bundle.md's same-thread-count
/// rule for bit-exact resumes.
void productColumnsInParallel(bool transA, bool transB, int64_t m, int64_t n, int64_t k,
                              const float *a, int64_t lda, const float *b, int64_t ldb,
                              float beta, float *c, int64_t ldc) {
  int threads = m * n * k >= kParallelWork ? omp_get_max_threads() : 1;
  int64_t block = ((n + threads - 1) / threads + kPanelWidth - 1) / kPanelWidth * kPanelWidth;
#pragma omp parallel for num_threads(threads) schedule(static)
  for (int64_t j0 = 0; j0 < n; j0 += block) {
    // Columns j0.. of op(B): B[k, n] -> offset j0; B[n, k] (transposed) -> row j0.
    const float *bSlice = transB ? b + j0 * ldb : b + j0;
    productOnOneThread(transA, transB, m, std::min(block, n - j0), k, a, lda, bSlice, ldb,
                       beta, c + j0, ldc);
  }
}
} // namespace

void batchedMatmul(int64_t batch, bool transA, bool transB, int64_t m, int64_t n,
                   int64_t k, const float *a, const float *b, float *c) {
  if (batch <= 0 || m <= 0 || n <= 0)
    return;
  if (k <= 0) {
    zeroFloats(c, batch * m * n);
    return;
  }
  const int64_t lda = transA ? m : k, ldb = transB ? k : n;
  if (batch == 1) {
    productColumnsInParallel(transA, transB, m, n, k, a, lda, b, ldb, 0.0f, c, n);
    return;
  }
#pragma omp parallel for schedule(static) if (batch * m * n * k >= kParallelWork)
  for (int64_t i = 0; i < batch; ++i)
    productOnOneThread(transA, transB, m, n, k, a + i * m * k, lda, b + i * k * n, ldb, 0.0f,
                       c + i * m * n, n);
}

namespace {
/// Fills y[rows, out] with the bias in every row, when there is one; returns
/// the beta with which the product then adds to y.
float startWithBias(const float *bias, float *y, int64_t rows, int64_t out) {
  if (!bias)
    return 0.0f;
  for (int64_t r = 0; r < rows; ++r)
    copyFloats(y + r * out, bias, out);
  return 1.0f;
}
} // namespace

void linearForward(const float *x, const float *w, const float *bias, float *y,
                   int64_t rows, int64_t in, int64_t out) {
  if (rows <= 0 || out <= 0)
    return;
  float beta = startWithBias(bias, y, rows, out);
  if (in <= 0) {
    if (!bias)
      zeroFloats(y, rows * out);
    return;
  }
  productColumnsInParallel(false, true, rows, out, in, x, in, w, in, beta, y, out);
}

void linearForwardPacked(const float *x, const PackedPanels &w, const float *bias, float *y,
                         int64_t rows) {
  if (rows <= 0 || w.columns() <= 0)
    return;
  float beta = startWithBias(bias, y, rows, w.columns());
  if (w.depth() <= 0) {
    if (!bias)
      zeroFloats(y, rows * w.columns());
    return;
  }
  gemmPanelsInParallel(false, rows, x, w.depth(), w, beta, y, w.columns());
}

void matmulPacked(bool transA, int64_t m, const float *a, const PackedPanels &b, float *c) {
  if (m <= 0 || b.columns() <= 0)
    return;
  if (b.depth() <= 0) {
    zeroFloats(c, m * b.columns());
    return;
  }
  gemmPanelsInParallel(transA, m, a, transA ? m : b.depth(), b, 0.0f, c, b.columns());
}

void sumRows(const float *x, float *out, int64_t rows, int64_t cols) {
  zeroFloats(out, cols);
  for (int64_t r = 0; r < rows; ++r) {
    const float *row = x + r * cols;
    for (int64_t j = 0; j < cols; ++j)
      out[j] += row[j];
  }
}

//===----------------------------------------------------------------------===//
// Elementwise
//===----------------------------------------------------------------------===//

void add(const float *a, const float *b, float *out, int64_t count) {
  for (int64_t i = 0; i < count; ++i)
    out[i] = a[i] + b[i];
}

void scale(const float *x, float factor, float *out, int64_t count) {
  for (int64_t i = 0; i < count; ++i)
    out[i] = factor * x[i];
}

void reluForward(const float *x, float *out, int64_t count) {
  // std::max(x, 0) keeps NaN like torch.relu.
  for (int64_t i = 0; i < count; ++i)
    out[i] = std::max(x[i], 0.0f);
}

void reluBackward(const float *dy, const float *x, float *dx, int64_t count) {
  for (int64_t i = 0; i < count; ++i) {
    const float g = dy[i]; // loaded unconditionally so the select vectorises
    dx[i] = x[i] > 0.0f ? g : 0.0f;
  }
}

namespace {
constexpr float kInvSqrt2Pi = 0.398942292f;              // 1/sqrt(2*pi)
constexpr float kGeluTanhBeta = 0.797884561f;            // sqrt(2/pi)
constexpr float kGeluTanhKappa = 0.044715f;
} // namespace

// Exact: x·Φ(x) (PyTorch: x·0.5·(1 + erf(x/√2)), the same function; Φ is
// evaluated without the cancellation of 1 + erf for x << 0).
// Tanh: 0.5·x·(1 + tanh(k)) with k = √(2/π)(x + 0.044715x³), computed as the
// identical x·σ(2k) = x / (1 + e^{-2k}), which needs one exp and no tanh.
void geluForward(const float *x, float *out, int64_t count, bool tanhApprox) {
  if (tanhApprox) {
    map4(x, out, count, [](V4 v) {
      const V4 inner = kGeluTanhBeta * (v + kGeluTanhKappa * v * v * v);
      return v / (1.0f + fastExp(-2.0f * inner));
    });
  } else {
    map4(x, out, count, [](V4 v) { return v * normalCdf(v); });
  }
}

void geluBackward(const float *dy, const float *x, float *dx, int64_t count,
                  bool tanhApprox) {
  if (tanhApprox) {
    // d/dx x·σ(2k) = σ + 2x·σ(1−σ)·k', with σ(1−σ) = e·σ² for e = e^{-2k}
    // (equal to PyTorch's 0.5(1+t) + 0.5x(1−t²)k' for t = tanh(k)).
    map4(dy, x, dx, count, [](V4 g, V4 v) {
      const V4 vSq = v * v;
      const V4 inner = kGeluTanhBeta * (v + kGeluTanhKappa * vSq * v);
      const V4 innerDerivative = kGeluTanhBeta * (1.0f + 3.0f * kGeluTanhKappa * vSq);
      const V4 e = fastExp(-2.0f * inner);
      const V4 sig = 1.0f / (1.0f + e);
      return g * (sig + 2.0f * v * (e * sig) * sig * innerDerivative);
    });
  } else {
    // d/dx x·Φ(x) = Φ(x) + x·φ(x).
    map4(dy, x, dx, count, [](V4 g, V4 v) {
      V4 expNegHalfX2;
      const V4 cdf = normalCdf(v, expNegHalfX2);
      return g * (cdf + v * (kInvSqrt2Pi * expNegHalfX2));
    });
  }
}

void dropout(const float *x, float *out, int64_t count, float p, uint64_t seed,
             uint64_t step) {
  if (count <= 0)
    return;
  if (!(p > 0.0f)) {
    copyFloats(out, x, count);
    return;
  }
  if (p >= 1.0f) { // uniform01 < 1 always: nothing is kept
    zeroFloats(out, count);
    return;
  }
  // PyTorch: noise = bernoulli(1-p) / (1-p) in float, out = x * noise (so a
  // dropped NaN/inf stays NaN, as there).
  const float keepScale = 1.0f / (1.0f - p);
  const int64_t blocks = count / 64;
  // Element i's mask depends only on (seed, step, i): any split is exact.
#pragma omp parallel for schedule(static) if (count >= kParallelMaskElements)
  for (int64_t b = 0; b < blocks; ++b) {
    float u[64];
    const int64_t i = b * 64;
    detail::uniformBlock64(seed, step, static_cast<uint64_t>(i), u);
    for (int j = 0; j < 64; ++j)
      out[i + j] = x[i + j] * (u[j] >= p ? keepScale : 0.0f);
  }
  const uint64_t n = static_cast<uint64_t>(count);
  for (uint64_t i = static_cast<uint64_t>(blocks) * 64; i < n; ++i)
    out[i] = x[i] * (uniform01(seed, step, i) >= p ? keepScale : 0.0f);
}

void positionalEncoding(const float *x, float *out, int64_t outer, int64_t tokens,
                        int64_t d) {
  if (outer <= 0 || tokens <= 0 || d <= 0)
    return;
  // As in the scripts: div = exp(arange(0, d, 2) * (-ln(10000)/d)) in float32
  // (the double scalar is rounded to float first), angle = float(t) * div.
  const float negLogOverD = static_cast<float>(-std::log(10000.0) / static_cast<double>(d));
  std::array<float, kChunk> div, pe;
  for (int64_t j0 = 0; j0 < d; j0 += kChunk) {
    const int64_t width = std::min(kChunk, d - j0); // j0 is even
    for (int64_t j = 0; j < width; ++j) {
      const int64_t col = j0 + j;
      div[j] = std::exp(static_cast<float>(col & ~int64_t(1)) * negLogOverD);
    }
    for (int64_t t = 0; t < tokens; ++t) {
      const float pos = static_cast<float>(t);
      for (int64_t j = 0; j < width; ++j) {
        const float angle = pos * div[j];
        pe[j] = ((j0 + j) & 1) ? std::cos(angle) : std::sin(angle);
      }
      for (int64_t o = 0; o < outer; ++o) {
        const int64_t base = (o * tokens + t) * d + j0;
        const float *xs = x + base;
        float *os = out + base;
        for (int64_t j = 0; j < width; ++j)
          os[j] = xs[j] + pe[j];
      }
    }
  }
}

//===----------------------------------------------------------------------===//
// Normalisation
//===----------------------------------------------------------------------===//

namespace {

/// max over x[0..n), n >= 1, with eight partial maxima so it vectorises.
inline float rowMax(const float *x, int64_t n) {
  float acc[8];
  for (int l = 0; l < 8; ++l)
    acc[l] = x[0];
  int64_t j = 0;
  for (; j + 8 <= n; j += 8)
    for (int l = 0; l < 8; ++l)
      acc[l] = std::max(acc[l], x[j + l]);
  float m = acc[0];
  for (int l = 1; l < 8; ++l)
    m = std::max(m, acc[l]);
  for (; j < n; ++j)
    m = std::max(m, x[j]);
  return m;
}

/// Σ a[j]·b[j] (or Σ a[j] when b is null) in double, eight partial sums.
inline double rowDot(const float *a, const float *b, int64_t n) {
  double acc[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  int64_t j = 0;
  if (b) {
    for (; j + 8 <= n; j += 8)
      for (int l = 0; l < 8; ++l)
        acc[l] += static_cast<double>(a[j + l]) * b[j + l];
  } else {
    for (; j + 8 <= n; j += 8)
      for (int l = 0; l < 8; ++l)
        acc[l] += a[j + l];
  }
  double s = 0.0;
  for (int l = 0; l < 8; ++l)
    s += acc[l];
  for (; j < n; ++j)
    s += b ? static_cast<double>(a[j]) * b[j] : a[j];
  return s;
}

} // namespace

void softmaxForward(const float *x, float *y, int64_t outer, int64_t axis,
                    int64_t inner) {
  if (outer <= 0 || axis <= 0 || inner <= 0)
    return;
  if (inner == 1) {
    for (int64_t o = 0; o < outer; ++o) {
      const float *xr = x + o * axis;
      float *yr = y + o * axis;
      const float mx = rowMax(xr, axis);
      map4(xr, yr, axis, [mx](V4 v) { return fastExp(v - mx); });
      const float inv = static_cast<float>(1.0 / rowDot(yr, nullptr, axis));
      for (int64_t a = 0; a < axis; ++a)
        yr[a] *= inv;
    }
    return;
  }
  std::array<float, kChunk> mx;
  std::array<double, kChunk> sum;
  for (int64_t o = 0; o < outer; ++o) {
    const float *xo = x + o * axis * inner;
    float *yo = y + o * axis * inner;
    for (int64_t j0 = 0; j0 < inner; j0 += kChunk) {
      const int64_t w = std::min(kChunk, inner - j0);
      for (int64_t j = 0; j < w; ++j) {
        mx[j] = xo[j0 + j];
        sum[j] = 0.0;
      }
      for (int64_t a = 1; a < axis; ++a) {
        const float *xa = xo + a * inner + j0;
        for (int64_t j = 0; j < w; ++j)
          mx[j] = std::max(mx[j], xa[j]);
      }
      for (int64_t a = 0; a < axis; ++a) {
        const float *xa = xo + a * inner + j0;
        float *ya = yo + a * inner + j0;
        map4(xa, mx.data(), ya, w, [](V4 v, V4 m) { return fastExp(v - m); });
        for (int64_t j = 0; j < w; ++j)
          sum[j] += ya[j];
      }
      for (int64_t j = 0; j < w; ++j)
        mx[j] = static_cast<float>(1.0 / sum[j]); // reuse as the reciprocal
      for (int64_t a = 0; a < axis; ++a) {
        float *ya = yo + a * inner + j0;
        for (int64_t j = 0; j < w; ++j)
          ya[j] *= mx[j];
      }
    }
  }
}

void softmaxBackward(const float *dy, const float *y, float *dx, int64_t outer,
                     int64_t axis, int64_t inner) {
  if (outer <= 0 || axis <= 0 || inner <= 0)
    return;
  if (inner == 1) {
    for (int64_t o = 0; o < outer; ++o) {
      const float *dyr = dy + o * axis;
      const float *yr = y + o * axis;
      float *dxr = dx + o * axis;
      const float s = static_cast<float>(rowDot(dyr, yr, axis));
      for (int64_t a = 0; a < axis; ++a)
        dxr[a] = yr[a] * (dyr[a] - s);
    }
    return;
  }
  std::array<double, kChunk> dot;
  std::array<float, kChunk> s;
  for (int64_t o = 0; o < outer; ++o) {
    const int64_t off = o * axis * inner;
    for (int64_t j0 = 0; j0 < inner; j0 += kChunk) {
      const int64_t w = std::min(kChunk, inner - j0);
      for (int64_t j = 0; j < w; ++j)
        dot[j] = 0.0;
      for (int64_t a = 0; a < axis; ++a) {
        const float *dya = dy + off + a * inner + j0;
        const float *ya = y + off + a * inner + j0;
        for (int64_t j = 0; j < w; ++j)
          dot[j] += static_cast<double>(dya[j]) * ya[j];
      }
      for (int64_t j = 0; j < w; ++j)
        s[j] = static_cast<float>(dot[j]);
      for (int64_t a = 0; a < axis; ++a) {
        const float *dya = dy + off + a * inner + j0;
        const float *ya = y + off + a * inner + j0;
        float *dxa = dx + off + a * inner + j0;
        for (int64_t j = 0; j < w; ++j)
          dxa[j] = ya[j] * (dya[j] - s[j]);
      }
    }
  }
}

namespace {

/// Mean and 1/sqrt(biased variance + eps) of one row, accumulated in double.
/// Eight independent partial sums keep the loop vectorisable.
inline void rowMoments(const float *x, int64_t d, float eps, float &meanOut,
                       float &rstdOut) {
  double acc[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  int64_t j = 0;
  for (; j + 8 <= d; j += 8)
    for (int l = 0; l < 8; ++l)
      acc[l] += x[j + l];
  double sum = 0.0;
  for (int l = 0; l < 8; ++l)
    sum += acc[l];
  for (; j < d; ++j)
    sum += x[j];
  const double mean = sum / static_cast<double>(d);
  for (int l = 0; l < 8; ++l)
    acc[l] = 0.0;
  j = 0;
  for (; j + 8 <= d; j += 8)
    for (int l = 0; l < 8; ++l) {
      double c = x[j + l] - mean;
      acc[l] += c * c;
    }
  double sq = 0.0;
  for (int l = 0; l < 8; ++l)
    sq += acc[l];
  for (; j < d; ++j) {
    double c = x[j] - mean;
    sq += c * c;
  }
  const double var = sq / static_cast<double>(d);
  meanOut = static_cast<float>(mean);
  rstdOut = static_cast<float>(1.0 / std::sqrt(var + static_cast<double>(eps)));
}

} // namespace

void layerNormForward(const float *x, const float *gamma, const float *beta,
                      float *y, int64_t rows, int64_t d, float eps) {
  if (rows <= 0 || d <= 0)
    return;
  for (int64_t r = 0; r < rows; ++r) {
    const float *xr = x + r * d;
    float *yr = y + r * d;
    float mean, rstd;
    rowMoments(xr, d, eps, mean, rstd);
    if (gamma && beta) {
      for (int64_t j = 0; j < d; ++j)
        yr[j] = (xr[j] - mean) * rstd * gamma[j] + beta[j];
    } else {
      for (int64_t j = 0; j < d; ++j) {
        float v = (xr[j] - mean) * rstd;
        if (gamma)
          v *= gamma[j];
        if (beta)
          v += beta[j];
        yr[j] = v;
      }
    }
  }
}

namespace {
/// Σ g and Σ g·xhat over a row (g = dy·gamma, or dy without gamma), in
/// double: float lanes widened to two-double vectors.
template <bool kGamma>
inline void layerNormBackwardSums(const float *dyr, const float *xr,
                                  const float *gamma, int64_t d, float mean,
                                  float rstd, double &sumG, double &sumGX) {
  V2d accG0{0, 0}, accG1{0, 0}, accGX0{0, 0}, accGX1{0, 0};
  int64_t j = 0;
  for (; j + 4 <= d; j += 4) {
    const V4 g = kGamma ? load4(dyr + j) * load4(gamma + j) : load4(dyr + j);
    const V4 xhat = (load4(xr + j) - mean) * rstd;
    const V2d gLo = lowHalf(g), gHi = highHalf(g);
    accG0 += gLo;
    accG1 += gHi;
    accGX0 += gLo * lowHalf(xhat);
    accGX1 += gHi * highHalf(xhat);
  }
  sumG = (accG0[0] + accG1[0]) + (accG0[1] + accG1[1]);
  sumGX = (accGX0[0] + accGX1[0]) + (accGX0[1] + accGX1[1]);
  for (; j < d; ++j) {
    const float g = kGamma ? dyr[j] * gamma[j] : dyr[j];
    const float xhat = (xr[j] - mean) * rstd;
    sumG += g;
    sumGX += static_cast<double>(g) * xhat;
  }
}
} // namespace

void layerNormBackward(const float *dy, const float *x, const float *gamma,
                       float *dx, float *dgamma, float *dbeta, int64_t rows,
                       int64_t d, float eps) {
  if (d <= 0)
    return;
  if (dgamma)
    zeroFloats(dgamma, d);
  if (dbeta)
    zeroFloats(dbeta, d);
  if (rows <= 0)
    return;
  const double invD = 1.0 / static_cast<double>(d);
  for (int64_t r = 0; r < rows; ++r) {
    const float *xr = x + r * d;
    const float *dyr = dy + r * d;
    float mean, rstd;
    rowMoments(xr, d, eps, mean, rstd);
    bool paramGradsDone = false;
    if (dx) {
      // dx = rstd * (g - mean(g) - xhat * mean(g * xhat)), g = dy * gamma.
      double sumG, sumGX;
      if (gamma)
        layerNormBackwardSums<true>(dyr, xr, gamma, d, mean, rstd, sumG, sumGX);
      else
        layerNormBackwardSums<false>(dyr, xr, gamma, d, mean, rstd, sumG, sumGX);
      const float meanG = static_cast<float>(sumG * invD);
      const float meanGX = static_cast<float>(sumGX * invD);
      float *dxr = dx + r * d;
      if (gamma && dgamma && dbeta) {
        // The usual case: one pass writes dx and accumulates dgamma/dbeta,
        // explicitly four wide (six pointers defeat GCC's alias versioning).
        int64_t k = 0;
        for (; k + 4 <= d; k += 4) {
          const V4 dyv = load4(dyr + k);
          const V4 xhat = (load4(xr + k) - mean) * rstd;
          const V4 dxv = rstd * (dyv * load4(gamma + k) - meanG - xhat * meanGX);
          const V4 dg = load4(dgamma + k) + dyv * xhat;
          const V4 db = load4(dbeta + k) + dyv;
          store4(dxr + k, dxv);
          store4(dgamma + k, dg);
          store4(dbeta + k, db);
        }
        for (; k < d; ++k) {
          const float dyk = dyr[k];
          const float xhat = (xr[k] - mean) * rstd;
          dxr[k] = rstd * (dyk * gamma[k] - meanG - xhat * meanGX);
          dgamma[k] += dyk * xhat;
          dbeta[k] += dyk;
        }
        paramGradsDone = true;
      } else if (gamma) {
        for (int64_t k = 0; k < d; ++k) {
          const float xhat = (xr[k] - mean) * rstd;
          dxr[k] = rstd * (dyr[k] * gamma[k] - meanG - xhat * meanGX);
        }
      } else {
        for (int64_t k = 0; k < d; ++k) {
          const float xhat = (xr[k] - mean) * rstd;
          dxr[k] = rstd * (dyr[k] - meanG - xhat * meanGX);
        }
      }
    }
    if (paramGradsDone)
      continue;
    if (dgamma)
      for (int64_t k = 0; k < d; ++k)
        dgamma[k] += dyr[k] * ((xr[k] - mean) * rstd);
    if (dbeta)
      for (int64_t k = 0; k < d; ++k)
        dbeta[k] += dyr[k];
  }
}

//===----------------------------------------------------------------------===//
// Data movement
//===----------------------------------------------------------------------===//

void transpose(const float *x, float *out, const std::vector<int64_t> &shape,
               const std::vector<int64_t> &perm) {
  const int rank = static_cast<int>(shape.size());
  int64_t total = 1;
  for (int64_t s : shape)
    total *= s;
  if (total <= 0)
    return;

  // Input strides, then the output axes (as input axes) with size-1 axes
  // dropped and runs of consecutive input axes merged. Ranks are unbounded
  // (the dialect accepts any), so the per-axis tables are sized per call.
  std::vector<int64_t> inStride(rank);
  {
    int64_t s = 1;
    for (int i = rank - 1; i >= 0; --i) {
      inStride[i] = s;
      s *= shape[i];
    }
  }
  std::vector<int64_t> size(rank), istr(rank); // per collapsed output axis
  int r = 0;
  for (int i = 0; i < rank; ++i) {
    const int64_t ax = perm[i];
    if (shape[ax] == 1)
      continue;
    if (r > 0 && istr[r - 1] == inStride[ax] * shape[ax]) {
      // The previous output axis steps over exactly this one in the input:
      // both walk memory as a single axis.
      size[r - 1] *= shape[ax];
      istr[r - 1] = inStride[ax];
      continue;
    }
    size[r] = shape[ax];
    istr[r] = inStride[ax];
    ++r;
  }
  if (r <= 1 || istr[r - 1] == 1) {
    // The innermost output axis is contiguous in the input: copy rows.
    const int64_t row = r == 0 ? 1 : size[r - 1];
    const int outerAxes = r == 0 ? 0 : r - 1;
    std::vector<int64_t> idx(rank);
    int64_t src = 0;
    for (int64_t dst = 0; dst < total; dst += row) {
      copyFloats(out + dst, x + src, row);
      for (int a = outerAxes - 1; a >= 0; --a) {
        src += istr[a];
        if (++idx[a] < size[a])
          break;
        src -= istr[a] * size[a];
        idx[a] = 0;
      }
    }
    return;
  }

  // General case: q is the output axis that is contiguous in the input (after
  // collapsing, the input's last axis always has stride 1, so q exists). Tile
  // the (q, last) plane so that both reads and writes stay in cache.
  const int last = r - 1;
  int q = -1;
  for (int i = 0; i < r; ++i)
    if (istr[i] == 1)
      q = i;
  std::vector<int64_t> ostr(rank);
  {
    int64_t s = 1;
    for (int i = r - 1; i >= 0; --i) {
      ostr[i] = s;
      s *= size[i];
    }
  }
  // Odometer over the other axes.
  std::vector<int> others(rank);
  int nOthers = 0;
  for (int i = 0; i < r; ++i)
    if (i != q && i != last)
      others[nOthers++] = i;
  int64_t planes = total / (size[q] * size[last]);
  const int64_t nq = size[q], nl = size[last];
  const int64_t oq = ostr[q];    // output stride of q (output last has stride 1)
  const int64_t il = istr[last]; // input stride of last (input q has stride 1)
  constexpr int64_t kTile = 32;
  std::vector<int64_t> idx(rank);
  int64_t src = 0, dst = 0;
  for (int64_t p = 0; p < planes; ++p) {
    const float *xs = x + src;
    float *os = out + dst;
    for (int64_t a0 = 0; a0 < nq; a0 += kTile) {
      const int64_t a1 = std::min(nq, a0 + kTile);
      for (int64_t b0 = 0; b0 < nl; b0 += kTile) {
        const int64_t b1 = std::min(nl, b0 + kTile);
        int64_t a = a0;
        for (; a + 4 <= a1; a += 4) {
          int64_t b = b0;
          for (; b + 4 <= b1; b += 4) {
            // r_i[j] = in(a + j, b + i); out row a + j gets r_0..3[j].
            const V4 r0 = load4(xs + a + b * il), r1 = load4(xs + a + (b + 1) * il);
            const V4 r2 = load4(xs + a + (b + 2) * il), r3 = load4(xs + a + (b + 3) * il);
            const V4 t0 = __builtin_shufflevector(r0, r1, 0, 4, 1, 5);
            const V4 t1 = __builtin_shufflevector(r0, r1, 2, 6, 3, 7);
            const V4 t2 = __builtin_shufflevector(r2, r3, 0, 4, 1, 5);
            const V4 t3 = __builtin_shufflevector(r2, r3, 2, 6, 3, 7);
            store4(os + a * oq + b, __builtin_shufflevector(t0, t2, 0, 1, 4, 5));
            store4(os + (a + 1) * oq + b, __builtin_shufflevector(t0, t2, 2, 3, 6, 7));
            store4(os + (a + 2) * oq + b, __builtin_shufflevector(t1, t3, 0, 1, 4, 5));
            store4(os + (a + 3) * oq + b, __builtin_shufflevector(t1, t3, 2, 3, 6, 7));
          }
          for (; b < b1; ++b)
            for (int64_t j = 0; j < 4; ++j)
              os[(a + j) * oq + b] = xs[a + j + b * il];
        }
        for (; a < a1; ++a)
          for (int64_t b = b0; b < b1; ++b)
            os[a * oq + b] = xs[a + b * il];
      }
    }
    for (int k = nOthers - 1; k >= 0; --k) {
      int a = others[k];
      src += istr[a];
      dst += ostr[a];
      if (++idx[a] < size[a])
        break;
      src -= istr[a] * size[a];
      dst -= ostr[a] * size[a];
      idx[a] = 0;
    }
  }
}

void concat(const std::vector<const float *> &inputs,
            const std::vector<int64_t> &axisSizes, float *out, int64_t outer,
            int64_t inner) {
  const size_t n = std::min(inputs.size(), axisSizes.size());
  for (int64_t o = 0; o < outer; ++o) {
    for (size_t j = 0; j < n; ++j) {
      const int64_t len = axisSizes[j] * inner;
      copyFloats(out, inputs[j] + o * len, len);
      out += len;
    }
  }
}

void slice(const float *x, float *out, int64_t outer, int64_t axis, int64_t inner,
           int64_t offset, int64_t size) {
  const int64_t len = size * inner;
  for (int64_t o = 0; o < outer; ++o)
    copyFloats(out + o * len, x + (o * axis + offset) * inner, len);
}

//===----------------------------------------------------------------------===//
// Loss
//===----------------------------------------------------------------------===//

float mseForward(const float *pred, const float *target, int64_t count) {
  if (count <= 0)
    return std::nanf("");
  double acc[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  int64_t i = 0;
  for (; i + 8 <= count; i += 8)
    for (int l = 0; l < 8; ++l) {
      double diff = static_cast<double>(pred[i + l]) - target[i + l];
      acc[l] += diff * diff;
    }
  double sum = 0.0;
  for (int l = 0; l < 8; ++l)
    sum += acc[l];
  for (; i < count; ++i) {
    double diff = static_cast<double>(pred[i]) - target[i];
    sum += diff * diff;
  }
  return static_cast<float>(sum / static_cast<double>(count));
}

void mseBackward(const float *pred, const float *target, float dloss, float *dpred,
                 int64_t count) {
  if (count <= 0)
    return;
  // PyTorch: (pred - target) * (2 / numel) * grad_output.
  const float norm = static_cast<float>(2.0 / static_cast<double>(count));
  for (int64_t i = 0; i < count; ++i)
    dpred[i] = (pred[i] - target[i]) * norm * dloss;
}

//===----------------------------------------------------------------------===//
// Optimizers
//===----------------------------------------------------------------------===//

void sgdUpdate(float *w, const float *grad, float *momentumBuf, int64_t count,
               float lr, float momentum, float dampening, float weightDecay,
               bool nesterov, int64_t step) {
  const float negLr = -lr;
  if (momentum == 0.0f || !momentumBuf) {
#pragma omp parallel for simd if (count >= kParallelElements)
    for (int64_t i = 0; i < count; ++i)
      w[i] += negLr * (grad[i] + weightDecay * w[i]);
    return;
  }
  const float oneMinusDamp = static_cast<float>(1.0 - static_cast<double>(dampening));
  const bool first = step <= 1;
#pragma omp parallel for simd if (count >= kParallelElements)
  for (int64_t i = 0; i < count; ++i) {
    float g = grad[i] + weightDecay * w[i];
    float buf = first ? g : momentum * momentumBuf[i] + oneMinusDamp * g;
    momentumBuf[i] = buf;
    float d = nesterov ? g + momentum * buf : buf;
    w[i] += negLr * d;
  }
}

void adamUpdate(float *w, const float *grad, float *m, float *v, int64_t count,
                float lr, double beta1, double beta2, double eps, double weightDecay,
                bool decoupled, int64_t step) {
  // Scalars as PyTorch's Python code computes them (double), then rounded to
  // float where they meet the tensors.
  const double t = static_cast<double>(step < 1 ? 1 : step);
  const double biasCorrection1 = 1.0 - std::pow(beta1, t);
  const double biasCorrection2 = 1.0 - std::pow(beta2, t);
  const float negStepSize = static_cast<float>(-(static_cast<double>(lr) / biasCorrection1));
  const float bc2Sqrt = static_cast<float>(std::sqrt(biasCorrection2));
  const float oneMinusB1 = static_cast<float>(1.0 - beta1);
  const float oneMinusB2 = static_cast<float>(1.0 - beta2);
  const float b1 = static_cast<float>(beta1), b2 = static_cast<float>(beta2);
  const float epsilon = static_cast<float>(eps);
  // AdamW: w *= 1 - lr·wd first (a multiply by 1 otherwise); Adam: g += wd·w.
  const float decay =
      decoupled ? static_cast<float>(1.0 - static_cast<double>(lr) * weightDecay) : 1.0f;
  const float l2 = decoupled ? 0.0f : static_cast<float>(weightDecay);
  // Memory-bound (seven streams of floats): large parameters use every core.
#pragma omp parallel for schedule(static) if (count >= kParallelElements)
  for (int64_t i0 = 0; i0 < count; i0 += kChunk) {
    std::array<float, kChunk> denom;
    const int64_t n = std::min(kChunk, count - i0);
    float *wc = w + i0, *mc = m + i0, *vc = v + i0;
    const float *gc = grad + i0;
    for (int64_t i = 0; i < n; ++i) {
      const float wi = wc[i] * decay;
      const float g = gc[i] + l2 * wi;
      const float mi = b1 * mc[i] + oneMinusB1 * g;
      const float vi = b2 * vc[i] + oneMinusB2 * g * g;
      wc[i] = wi;
      mc[i] = mi;
      vc[i] = vi;
      denom[i] = vi;
    }
    sqrtInPlace(denom.data(), n);
    for (int64_t i = 0; i < n; ++i)
      wc[i] = wc[i] + negStepSize * mc[i] / (denom[i] / bc2Sqrt + epsilon);
  }
}

} // namespace hpt::rt
