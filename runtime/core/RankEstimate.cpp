//===- RankEstimate.cpp - LoRA rank from the intrinsic dimension ----------===//

#include "runtime/core/RankEstimate.h"

#include "runtime/core/Error.h"

#include <algorithm>
#include <climits>
#include <cstddef>
#include <string>

// LAPACK from OpenBLAS (Fortran calling convention: arguments by pointer, the
// length of each character argument appended).
extern "C" void dgesdd_(const char *jobz, const int *m, const int *n, double *a,
                        const int *lda, double *s, double *u, const int *ldu, double *vt,
                        const int *ldvt, double *work, const int *lwork, int *iwork,
                        int *info, size_t jobzLength);

namespace hpt::rt {

std::vector<double> singularValues(const float *matrix, int64_t rows, int64_t cols) {
  if (rows <= 0 || cols <= 0 || rows > INT_MAX || cols > INT_MAX)
    throw Error("singular values need a matrix of positive, int-sized dimensions");
  // Column-major, LAPACK sees the transpose, which has the same singular values.
  std::vector<double> a(matrix, matrix + rows * cols);
  const int m = static_cast<int>(cols), n = static_cast<int>(rows), one = 1;
  std::vector<double> s(std::min(m, n));
  std::vector<int> iwork(8 * std::min(m, n));
  double query = 0, unused = 0;
  int lwork = -1, info = 0;
  dgesdd_("N", &m, &n, a.data(), &m, s.data(), &unused, &one, &unused, &one, &query, &lwork,
          iwork.data(), &info, 1);
  lwork = static_cast<int>(query);
  std::vector<double> work(std::max(lwork, 1));
  dgesdd_("N", &m, &n, a.data(), &m, s.data(), &unused, &one, &unused, &one, work.data(),
          &lwork, iwork.data(), &info, 1);
  if (info != 0)
    throw Error("the singular value decomposition failed (LAPACK dgesdd info " +
                std::to_string(info) + ")");
  return s; // dgesdd returns them in descending order
}

int64_t energyRank(const std::vector<double> &singularValues, double fraction) {
  if (!(fraction > 0 && fraction <= 1))
    throw Error("the energy fraction must lie in (0, 1]");
  double total = 0;
  for (double sigma : singularValues)
    total += sigma * sigma;
  if (total == 0)
    return 0;
  double held = 0;
  for (size_t k = 0; k < singularValues.size(); ++k) {
    held += singularValues[k] * singularValues[k];
    if (held >= fraction * total)
      return static_cast<int64_t>(k) + 1;
  }
  return static_cast<int64_t>(singularValues.size());
}

int64_t chooseRank(int64_t rank, const std::vector<int64_t> &available) {
  if (available.empty())
    throw Error("no LoRA rank to choose from");
  for (int64_t r : available)
    if (r >= rank)
      return r;
  return available.back();
}

} // namespace hpt::rt
