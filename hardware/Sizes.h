//===- Sizes.h - overflow-checked sizes and this machine's memory -*- C++ -*-===//
//
// Planners and readers on both sides (compiler and runtime) refuse sizes that
// overflow 64 bits, or work larger than this machine's memory, before they
// allocate.
//
//===----------------------------------------------------------------------===//

#ifndef HPT_HARDWARE_SIZES_H
#define HPT_HARDWARE_SIZES_H

#include <cstdint>
#include <optional>

namespace hpt::hw {

/// Physical memory of this machine in bytes (UINT64_MAX when unknown).
uint64_t physicalMemoryBytes();

/// a * b and a + b, or nothing on uint64 overflow.
inline std::optional<uint64_t> checkedMul(uint64_t a, uint64_t b) {
  uint64_t product;
  if (__builtin_mul_overflow(a, b, &product))
    return std::nullopt;
  return product;
}
inline std::optional<uint64_t> checkedAdd(uint64_t a, uint64_t b) {
  uint64_t sum;
  if (__builtin_add_overflow(a, b, &sum))
    return std::nullopt;
  return sum;
}

} // namespace hpt::hw

#endif // HPT_HARDWARE_SIZES_H
