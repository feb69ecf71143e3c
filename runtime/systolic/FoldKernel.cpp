//===- FoldKernel.cpp - the fp32 arithmetic of the array's folds ----------===//

#include "runtime/systolic/FoldKernel.h"

#include "runtime/host/Avx512.h"

#include <omp.h>

#include <algorithm>
#include <vector>

namespace hpt::systolic {
namespace {

void foldRowPortable(const FloatFold &f, float *line, uint64_t i) {
  float *out = f.out + i * f.ldo;
  for (uint64_t j = 0; j < f.n; ++j)
    line[j] = f.continueChain ? out[j] : 0.0f;
  for (uint64_t kk = 0; kk < f.k; ++kk) {
    const float x = f.a[i * f.aRow + kk * f.aCol], *row = f.b + kk * f.ldb;
    for (uint64_t j = 0; j < f.n; ++j)
      line[j] += x * row[j];
  }
  for (uint64_t j = 0; j < f.n; ++j)
    out[j] = f.addToOut ? out[j] + line[j] : line[j];
}

/// A block of R rows by 32 columns held in registers across the whole k
/// loop, so each row of b loaded serves R rows (masked at the right edge).
template <int R>
HPT_AVX512 void foldBlockAvx512(const FloatFold &f, uint64_t i0, uint64_t j0) {
  const int64_t left = int64_t(f.n) - int64_t(j0);
  const __mmask16 m0 = left >= 16 ? __mmask16(0xffff) : __mmask16((1u << left) - 1);
  const __mmask16 m1 = left >= 32   ? __mmask16(0xffff)
                       : left > 16 ? __mmask16((1u << (left - 16)) - 1)
                                   : __mmask16(0);
  __m512 acc[R][2];
  for (int r = 0; r < R; ++r) {
    const float *out = f.out + (i0 + r) * f.ldo + j0;
    acc[r][0] = f.continueChain ? _mm512_maskz_loadu_ps(m0, out) : _mm512_setzero_ps();
    acc[r][1] = f.continueChain ? _mm512_maskz_loadu_ps(m1, out + 16) : _mm512_setzero_ps();
  }
  const float *a = f.a + i0 * f.aRow;
  for (uint64_t kk = 0; kk < f.k; ++kk) {
    const float *row = f.b + kk * f.ldb + j0;
    const __m512 b0 = _mm512_maskz_loadu_ps(m0, row), b1 = _mm512_maskz_loadu_ps(m1, row + 16);
    for (int r = 0; r < R; ++r) {
      const __m512 x = _mm512_set1_ps(a[r * f.aRow + kk * f.aCol]);
      acc[r][0] = _mm512_fmadd_ps(x, b0, acc[r][0]);
      acc[r][1] = _mm512_fmadd_ps(x, b1, acc[r][1]);
    }
  }
  for (int r = 0; r < R; ++r) {
    float *out = f.out + (i0 + r) * f.ldo + j0;
    if (f.addToOut) {
      acc[r][0] = _mm512_add_ps(_mm512_maskz_loadu_ps(m0, out), acc[r][0]);
      acc[r][1] = _mm512_add_ps(_mm512_maskz_loadu_ps(m1, out + 16), acc[r][1]);
    }
    _mm512_mask_storeu_ps(out, m0, acc[r][0]);
    _mm512_mask_storeu_ps(out + 16, m1, acc[r][1]);
  }
}

constexpr uint64_t kBlockRows = 8, kBlockCols = 32;

/// One block of up to kBlockRows rows at row block `ib`, column block `jb`.
HPT_AVX512 void foldBlockAt(const FloatFold &f, uint64_t ib, uint64_t jb) {
  const uint64_t i0 = ib * kBlockRows, j0 = jb * kBlockCols;
  switch (std::min(kBlockRows, f.m - i0)) {
  case 8: return foldBlockAvx512<8>(f, i0, j0);
  case 7: return foldBlockAvx512<7>(f, i0, j0);
  case 6: return foldBlockAvx512<6>(f, i0, j0);
  case 5: return foldBlockAvx512<5>(f, i0, j0);
  case 4: return foldBlockAvx512<4>(f, i0, j0);
  case 3: return foldBlockAvx512<3>(f, i0, j0);
  case 2: return foldBlockAvx512<2>(f, i0, j0);
  default: return foldBlockAvx512<1>(f, i0, j0);
  }
}

/// b stays in cache across the row blocks while it fits there; otherwise
/// each column panel of b does, walked down all rows.
constexpr uint64_t kCachedBBytes = 256 * 1024;

/// Steps below this many MACs run on one core: splitting them costs more
/// than it saves.
constexpr uint64_t kParallelMacs = 1 << 20;

void foldPortable(const FloatFold &f) {
  // One line per thread, allocated before the threads start (an exception
  // must not leave a parallel region).
  const bool parallel = f.m * f.k * f.n >= kParallelMacs;
  std::vector<float> lines(f.n * (parallel ? omp_get_max_threads() : 1));
#pragma omp parallel if (parallel)
  {
    float *line = lines.data() + f.n * omp_get_thread_num();
#pragma omp for schedule(static)
    for (uint64_t i = 0; i < f.m; ++i)
      foldRowPortable(f, line, i);
  }
}

void foldAvx512(const FloatFold &f) {
  const uint64_t rowBlocks = (f.m + kBlockRows - 1) / kBlockRows;
  const uint64_t colBlocks = (f.n + kBlockCols - 1) / kBlockCols;
  const bool parallel = f.m * f.k * f.n >= kParallelMacs;
  if (f.k * f.n * sizeof(float) <= kCachedBBytes) {
#pragma omp parallel for schedule(static) if (parallel)
    for (uint64_t ib = 0; ib < rowBlocks; ++ib)
      for (uint64_t jb = 0; jb < colBlocks; ++jb)
        foldBlockAt(f, ib, jb);
  } else {
#pragma omp parallel for schedule(static) if (parallel)
    for (uint64_t jb = 0; jb < colBlocks; ++jb)
      for (uint64_t ib = 0; ib < rowBlocks; ++ib)
        foldBlockAt(f, ib, jb);
  }
}

} // namespace

void runFoldStep(const FloatFold &f) {
  if (rt::cpuHasAvx512f())
    foldAvx512(f);
  else
    foldPortable(f);
}

} // namespace hpt::systolic
