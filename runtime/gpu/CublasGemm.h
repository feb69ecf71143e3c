//===- CublasGemm.h - a product as cuBLAS's sgemm sees it --------*- C++ -*-===//
//
// hpt's tensors are row-major; cuBLAS is column-major. A row-major C[M×N] =
// op(A)·op(B) is, read column-major, Cᵀ[N×M] = op(B)ᵀ·op(A)ᵀ: one sgemm (or
// sgemmStridedBatched) with the operands swapped and nothing copied. This
// is that mapping for the products convert-hpt-to-gpu gives to cuBLAS.
//
//===----------------------------------------------------------------------===//

#ifndef HPT_RUNTIME_GPU_CUBLASGEMM_H
#define HPT_RUNTIME_GPU_CUBLASGEMM_H

#include "runtime/core/Bundle.h"

#include <cstdint>
#include <vector>

namespace hpt::rt {

/// cublasSgemm(StridedBatched)'s arguments: C = op(A)·op(B), column-major,
/// with A and B the op's operands `a` and `b` and C its result.
struct CublasGemm {
  bool transA = false, transB = false;
  int64_t m = 0, n = 0, k = 0;
  int64_t lda = 0, ldb = 0, ldc = 0;
  int64_t batch = 1, strideA = 0, strideB = 0, strideC = 0; ///< elements
  size_t a = 0, b = 0;
};

/// The sgemm computing `op` (hpt.linear without its bias: y = x·Wᵀ;
/// hpt.matmul; hpt.batch_matmul) on row-major tensors whose shapes are
/// `shapes` (the function's value shapes).
CublasGemm cublasGemmFor(const OpSpec &op, const std::vector<Shape> &shapes);

} // namespace hpt::rt

#endif // HPT_RUNTIME_GPU_CUBLASGEMM_H
