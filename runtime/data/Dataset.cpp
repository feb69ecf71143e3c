//===- Dataset.cpp - data set defaults ------------------------------------===//

#include "runtime/data/Dataset.h"

namespace hpt::rt {

// Targets are already in the data's unit unless a subclass normalised them.
void Dataset::toDataUnits(int64_t index, float *values) const {
  (void)index;
  (void)values;
}

std::vector<int64_t> evenlySpaced(int64_t size, int64_t count) {
  std::vector<int64_t> indices;
  for (int64_t j = 0; j < count; ++j)
    indices.push_back((2 * j + 1) * size / (2 * count));
  return indices;
}

} // namespace hpt::rt
