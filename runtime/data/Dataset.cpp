//===- Dataset.cpp - data set defaults ------------------------------------===//

#include "runtime/data/Dataset.h"

namespace hpt::rt {

// Targets are already in the data's unit unless a subclass normalised them.
void Dataset::toDataUnits(float *values) const { (void)values; }

} // namespace hpt::rt
