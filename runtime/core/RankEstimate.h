//===- RankEstimate.h - LoRA rank from the intrinsic dimension --*- C++ -*-===//
//
// HpT motivates its low-rank phase by intrinsic dimensionality but fixes
// r = 8. hpt estimates the rank of each LoRA target from what the full phase
// measured: dW, the change of the weight between the phase's start and the
// switch. The estimate is the number of singular values of dW that hold a
// given fraction (default 90 %) of its energy sum(sigma_i^2), the cumulative
// percentage of total variation criterion of principal component analysis
// (I. T. Jolliffe, Principal Component Analysis, 2nd ed., Springer 2002,
// section 6.1.1). The rank used is the smallest compiled LoRA rank that holds
// it.
//
//===----------------------------------------------------------------------===//

#ifndef HPT_RUNTIME_CORE_RANKESTIMATE_H
#define HPT_RUNTIME_CORE_RANKESTIMATE_H

#include <cstdint>
#include <vector>

namespace hpt::rt {

/// Singular values of a rows x cols row-major matrix, largest first
/// (LAPACK dgesdd in double precision).
std::vector<double> singularValues(const float *matrix, int64_t rows, int64_t cols);

/// The smallest k whose k largest singular values hold at least `fraction`
/// (in (0, 1]) of sum(sigma_i^2); 0 for a zero matrix.
int64_t energyRank(const std::vector<double> &singularValues, double fraction);

/// The smallest of `available` (ascending) that is >= `rank`, or the largest.
int64_t chooseRank(int64_t rank, const std::vector<int64_t> &available);

} // namespace hpt::rt

#endif // HPT_RUNTIME_CORE_RANKESTIMATE_H
