//===- Rng.h - portable counter-based random numbers ------------*- C++ -*-===//
//
// Philox4x32-10 (Salmon et al., "Parallel random numbers: as easy as 1, 2, 3",
// SC 2011): a counter-based generator, so the value at (seed, stream, index)
// is a pure function of those numbers. Parameter initialisation, dropout masks
// and synthetic data all draw from it; the results are the same on every
// machine and library, unlike std:: distributions, and a checkpoint only needs
// the counters.
//
//===----------------------------------------------------------------------===//

#ifndef HPT_RUNTIME_HOST_RNG_H
#define HPT_RUNTIME_HOST_RNG_H

#include <array>
#include <cstdint>

namespace hpt::rt {

/// The four 32-bit outputs of Philox4x32-10 for a 64-bit key and a 128-bit
/// counter (given as two 64-bit halves).
std::array<uint32_t, 4> philox4x32(uint64_t key, uint64_t counterHigh,
                                   uint64_t counterLow);

/// Uniform float in [0, 1) with 24 random bits: element `index` of stream
/// `stream` under `seed`.
float uniform01(uint64_t seed, uint64_t stream, uint64_t index);

/// Fills out[0..count) with uniform values in [low, high), element i being
/// low + (high - low) * uniform01(seed, stream, i) (computed in float, so
/// rounding can occasionally give exactly `high`).
void fillUniform(float *out, int64_t count, float low, float high, uint64_t seed,
                 uint64_t stream);

namespace detail {
/// uniform01(seed, stream, firstIndex + j) for j < 64, vectorised (dropout's
/// hot loop); firstIndex must be a multiple of 4.
void uniformBlock64(uint64_t seed, uint64_t stream, uint64_t firstIndex, float out[64]);
} // namespace detail

} // namespace hpt::rt

#endif // HPT_RUNTIME_HOST_RNG_H
