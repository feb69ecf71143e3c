//===- Elementwise.cpp - host kernels: elementwise ops, dropout and the positional encoding ---===//

#include "runtime/host/Kernels.h"
#include "runtime/host/KernelSupport.h"
#include "runtime/host/Rng.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>


namespace hpt::rt {

using namespace kernels;

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

void dropoutNoise(float *noise, int64_t count, float p, uint64_t seed, uint64_t step) {
  std::fill_n(noise, std::max<int64_t>(count, 0), 1.0f);
  if (p > 0.0f) // 1 · 1/(1−p) is 1/(1−p) exactly
    dropout(noise, noise, count, p, seed, step);
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

} // namespace hpt::rt
