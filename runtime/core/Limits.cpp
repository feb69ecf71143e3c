//===- Limits.cpp - sizes hpt refuses before it allocates -----------------===//

#include "runtime/core/Limits.h"

#include "runtime/core/Error.h"

#include <cctype>
#include <limits>
#include <unistd.h>

namespace hpt::rt {

uint64_t physicalMemoryBytes() {
  long pages = sysconf(_SC_PHYS_PAGES), pageSize = sysconf(_SC_PAGESIZE);
  if (pages <= 0 || pageSize <= 0)
    return std::numeric_limits<uint64_t>::max();
  return static_cast<uint64_t>(pages) * static_cast<uint64_t>(pageSize);
}

std::optional<int64_t> checkedProduct(const std::vector<int64_t> &sizes) {
  int64_t product = 1;
  for (int64_t size : sizes)
    if (size < 0 || __builtin_mul_overflow(product, size, &product))
      return std::nullopt;
  return product;
}

std::optional<uint64_t> checkedMul(uint64_t a, uint64_t b) {
  uint64_t product;
  if (__builtin_mul_overflow(a, b, &product))
    return std::nullopt;
  return product;
}

std::optional<uint64_t> checkedAdd(uint64_t a, uint64_t b) {
  uint64_t sum;
  if (__builtin_add_overflow(a, b, &sum))
    return std::nullopt;
  return sum;
}

void MemoryLimit::check(std::optional<uint64_t> needed, const std::string &what) const {
  if (needed && *needed <= bytes)
    return;
  throw Error(what + " would take " + (needed ? std::to_string(*needed) : "more than 2^64") +
              " bytes, more than the limit of " + std::to_string(bytes) + " bytes (" +
              option + ")");
}

std::optional<uint64_t> parseByteSize(const std::string &text) {
  size_t digits = 0;
  while (digits < text.size() && std::isdigit(static_cast<unsigned char>(text[digits])))
    ++digits;
  if (digits == 0 || digits > 19 || text.size() > digits + 1)
    return std::nullopt;
  uint64_t value = std::stoull(text.substr(0, digits));
  int shift = 0;
  if (text.size() == digits + 1) {
    switch (std::toupper(static_cast<unsigned char>(text.back()))) {
    case 'K': shift = 10; break;
    case 'M': shift = 20; break;
    case 'G': shift = 30; break;
    case 'T': shift = 40; break;
    default: return std::nullopt;
    }
  }
  return checkedMul(value, uint64_t(1) << shift);
}

} // namespace hpt::rt
