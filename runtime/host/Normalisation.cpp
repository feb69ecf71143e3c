//===- Normalisation.cpp - host kernels: softmax and layer norm, forward and backward ---===//

#include "runtime/host/Kernels.h"
#include "runtime/host/KernelSupport.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>


namespace hpt::rt {

using namespace kernels;

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

} // namespace hpt::rt
