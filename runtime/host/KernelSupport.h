//===- KernelSupport.h - helpers shared by the host kernel files -*- C++ -*-===//
//
// Internal to runtime/host: buffer helpers, thresholds and the four-wide
// vector math (exp, the normal CDF) the kernel families share. The kernels
// are contiguous loops that GCC vectorises or, where it cannot (exp/erf, 4x4
// transposes, loops with many pointers), explicit GCC/Clang vector extensions
// (GCC >= 12 for __builtin_shufflevector). Formulas follow PyTorch 1.13 (see
// Kernels.h).
//
//===----------------------------------------------------------------------===//

#ifndef HPT_RUNTIME_HOST_KERNELSUPPORT_H
#define HPT_RUNTIME_HOST_KERNELSUPPORT_H

#include <cmath>
#include <cstdint>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace hpt::rt::kernels {


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


} // namespace hpt::rt::kernels

#endif // HPT_RUNTIME_HOST_KERNELSUPPORT_H
