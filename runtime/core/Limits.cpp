//===- Limits.cpp - sizes hpt refuses before it allocates -----------------===//

#include "runtime/core/Limits.h"

#include "runtime/core/Error.h"

#include <cctype>

namespace hpt::rt {

std::optional<int64_t> checkedProduct(const std::vector<int64_t> &sizes) {
  int64_t product = 1;
  for (int64_t size : sizes)
    if (size < 0 || __builtin_mul_overflow(product, size, &product))
      return std::nullopt;
  return product;
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
