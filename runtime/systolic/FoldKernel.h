//===- FoldKernel.h - the fp32 arithmetic of the array's folds ---*- C++ -*-===//
//
// One fp32 fold step: out[i, j] for i < m, j < n is one chain of
// multiply-adds a[i, 0]·b[0, j] + a[i, 1]·b[1, j] + ... over k in order, as a
// PE computes it (fused on AVX-512, so the last bit can differ from the
// portable path), started from zero or (continueChain) from out[i, j], and
// stored, or (addToOut) added to out[i, j] as a later row fold's partial sums
// are in DRAM. The instruction-level simulator calls it per COMPUTE and the
// planned path per K block of a whole GEMM: the same chains, so the same
// bits.
//
//===----------------------------------------------------------------------===//

#ifndef HPT_RUNTIME_SYSTOLIC_FOLDKERNEL_H
#define HPT_RUNTIME_SYSTOLIC_FOLDKERNEL_H

#include <cstdint>

namespace hpt::systolic {

struct FloatFold {
  uint64_t m, k, n;
  const float *a;            ///< a[i, k] = a[i·aRow + k·aCol]
  uint64_t aRow, aCol;
  const float *b;            ///< b[k, j] = b[k·ldb + j]
  uint64_t ldb;
  float *out;                ///< out[i, j] = out[i·ldo + j]
  uint64_t ldo;
  bool continueChain = false;
  bool addToOut = false;
};

/// Rows are independent: a large step is split over the cores.
void runFoldStep(const FloatFold &f);

} // namespace hpt::systolic

#endif // HPT_RUNTIME_SYSTOLIC_FOLDKERNEL_H
