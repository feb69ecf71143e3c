//===- Attention.h - fused multi-head self-attention (forward) --*- C++ -*-===//
//
// hpt.self_attention in one call, for evaluation programs that keep the op
// fused. It runs the same kernels in the same order as the op's expansion by
// hpt-decompose-attention, so both give identical results.
//
//===----------------------------------------------------------------------===//

#ifndef HPT_RUNTIME_HOST_ATTENTION_H
#define HPT_RUNTIME_HOST_ATTENTION_H

#include <cstdint>

namespace hpt::rt {

struct AttentionShape {
  int64_t batch, tokens, heads, headDim;
  int64_t width() const { return heads * headDim; }
};

/// Floats of scratch memory selfAttentionForward needs.
int64_t selfAttentionWorkspace(const AttentionShape &shape);

/// y = O(softmax(Q·Kᵀ/√head_dim)·V) per head for x [batch, tokens, width];
/// weights[] = {wq, bq, wk, bk, wv, bv, wo, bo} ([width, width] and [width]).
void selfAttentionForward(const float *x, const float *const weights[8], float *y,
                          const AttentionShape &shape, float *workspace);

} // namespace hpt::rt

#endif // HPT_RUNTIME_HOST_ATTENTION_H
