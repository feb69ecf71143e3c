//===- Attention.cpp - fused multi-head self-attention (forward) ----------===//

#include "runtime/host/Attention.h"

#include "runtime/host/Kernels.h"

#include <cmath>
#include <vector>

namespace hpt::rt {

namespace {
int64_t activations(const AttentionShape &s) { return s.batch * s.tokens * s.width(); }
int64_t scores(const AttentionShape &s) { return s.batch * s.heads * s.tokens * s.tokens; }
} // namespace

int64_t selfAttentionWorkspace(const AttentionShape &shape) {
  // q, k, v, their head-major copies, and the context: 7 activations; the
  // scores twice (before and after scaling).
  return 7 * activations(shape) + 2 * scores(shape);
}

void selfAttentionForward(const float *x, const float *const w[8], float *y,
                          const AttentionShape &s, float *workspace) {
  int64_t rows = s.batch * s.tokens, width = s.width(), size = activations(s);
  std::vector<int64_t> split = {s.batch, s.tokens, s.heads, s.headDim};
  std::vector<int64_t> merged = {s.batch, s.heads, s.tokens, s.headDim};
  const std::vector<int64_t> swap = {0, 2, 1, 3};
  float *projected[3], *heads[3];
  for (int i = 0; i < 3; ++i) {
    projected[i] = workspace + i * size;
    heads[i] = workspace + (3 + i) * size;
    linearForward(x, w[2 * i], w[2 * i + 1], projected[i], rows, width, width);
    transpose(projected[i], heads[i], split, swap);
  }
  float *context = workspace + 6 * size;
  float *raw = workspace + 7 * size, *weights = raw + scores(s);
  int64_t pairs = s.batch * s.heads;
  batchedMatmul(pairs, false, true, s.tokens, s.tokens, s.headDim, heads[0], heads[1], raw);
  scale(raw, static_cast<float>(1.0 / std::sqrt(static_cast<double>(s.headDim))), raw,
        scores(s));
  softmaxForward(raw, weights, pairs * s.tokens, s.tokens, 1);
  batchedMatmul(pairs, false, false, s.tokens, s.headDim, s.tokens, weights, heads[2],
                context);
  float *tokensFirst = projected[0]; // q is no longer needed
  transpose(context, tokensFirst, merged, swap);
  linearForward(tokensFirst, w[6], w[7], y, rows, width, width);
}

} // namespace hpt::rt
