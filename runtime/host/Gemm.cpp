//===- Gemm.cpp - float32 matrix products on packed column panels ----------===//
//
// The AVX-512 functions are HPT_AVX512 (Avx512.h): without AVX-512F the
// callers stay on BLAS.
//
//===----------------------------------------------------------------------===//

#include "runtime/host/Gemm.h"
#include "runtime/host/Avx512.h"

#include <omp.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <cstring>

namespace hpt::rt {

bool hasPanelKernel() {
  static const bool available = [] {
    const char *choice = std::getenv("HPT_PANEL_GEMM");
    return !(choice && std::strcmp(choice, "0") == 0) && cpuHasAvx512f();
  }();
  return available;
}

namespace {

/// Lanes [0, count) set, count clamped to [0, 16].
HPT_AVX512 __mmask16 firstLanes(int64_t count) {
  return count >= 16 ? static_cast<__mmask16>(0xffff)
         : count <= 0 ? static_cast<__mmask16>(0)
                      : static_cast<__mmask16>((1u << count) - 1);
}

HPT_AVX512 __m512 unpackLo64(__m512 a, __m512 b) {
  return _mm512_castpd_ps(_mm512_unpacklo_pd(_mm512_castps_pd(a), _mm512_castps_pd(b)));
}
HPT_AVX512 __m512 unpackHi64(__m512 a, __m512 b) {
  return _mm512_castpd_ps(_mm512_unpackhi_pd(_mm512_castps_pd(a), _mm512_castps_pd(b)));
}

/// r[i][j] <- r[j][i] for a 16 x 16 block held in 16 registers.
HPT_AVX512 void transpose16(__m512 r[16]) {
  __m512 t[16];
  for (int i = 0; i < 16; i += 2) {
    t[i] = _mm512_unpacklo_ps(r[i], r[i + 1]);
    t[i + 1] = _mm512_unpackhi_ps(r[i], r[i + 1]);
  }
  for (int i = 0; i < 16; i += 4) {
    r[i] = unpackLo64(t[i], t[i + 2]);
    r[i + 1] = unpackHi64(t[i], t[i + 2]);
    r[i + 2] = unpackLo64(t[i + 1], t[i + 3]);
    r[i + 3] = unpackHi64(t[i + 1], t[i + 3]);
  }
  for (int q = 0; q < 16; q += 8)
    for (int s = 0; s < 4; ++s) {
      t[q + s] = _mm512_shuffle_f32x4(r[q + s], r[q + s + 4], 0x88);
      t[q + s + 4] = _mm512_shuffle_f32x4(r[q + s], r[q + s + 4], 0xdd);
    }
  for (int s = 0; s < 8; ++s) {
    r[s] = _mm512_shuffle_f32x4(t[s], t[s + 8], 0x88);
    r[s + 8] = _mm512_shuffle_f32x4(t[s], t[s + 8], 0xdd);
  }
}

/// Panels from B [k, n] (row stride ldb): each k contributes 32 consecutive floats.
HPT_AVX512 void packRows(const float *b, int64_t ldb, int64_t k, int64_t n, float *out) {
  for (int64_t p = 0; p * kPanelWidth < n; ++p) {
    int64_t width = std::min(kPanelWidth, n - p * kPanelWidth);
    __mmask16 lo = firstLanes(width), hi = firstLanes(width - 16);
    const float *src = b + p * kPanelWidth;
    float *dst = out + p * k * kPanelWidth;
    for (int64_t kk = 0; kk < k; ++kk, src += ldb, dst += kPanelWidth) {
      _mm512_storeu_ps(dst, _mm512_maskz_loadu_ps(lo, src));
      _mm512_storeu_ps(dst + 16, _mm512_maskz_loadu_ps(hi, src + 16));
    }
  }
}

/// Panels from B stored transposed, [n, k] (row stride ldb), 16 x 16 blocks at a time.
HPT_AVX512 void packTransposed(const float *b, int64_t ldb, int64_t k, int64_t n,
                               float *out) {
  __m512 r[16];
  for (int64_t p = 0; p * kPanelWidth < n; ++p)
    for (int64_t half = 0; half < 2; ++half) {
      int64_t col = p * kPanelWidth + half * 16;
      int64_t rows = std::clamp<int64_t>(n - col, 0, 16);
      for (int64_t k0 = 0; k0 < k; k0 += 16) {
        __mmask16 depth = firstLanes(k - k0);
        for (int64_t i = 0; i < 16; ++i)
          r[i] = i < rows ? _mm512_maskz_loadu_ps(depth, b + (col + i) * ldb + k0)
                          : _mm512_setzero_ps();
        transpose16(r);
        float *dst = out + (p * k + k0) * kPanelWidth + half * 16;
        for (int64_t i = 0; i < std::min<int64_t>(16, k - k0); ++i)
          _mm512_storeu_ps(dst + i * kPanelWidth, r[i]);
      }
    }
}

/// C[ROWS, width] = A[ROWS, k]·panel + beta·C, A(i, kk) at a[i·rs + kk·cs].
template <int ROWS>
HPT_AVX512 inline void tile(int64_t k, const float *a, int64_t rs, int64_t cs,
                            const float *panel, float beta, float *c, int64_t ldc,
                            __mmask16 lo, __mmask16 hi) {
  __m512 acc[ROWS][2];
  for (int i = 0; i < ROWS; ++i)
    acc[i][0] = acc[i][1] = _mm512_setzero_ps();
  for (int64_t kk = 0; kk < k; ++kk, a += cs, panel += kPanelWidth) {
    __m512 b0 = _mm512_loadu_ps(panel), b1 = _mm512_loadu_ps(panel + 16);
    for (int i = 0; i < ROWS; ++i) {
      __m512 ai = _mm512_set1_ps(a[i * rs]);
      acc[i][0] = _mm512_fmadd_ps(ai, b0, acc[i][0]);
      acc[i][1] = _mm512_fmadd_ps(ai, b1, acc[i][1]);
    }
  }
  __m512 scale = _mm512_set1_ps(beta);
  for (int i = 0; i < ROWS; ++i, c += ldc) {
    if (beta != 0.0f) {
      acc[i][0] = _mm512_fmadd_ps(scale, _mm512_maskz_loadu_ps(lo, c), acc[i][0]);
      acc[i][1] = _mm512_fmadd_ps(scale, _mm512_maskz_loadu_ps(hi, c + 16), acc[i][1]);
    }
    _mm512_mask_storeu_ps(c, lo, acc[i][0]);
    _mm512_mask_storeu_ps(c + 16, hi, acc[i][1]);
  }
}

template <int ROWS>
HPT_AVX512 void tailTile(int64_t rows, int64_t k, const float *a, int64_t rs, int64_t cs,
                         const float *panel, float beta, float *c, int64_t ldc,
                         __mmask16 lo, __mmask16 hi) {
  if constexpr (ROWS > 0) {
    if (rows == ROWS)
      return tile<ROWS>(k, a, rs, cs, panel, beta, c, ldc, lo, hi);
    tailTile<ROWS - 1>(rows, k, a, rs, cs, panel, beta, c, ldc, lo, hi);
  }
}

HPT_AVX512 void gemmPanelsAvx512(bool transA, int64_t m, const float *a, int64_t lda,
                                 const PackedPanels &b, int64_t p0, int64_t p1, float beta,
                                 float *c, int64_t ldc) {
  const int64_t rs = transA ? 1 : lda, cs = transA ? lda : 1, k = b.depth();
  for (int64_t p = p0; p < p1; ++p) {
    int64_t width = std::min(kPanelWidth, b.columns() - p * kPanelWidth);
    __mmask16 lo = firstLanes(width), hi = firstLanes(width - 16);
    float *cp = c + p * kPanelWidth;
    int64_t i = 0;
    for (; i + kTileRows <= m; i += kTileRows)
      tile<kTileRows>(k, a + i * rs, rs, cs, b.panel(p), beta, cp + i * ldc, ldc, lo, hi);
    tailTile<kTileRows - 1>(m - i, k, a + i * rs, rs, cs, b.panel(p), beta, cp + i * ldc,
                            ldc, lo, hi);
  }
}

} // namespace

/// Floats of slack that let the panels start on a 64-byte boundary (a panel
/// row is two cache lines; unaligned, every load of it would touch three).
constexpr int64_t kAlignmentSlack = 64 / sizeof(float) - 1;

uint64_t PackedPanels::bytesFor(int64_t k, int64_t n) {
  return static_cast<uint64_t>((n + kPanelWidth - 1) / kPanelWidth * kPanelWidth * k +
                               kAlignmentSlack) *
         sizeof(float);
}

void PackedPanels::pack(const float *b, int64_t ldb, bool transposed, int64_t depth,
                        int64_t cols, int64_t col0) {
  k = depth;
  n = cols;
  data.resize(bytesFor(k, n) / sizeof(float));
  auto address = reinterpret_cast<uintptr_t>(data.data());
  base = data.data() + ((64 - address % 64) % 64) / sizeof(float);
  if (transposed)
    packTransposed(b + col0 * ldb, ldb, k, n, base);
  else
    packRows(b + col0, ldb, k, n, base);
}

void gemmPanels(bool transA, int64_t m, const float *a, int64_t lda, const PackedPanels &b,
                int64_t p0, int64_t p1, float beta, float *c, int64_t ldc) {
  gemmPanelsAvx512(transA, m, a, lda, b, p0, p1, beta, c, ldc);
}

void gemmPanelsInParallel(bool transA, int64_t m, const float *a, int64_t lda,
                          const PackedPanels &b, float beta, float *c, int64_t ldc) {
  int64_t panels = b.panels();
  int threads = m * b.columns() * b.depth() >= kParallelWork
                    ? std::min<int64_t>(omp_get_max_threads(), panels)
                    : 1;
#pragma omp parallel num_threads(threads)
  {
    int64_t t = omp_get_thread_num(), count = omp_get_num_threads();
    gemmPanelsAvx512(transA, m, a, lda, b, panels * t / count, panels * (t + 1) / count,
                     beta, c, ldc);
  }
}

} // namespace hpt::rt
