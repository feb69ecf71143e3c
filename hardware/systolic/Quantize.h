//===- Quantize.h - int8 operands for an int8 systolic array ----*- C++ -*-===//
//
// An int8 array multiplies int8 operands and accumulates in int32. A float
// tensor goes onto it by per-tensor symmetric quantisation: scale
// s = max|x| / 127, q = round(x / s) clamped to [-127, 127]; a product's
// int32 result times s_a·s_b is the float result. Each operand element then
// errs by at most s / 2, so an element of A·B errs by at most
//   Σ_k |a_ik|·s_b/2 + |b_kj|·s_a/2 + s_a·s_b/4
// (gemmErrorBound), the bound the tests hold the simulated array to.
//
//===----------------------------------------------------------------------===//

#ifndef HPT_HARDWARE_SYSTOLIC_QUANTIZE_H
#define HPT_HARDWARE_SYSTOLIC_QUANTIZE_H

#include <cstddef>
#include <cstdint>
#include <vector>

namespace hpt::systolic {

/// The scale of a tensor (1 for an all-zero one, so that it stays zero).
double symmetricScale(const float *x, size_t count);

/// round(x / scale) clamped to [-limit, limit].
int32_t quantize(double x, double scale, int32_t limit = 127);

/// The bound above for element (i, j) of A[M, K]·B[K, N] (row-major).
double gemmErrorBound(const float *a, const float *b, size_t K, size_t N, size_t i, size_t j,
                      double scaleA, double scaleB);

} // namespace hpt::systolic

#endif // HPT_HARDWARE_SYSTOLIC_QUANTIZE_H
