//===- Products.cpp - host kernels: matrix products and the bias gradient ---===//

#include "runtime/host/Kernels.h"
#include "runtime/host/KernelSupport.h"
#include "runtime/host/Gemm.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include <cblas.h>
#include <omp.h>

namespace hpt::rt {

using namespace kernels;

//===----------------------------------------------------------------------===//
// Matrix products
//===----------------------------------------------------------------------===//

namespace {
/// OpenBLAS spreads these small-M (57-row) products badly over its threads,
/// so the runtime splits them itself: every sgemm call runs on one thread and
/// OpenMP shares the columns (or the batch) between the cores.
void useSingleThreadedBlas() {
  static const bool once = [] {
    openblas_set_num_threads(1);
    return true;
  }();
  (void)once;
}

/// Rows from which packing B on every call pays for itself (fewer: a
/// matrix-vector product, for which BLAS reads B once anyway).
constexpr int64_t kRowsWorthPacking = kTileRows;

/// C[m, n] = op(A)·op(B) + beta·C on one thread: on the panel kernel when it
/// runs here and the product has rows enough to repay packing B, else BLAS.
void productOnOneThread(bool transA, bool transB, int64_t m, int64_t n, int64_t k,
                        const float *a, int64_t lda, const float *b, int64_t ldb,
                        float beta, float *c, int64_t ldc) {
  if (hasPanelKernel() && m >= kRowsWorthPacking) {
    thread_local PackedPanels packed;
    packed.pack(b, ldb, transB, k, n);
    gemmPanels(transA, m, a, lda, packed, 0, packed.panels(), beta, c, ldc);
    return;
  }
  useSingleThreadedBlas();
  cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans,
              transB ? CblasTrans : CblasNoTrans, static_cast<blasint>(m),
              static_cast<blasint>(n), static_cast<blasint>(k), 1.0f, a,
              static_cast<blasint>(lda), b, static_cast<blasint>(ldb), beta, c,
              static_cast<blasint>(ldc));
}

/// C[m, n] = op(A)·op(B) + beta·C, row-major, columns split across the
/// cores in whole panels. On the panel kernel an element's sum does not depend
/// on which columns share its call; OpenBLAS gives no such promise (its kernel
/// choice depends on the slice's size), hence docs/bundle.md's same-thread-count
/// rule for bit-exact resumes.
void productColumnsInParallel(bool transA, bool transB, int64_t m, int64_t n, int64_t k,
                              const float *a, int64_t lda, const float *b, int64_t ldb,
                              float beta, float *c, int64_t ldc) {
  int threads = m * n * k >= kParallelWork ? omp_get_max_threads() : 1;
  int64_t block = ((n + threads - 1) / threads + kPanelWidth - 1) / kPanelWidth * kPanelWidth;
#pragma omp parallel for num_threads(threads) schedule(static)
  for (int64_t j0 = 0; j0 < n; j0 += block) {
    // Columns j0.. of op(B): B[k, n] -> offset j0; B[n, k] (transposed) -> row j0.
    const float *bSlice = transB ? b + j0 * ldb : b + j0;
    productOnOneThread(transA, transB, m, std::min(block, n - j0), k, a, lda, bSlice, ldb,
                       beta, c + j0, ldc);
  }
}
} // namespace

void batchedMatmul(int64_t batch, bool transA, bool transB, int64_t m, int64_t n,
                   int64_t k, const float *a, const float *b, float *c) {
  if (batch <= 0 || m <= 0 || n <= 0)
    return;
  if (k <= 0) {
    zeroFloats(c, batch * m * n);
    return;
  }
  const int64_t lda = transA ? m : k, ldb = transB ? k : n;
  if (batch == 1) {
    productColumnsInParallel(transA, transB, m, n, k, a, lda, b, ldb, 0.0f, c, n);
    return;
  }
#pragma omp parallel for schedule(static) if (batch * m * n * k >= kParallelWork)
  for (int64_t i = 0; i < batch; ++i)
    productOnOneThread(transA, transB, m, n, k, a + i * m * k, lda, b + i * k * n, ldb, 0.0f,
                       c + i * m * n, n);
}

namespace {
/// Fills y[rows, out] with the bias in every row, when there is one; returns
/// the beta with which the product then adds to y.
float startWithBias(const float *bias, float *y, int64_t rows, int64_t out) {
  if (!bias)
    return 0.0f;
  for (int64_t r = 0; r < rows; ++r)
    copyFloats(y + r * out, bias, out);
  return 1.0f;
}
} // namespace

void linearForward(const float *x, const float *w, const float *bias, float *y,
                   int64_t rows, int64_t in, int64_t out) {
  if (rows <= 0 || out <= 0)
    return;
  float beta = startWithBias(bias, y, rows, out);
  if (in <= 0) {
    if (!bias)
      zeroFloats(y, rows * out);
    return;
  }
  productColumnsInParallel(false, true, rows, out, in, x, in, w, in, beta, y, out);
}

void linearForwardPacked(const float *x, const PackedPanels &w, const float *bias, float *y,
                         int64_t rows) {
  if (rows <= 0 || w.columns() <= 0)
    return;
  float beta = startWithBias(bias, y, rows, w.columns());
  if (w.depth() <= 0) {
    if (!bias)
      zeroFloats(y, rows * w.columns());
    return;
  }
  gemmPanelsInParallel(false, rows, x, w.depth(), w, beta, y, w.columns());
}

void matmulPacked(bool transA, int64_t m, const float *a, const PackedPanels &b, float *c) {
  if (m <= 0 || b.columns() <= 0)
    return;
  if (b.depth() <= 0) {
    zeroFloats(c, m * b.columns());
    return;
  }
  gemmPanelsInParallel(transA, m, a, transA ? m : b.depth(), b, 0.0f, c, b.columns());
}

void sumRows(const float *x, float *out, int64_t rows, int64_t cols) {
  zeroFloats(out, cols);
  for (int64_t r = 0; r < rows; ++r) {
    const float *row = x + r * cols;
    for (int64_t j = 0; j < cols; ++j)
      out[j] += row[j];
  }
}

} // namespace hpt::rt
