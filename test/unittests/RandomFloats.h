//===- RandomFloats.h - reproducible random test inputs ---------*- C++ -*-===//

#ifndef HPT_TEST_UNITTESTS_RANDOMFLOATS_H
#define HPT_TEST_UNITTESTS_RANDOMFLOATS_H

#include <cstdint>
#include <random>
#include <vector>

namespace hpt::test {

/// `n` floats uniform in [low, high) from a Mersenne Twister seeded with `seed`.
inline std::vector<float> randomFloats(size_t n, uint32_t seed, float low, float high) {
  std::mt19937 generator(seed);
  std::uniform_real_distribution<float> distribution(low, high);
  std::vector<float> values(n);
  for (float &v : values)
    v = distribution(generator);
  return values;
}

} // namespace hpt::test

#endif // HPT_TEST_UNITTESTS_RANDOMFLOATS_H
