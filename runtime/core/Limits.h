//===- Limits.h - sizes hpt refuses before it allocates ---------*- C++ -*-===//
//
// Files that hpt reads (bundles, checkpoints, streams, topologies) name tensor
// sizes; a size that overflows 64 bits, or tensors that would need more memory
// than the limit, are refused with an Error before anything is allocated.
// The limit is a command-line option of each tool (--max-memory) whose default
// is this machine's physical memory.
//
//===----------------------------------------------------------------------===//

#ifndef HPT_RUNTIME_CORE_LIMITS_H
#define HPT_RUNTIME_CORE_LIMITS_H

#include "hardware/Sizes.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace hpt::rt {

using hw::checkedAdd;
using hw::checkedMul;
using hw::physicalMemoryBytes; ///< the default limit

/// The product of `sizes`, or nothing when a size is negative or the product
/// overflows int64.
std::optional<int64_t> checkedProduct(const std::vector<int64_t> &sizes);

/// A memory budget; `option` names where it was set, for error messages.
struct MemoryLimit {
  uint64_t bytes = physicalMemoryBytes();
  std::string option = "--max-memory";

  /// Throws Error "<what> would take N bytes, more than the limit of L bytes
  /// (<option>)" when `bytes` (nothing: more than 2^64) exceeds the limit.
  void check(std::optional<uint64_t> needed, const std::string &what) const;
};

/// "4096", "512K", "64M", "16G" (powers of 1024), for --max-memory; nothing
/// when the text is not such a size.
std::optional<uint64_t> parseByteSize(const std::string &text);

} // namespace hpt::rt

#endif // HPT_RUNTIME_CORE_LIMITS_H
