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
