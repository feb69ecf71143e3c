//===- Gemm.h - float32 matrix products on packed column panels --*- C++ -*-===//
//
// hpt's own sgemm for the shapes a training step has (tens of rows, hundreds
// to thousands of columns): op(B) is rearranged into panels of 32 columns,
// each stored k-major, and an AVX-512 kernel computes 8 rows x 32 columns of C
// at a time. Every element of C is one sequential fused multiply-add chain
// over k, so the result does not depend on how the columns are shared
// between threads.
//
// Packing costs a pass over B. A product whose B changes every call packs it
// every call; a product with a constant B (a weight frozen in the LoRA phase)
// packs it once and keeps the PackedPanels, which is what makes such a
// product cheaper than OpenBLAS's, which packs B on every call.
//
// The kernel needs AVX-512F at run time (hasPanelKernel()); without it the
// callers use BLAS.
//
//===----------------------------------------------------------------------===//

#ifndef HPT_RUNTIME_HOST_GEMM_H
#define HPT_RUNTIME_HOST_GEMM_H

#include <cstdint>
#include <vector>

namespace hpt::rt {

/// Columns per panel: two AVX-512 vectors.
constexpr int64_t kPanelWidth = 32;

/// Rows of C one kernel call computes; a product with fewer rows (a
/// matrix-vector product) gains nothing from packing B on every call.
constexpr int64_t kTileRows = 8;

/// Work (m·n·k) from which a product is split across threads.
constexpr int64_t kParallelWork = 1 << 18;

/// op(B) [k, n] as ceil(n / 32) panels, panel p holding columns 32p..32p+31
/// for every k (k-major, 32 floats per k), the last one padded with zeros.
class PackedPanels {
public:
  /// Packs columns [col0, col0 + n) of op(B): B is [k, *] with row stride
  /// ldb or, when `transposed`, [*, k] with row stride ldb. Needs
  /// hasPanelKernel().
  void pack(const float *b, int64_t ldb, bool transposed, int64_t k, int64_t n,
            int64_t col0 = 0);

  int64_t depth() const { return k; }
  int64_t columns() const { return n; }
  int64_t panels() const { return (n + kPanelWidth - 1) / kPanelWidth; }
  const float *panel(int64_t p) const { return base + p * k * kPanelWidth; }

  /// What pack() allocates for op(B) [k, n].
  static uint64_t bytesFor(int64_t k, int64_t n);

private:
  std::vector<float> data; ///< the panels, from the first 64-byte boundary in it
  float *base = nullptr;
  int64_t k = 0, n = 0;
};

/// Whether the panel kernel runs here: the CPU has AVX-512F and the
/// environment does not say HPT_PANEL_GEMM=0 (which keeps every product on BLAS,
/// for comparisons).
bool hasPanelKernel();

/// C[m, columns of panels [p0, p1)] = op(A)·B + beta·C, single-threaded. A is
/// [m, k] with row stride lda, or [k, m] when transA; C has row stride ldc and
/// its column 0 is B's column 0. Needs hasPanelKernel().
void gemmPanels(bool transA, int64_t m, const float *a, int64_t lda, const PackedPanels &b,
                int64_t p0, int64_t p1, float beta, float *c, int64_t ldc);

/// The same over every panel, the panels shared between the OpenMP threads
/// when the product is large enough.
void gemmPanelsInParallel(bool transA, int64_t m, const float *a, int64_t lda,
                          const PackedPanels &b, float beta, float *c, int64_t ldc);

} // namespace hpt::rt

#endif // HPT_RUNTIME_HOST_GEMM_H
