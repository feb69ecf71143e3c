//===- Quantize.cpp - int8 operands for an int8 systolic array ------------===//

#include "hardware/systolic/Quantize.h"

#include <algorithm>
#include <cmath>

namespace hpt::systolic {

double symmetricScale(const float *x, size_t count) {
  double largest = 0;
  for (size_t i = 0; i < count; ++i)
    largest = std::max(largest, std::fabs(double(x[i])));
  return largest > 0 && std::isfinite(largest) ? largest / 127 : 1.0;
}

int32_t quantize(double x, double scale, int32_t limit) {
  double q = std::nearbyint(x / scale);
  if (!(q == q))
    return 0;
  return static_cast<int32_t>(std::clamp(q, -double(limit), double(limit)));
}

double gemmErrorBound(const float *a, const float *b, size_t K, size_t N, size_t i, size_t j,
                      double scaleA, double scaleB) {
  double bound = 0;
  for (size_t k = 0; k < K; ++k)
    bound += std::fabs(double(a[i * K + k])) * scaleB / 2 +
             std::fabs(double(b[k * N + j])) * scaleA / 2 + scaleA * scaleB / 4;
  return bound;
}

} // namespace hpt::systolic
