//===- Json.h - reading numbers from JSON files strictly --------*- C++ -*-===//
//
// nlohmann::json converts any number to any arithmetic type, and converting
// a float such as 1e129 to an integer is undefined behaviour. hpt's readers
// take integers only where a file must hold an integer, within the range of
// the type they read into.
//
//===----------------------------------------------------------------------===//

#ifndef HPT_RUNTIME_CORE_JSON_H
#define HPT_RUNTIME_CORE_JSON_H

#include <nlohmann/json.hpp>

#include <cstdint>
#include <limits>
#include <optional>
#include <vector>

namespace hpt::rt {

/// An integer JSON number that fits int64, else nothing.
inline std::optional<int64_t> jsonInt64(const nlohmann::json &value) {
  if (value.is_number_unsigned()) {
    uint64_t v = value.get<uint64_t>();
    if (v > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()))
      return std::nullopt;
    return static_cast<int64_t>(v);
  }
  if (value.is_number_integer())
    return value.get<int64_t>();
  return std::nullopt;
}

/// A non-negative integer JSON number that fits uint64, else nothing.
inline std::optional<uint64_t> jsonUint64(const nlohmann::json &value) {
  if (value.is_number_unsigned())
    return value.get<uint64_t>();
  if (value.is_number_integer() && value.get<int64_t>() >= 0)
    return static_cast<uint64_t>(value.get<int64_t>());
  return std::nullopt;
}

/// An array of integers that fit int64, else nothing.
inline std::optional<std::vector<int64_t>> jsonInt64s(const nlohmann::json &value) {
  if (!value.is_array())
    return std::nullopt;
  std::vector<int64_t> result;
  for (const nlohmann::json &element : value) {
    std::optional<int64_t> v = jsonInt64(element);
    if (!v)
      return std::nullopt;
    result.push_back(*v);
  }
  return result;
}

} // namespace hpt::rt

#endif // HPT_RUNTIME_CORE_JSON_H
