//===- Kernels.h - host (CPU) kernels of the hpt runtime --------*- C++ -*-===//
//
// Float32, dense, row-major kernels for the forward and backward ops of the
// hpt dialect and the optimizer updates. Matrix products run on the panel
// kernel (Gemm.h) or single-threaded OpenBLAS calls, split over the cores by
// OpenMP; the rest are single-pass loops the compiler vectorises. Every kernel writes its whole output (no accumulation unless
// stated) and never allocates on the hot path except where noted.
//
// Shapes are passed as element counts; "rows x d" means a [rows, d] view of a
// tensor whose last axis has d elements.
//
//===----------------------------------------------------------------------===//

#ifndef HPT_RUNTIME_HOST_KERNELS_H
#define HPT_RUNTIME_HOST_KERNELS_H

#include "runtime/host/Gemm.h"

#include <cstdint>
#include <vector>

namespace hpt::rt {

//===----------------------------------------------------------------------===//
// Matrix products
//===----------------------------------------------------------------------===//

/// C[m, n] = op(A)·op(B) for `batch` independent products; op transposes when
/// asked. A is [m, k] (or [k, m] when transA), B is [k, n] (or [n, k]), all
/// contiguous, consecutive batches `m*k`, `k*n`, `m*n` elements apart.
void batchedMatmul(int64_t batch, bool transA, bool transB, int64_t m, int64_t n,
                   int64_t k, const float *a, const float *b, float *c);

/// y[rows, out] = x[rows, in]·w[out, in]ᵀ + bias[out] (bias may be null).
void linearForward(const float *x, const float *w, const float *bias, float *y,
                   int64_t rows, int64_t in, int64_t out);

/// linearForward with w already packed (PackedPanels of wᵀ: depth `in`,
/// `out` columns). Needs hasPanelKernel().
void linearForwardPacked(const float *x, const PackedPanels &w, const float *bias, float *y,
                         int64_t rows);

/// C[m, n] = op(A)·B with B already packed ([k, n]). Needs hasPanelKernel().
void matmulPacked(bool transA, int64_t m, const float *a, const PackedPanels &b, float *c);

/// out[j] = Σ_i x[i, j] over a [rows, cols] view (the bias gradient).
void sumRows(const float *x, float *out, int64_t rows, int64_t cols);

//===----------------------------------------------------------------------===//
// Elementwise
//===----------------------------------------------------------------------===//

void add(const float *a, const float *b, float *out, int64_t count);
/// out = factor·x
void scale(const float *x, float factor, float *out, int64_t count);
/// out[i] = max(x[i], 0)
void reluForward(const float *x, float *out, int64_t count);
/// dx[i] = x[i] > 0 ? dy[i] : 0
void reluBackward(const float *dy, const float *x, float *dx, int64_t count);
/// Exact GELU x·Φ(x) (erf), or the tanh approximation when `tanhApprox`
/// (PyTorch's approximate='tanh').
void geluForward(const float *x, float *out, int64_t count, bool tanhApprox);
void geluBackward(const float *dy, const float *x, float *dx, int64_t count,
                  bool tanhApprox);

/// Inverted dropout: element i is kept iff uniform01(seed, step, i) >= p, and
/// kept elements are scaled by 1/(1-p). The mask depends only on (seed, step,
/// i), so the backward pass applies the same op to the gradient. p == 0 copies.
void dropout(const float *x, float *out, int64_t count, float p, uint64_t seed,
             uint64_t step);
/// Dropout's noise for the same (seed, step): 1/(1−p) where dropout keeps
/// element i, else 0, so that dropout(x) = x · noise bit for bit.
void dropoutNoise(float *noise, int64_t count, float p, uint64_t seed, uint64_t step);

/// out = x + PE for x viewed as [outer, tokens, d]: PE[t, 2i] =
/// sin(t·div_i), PE[t, 2i+1] = cos(t·div_i), div_i = exp(2i·(−ln 10000/d)),
/// all in float32 as the HpT scripts build their table in PyTorch.
void positionalEncoding(const float *x, float *out, int64_t outer, int64_t tokens,
                        int64_t d);

//===----------------------------------------------------------------------===//
// Normalisation
//===----------------------------------------------------------------------===//

/// Softmax over the middle axis of an [outer, axis, inner] view.
void softmaxForward(const float *x, float *y, int64_t outer, int64_t axis,
                    int64_t inner);
/// dx = y ⊙ (dy − Σ_axis dy ⊙ y), same view.
void softmaxBackward(const float *dy, const float *y, float *dx, int64_t outer,
                     int64_t axis, int64_t inner);

/// Layer norm over the last axis of a [rows, d] view, biased variance.
void layerNormForward(const float *x, const float *gamma, const float *beta,
                      float *y, int64_t rows, int64_t d, float eps);
/// Gradients of layerNormForward (recomputes mean and variance from x):
/// dx [rows, d], dgamma [d], dbeta [d] (each may be null when not needed).
void layerNormBackward(const float *dy, const float *x, const float *gamma,
                       float *dx, float *dgamma, float *dbeta, int64_t rows,
                       int64_t d, float eps);

//===----------------------------------------------------------------------===//
// Data movement
//===----------------------------------------------------------------------===//

/// out = x with its axes permuted: out axis i is x axis perm[i]; any rank.
void transpose(const float *x, float *out, const std::vector<int64_t> &shape,
               const std::vector<int64_t> &perm);

/// Concatenation along the middle axis of [outer, axis_j, inner] views:
/// inputs[j] has axisSizes[j] elements on that axis.
void concat(const std::vector<const float *> &inputs,
            const std::vector<int64_t> &axisSizes, float *out, int64_t outer,
            int64_t inner);

/// out = x[:, offset:offset+size, :] for x viewed as [outer, axis, inner].
void slice(const float *x, float *out, int64_t outer, int64_t axis, int64_t inner,
           int64_t offset, int64_t size);

//===----------------------------------------------------------------------===//
// Loss
//===----------------------------------------------------------------------===//

/// mean((pred − target)²), accumulated in double.
float mseForward(const float *pred, const float *target, int64_t count);
/// dpred = dloss · 2·(pred − target)/count
void mseBackward(const float *pred, const float *target, float dloss, float *dpred,
                 int64_t count);

//===----------------------------------------------------------------------===//
// Optimizers (PyTorch's update rules exactly; `step` counts from 1)
//===----------------------------------------------------------------------===//

/// torch.optim.SGD: g += wd·w; if momentum: buf = momentum·buf + (1−dampening)·g
/// (buf = g on step 1), g = nesterov ? g + momentum·buf : buf; w −= lr·g.
void sgdUpdate(float *w, const float *grad, float *momentumBuf, int64_t count,
               float lr, float momentum, float dampening, float weightDecay,
               bool nesterov, int64_t step);

/// The per-step scalars of sgdUpdate and adamUpdate, as they meet the float
/// tensors: the host kernels and a device's optimizer step (the systolic
/// vector unit's coefficient block) use the same numbers.
struct SgdCoefficients {
  float negLr, momentum, oneMinusDampening, weightDecay;
  bool nesterov, first;
};
SgdCoefficients sgdCoefficients(float lr, float momentum, float dampening, float weightDecay,
                                bool nesterov, int64_t step);
struct AdamCoefficients {
  float beta1, oneMinusBeta1, beta2, oneMinusBeta2, negStepSize, sqrtBias2, eps, decay, l2;
};
AdamCoefficients adamCoefficients(float lr, double beta1, double beta2, double eps,
                                  double weightDecay, bool decoupled, int64_t step);
/// The updates with their coefficients computed (momentumBuf null: plain SGD).
void sgdUpdate(float *w, const float *grad, float *momentumBuf, int64_t count,
               const SgdCoefficients &k);
void adamUpdate(float *w, const float *grad, float *m, float *v, int64_t count,
                const AdamCoefficients &k);

/// torch.optim.Adam (weight decay as L2 added to the gradient) and AdamW
/// (decoupled: w *= 1 − lr·wd first), bias-corrected, amsgrad off, in
/// PyTorch 1.13's order of operations:
/// m = β1·m + (1−β1)·g; v = β2·v + (1−β2)·g²;
/// denom = sqrt(v)/sqrt(1−β2^t) + eps; w −= (lr/(1−β1^t))·m/denom.
/// The hyper-parameters are doubles as in PyTorch's Python code: 1−β and the
/// bias corrections are computed in double, then rounded where they meet the
/// float tensors.
void adamUpdate(float *w, const float *grad, float *m, float *v, int64_t count,
                float lr, double beta1, double beta2, double eps, double weightDecay,
                bool decoupled, int64_t step);

} // namespace hpt::rt

#endif // HPT_RUNTIME_HOST_KERNELS_H
