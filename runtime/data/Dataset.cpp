//===- Dataset.cpp - data set defaults ------------------------------------===//

#include "runtime/data/Dataset.h"

namespace hpt::rt {

// Targets are already in the data's unit unless a subclass normalised them.
void Dataset::toDataUnits(int64_t index, float *values) const {
  (void)index;
  (void)values;
}

} // namespace hpt::rt
