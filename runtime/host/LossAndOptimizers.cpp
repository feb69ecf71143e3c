//===- LossAndOptimizers.cpp - host kernels: MSE loss and the SGD, Adam and AdamW updates ---===//

#include "runtime/host/Kernels.h"
#include "runtime/host/KernelSupport.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>


namespace hpt::rt {

using namespace kernels;

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

SgdCoefficients sgdCoefficients(float lr, float momentum, float dampening, float weightDecay,
                                bool nesterov, int64_t step) {
  return {-lr, momentum, static_cast<float>(1.0 - static_cast<double>(dampening)), weightDecay,
          nesterov, step <= 1};
}

void sgdUpdate(float *w, const float *grad, float *momentumBuf, int64_t count,
               float lr, float momentum, float dampening, float weightDecay,
               bool nesterov, int64_t step) {
  sgdUpdate(w, grad, momentum == 0.0f ? nullptr : momentumBuf, count,
            sgdCoefficients(lr, momentum, dampening, weightDecay, nesterov, step));
}

void sgdUpdate(float *w, const float *grad, float *momentumBuf, int64_t count,
               const SgdCoefficients &k) {
  if (!momentumBuf) {
#pragma omp parallel for simd if (count >= kParallelElements)
    for (int64_t i = 0; i < count; ++i)
      w[i] += k.negLr * (grad[i] + k.weightDecay * w[i]);
    return;
  }
#pragma omp parallel for simd if (count >= kParallelElements)
  for (int64_t i = 0; i < count; ++i) {
    float g = grad[i] + k.weightDecay * w[i];
    float buf = k.first ? g : k.momentum * momentumBuf[i] + k.oneMinusDampening * g;
    momentumBuf[i] = buf;
    float d = k.nesterov ? g + k.momentum * buf : buf;
    w[i] += k.negLr * d;
  }
}

AdamCoefficients adamCoefficients(float lr, double beta1, double beta2, double eps,
                                  double weightDecay, bool decoupled, int64_t step) {
  // Scalars as PyTorch's Python code computes them (double), then rounded to
  // float where they meet the tensors.
  const double t = static_cast<double>(step < 1 ? 1 : step);
  const double biasCorrection1 = 1.0 - std::pow(beta1, t);
  const double biasCorrection2 = 1.0 - std::pow(beta2, t);
  AdamCoefficients k;
  k.beta1 = static_cast<float>(beta1);
  k.oneMinusBeta1 = static_cast<float>(1.0 - beta1);
  k.beta2 = static_cast<float>(beta2);
  k.oneMinusBeta2 = static_cast<float>(1.0 - beta2);
  k.negStepSize = static_cast<float>(-(static_cast<double>(lr) / biasCorrection1));
  k.sqrtBias2 = static_cast<float>(std::sqrt(biasCorrection2));
  k.eps = static_cast<float>(eps);
  // AdamW: w *= 1 - lr·wd first (a multiply by 1 otherwise); Adam: g += wd·w.
  k.decay = decoupled ? static_cast<float>(1.0 - static_cast<double>(lr) * weightDecay) : 1.0f;
  k.l2 = decoupled ? 0.0f : static_cast<float>(weightDecay);
  return k;
}

void adamUpdate(float *w, const float *grad, float *m, float *v, int64_t count,
                float lr, double beta1, double beta2, double eps, double weightDecay,
                bool decoupled, int64_t step) {
  adamUpdate(w, grad, m, v, count,
             adamCoefficients(lr, beta1, beta2, eps, weightDecay, decoupled, step));
}

void adamUpdate(float *w, const float *grad, float *m, float *v, int64_t count,
                const AdamCoefficients &k) {
  // Memory-bound (seven streams of floats): large parameters use every core.
#pragma omp parallel for schedule(static) if (count >= kParallelElements)
  for (int64_t i0 = 0; i0 < count; i0 += kChunk) {
    std::array<float, kChunk> denom;
    const int64_t n = std::min(kChunk, count - i0);
    float *wc = w + i0, *mc = m + i0, *vc = v + i0;
    const float *gc = grad + i0;
    for (int64_t i = 0; i < n; ++i) {
      const float wi = wc[i] * k.decay;
      const float g = gc[i] + k.l2 * wi;
      const float mi = k.beta1 * mc[i] + k.oneMinusBeta1 * g;
      const float vi = k.beta2 * vc[i] + k.oneMinusBeta2 * g * g;
      wc[i] = wi;
      mc[i] = mi;
      vc[i] = vi;
      denom[i] = vi;
    }
    sqrtInPlace(denom.data(), n);
    for (int64_t i = 0; i < n; ++i)
      wc[i] = wc[i] + k.negStepSize * mc[i] / (denom[i] / k.sqrtBias2 + k.eps);
  }
}

} // namespace hpt::rt
