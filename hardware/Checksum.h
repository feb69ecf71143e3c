//===- Checksum.h - FNV-1a 64 of bundles, archives and streams --*- C++ -*-===//
//
// In the hardware library because writers in the compiler and readers in the
// runtime must agree on it (bundles, streams).
//
//===----------------------------------------------------------------------===//

#ifndef HPT_HARDWARE_CHECKSUM_H
#define HPT_HARDWARE_CHECKSUM_H

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

namespace hpt::hw {

/// FNV-1a, 64 bit; `hash` continues an earlier call.
inline uint64_t fnv1a64(std::string_view bytes,
                        uint64_t hash = 0xcbf29ce484222325ULL) {
  for (unsigned char byte : bytes) {
    hash ^= byte;
    hash *= 0x100000001b3ULL;
  }
  return hash;
}

/// The text form in bundle and archive headers and checkpoints: 16 lowercase
/// hex digits.
inline std::string checksumHex(uint64_t checksum) {
  char text[17];
  std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(checksum));
  return text;
}

/// Reads checksumHex's form (at most 16 lowercase hex digits).
inline bool parseChecksum(std::string_view hex, uint64_t &value) {
  if (hex.empty() || hex.size() > 16)
    return false;
  value = 0;
  for (char c : hex) {
    int digit = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
    if (digit < 0)
      return false;
    value = value * 16 + digit;
  }
  return true;
}

} // namespace hpt::hw

#endif // HPT_HARDWARE_CHECKSUM_H
