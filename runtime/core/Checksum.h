//===- Checksum.h - FNV-1a 64 of bundles and archives -----------*- C++ -*-===//

#ifndef HPT_RUNTIME_CORE_CHECKSUM_H
#define HPT_RUNTIME_CORE_CHECKSUM_H

#include <cstdint>
#include <string_view>

namespace hpt::rt {

/// FNV-1a, 64 bit; `hash` continues an earlier call.
inline uint64_t fnv1a64(std::string_view bytes,
                        uint64_t hash = 0xcbf29ce484222325ULL) {
  for (unsigned char byte : bytes) {
    hash ^= byte;
    hash *= 0x100000001b3ULL;
  }
  return hash;
}

} // namespace hpt::rt

#endif // HPT_RUNTIME_CORE_CHECKSUM_H
