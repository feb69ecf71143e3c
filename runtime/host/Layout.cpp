//===- Layout.cpp - host kernels: transpose, concat and slice ---------------===//

#include "runtime/host/Kernels.h"
#include "runtime/host/KernelSupport.h"

#include <algorithm>
#include <cmath>
#include <cstring>


namespace hpt::rt {

using namespace kernels;

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

} // namespace hpt::rt
