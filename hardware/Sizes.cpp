//===- Sizes.cpp - this machine's memory ----------------------------------===//

#include "hardware/Sizes.h"

#include <limits>
#include <unistd.h>

namespace hpt::hw {

uint64_t physicalMemoryBytes() {
  long pages = sysconf(_SC_PHYS_PAGES), pageSize = sysconf(_SC_PAGESIZE);
  if (pages <= 0 || pageSize <= 0)
    return std::numeric_limits<uint64_t>::max();
  return static_cast<uint64_t>(pages) * static_cast<uint64_t>(pageSize);
}

} // namespace hpt::hw
