//===- Bundle.h - reading hpt-translate's bundles ---------------*- C++ -*-===//
//
// The in-memory form of a bundle (docs/bundle.md). Loading checks the header
// (magic, version, size, checksum) and the structure of every entry, so that
// the executor can trust it; any defect throws hpt::rt::Error naming the file
// and the entry.
//
//===----------------------------------------------------------------------===//

#ifndef HPT_RUNTIME_CORE_BUNDLE_H
#define HPT_RUNTIME_CORE_BUNDLE_H

#include "runtime/core/Limits.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace hpt::rt {

using Shape = std::vector<int64_t>;

/// The number of elements; throws Error when it does not fit int64 (shapes
/// read from files are checked when they are read).
int64_t numElements(const Shape &shape);
std::string shapeText(const Shape &shape);

inline constexpr int kBundleVersion = 1;

struct ParamSpec {
  std::string name;
  Shape shape;
  std::string init; ///< zeros, ones or uniform_fan_in
  int64_t fanIn = 0;
  uint64_t seed = 0;
  bool trainable = false;
};

struct OpSpec {
  std::string op; ///< the hpt op name without "hpt."
  std::vector<int64_t> operands, results;
  std::vector<Shape> shapes; ///< one per result
  nlohmann::json attrs;
  std::string loc; ///< "file:line:col" of the op in the compiled IR
};

struct FunctionSpec {
  std::string name;
  std::vector<Shape> args;
  std::vector<int64_t> returns;
  int64_t values = 0;
  std::vector<OpSpec> ops;
};

struct Bundle {
  std::string path;
  uint64_t checksum = 0; ///< identifies the compiled model (checkpoints record it)
  std::vector<ParamSpec> params;
  std::vector<FunctionSpec> functions;

  /// The function named `name`, or null.
  const FunctionSpec *function(const std::string &name) const;
};

/// Reads and validates a bundle file, refusing one whose parameters alone
/// need more memory than `limit`.
Bundle loadBundle(const std::string &path, const MemoryLimit &limit = {});
/// Validates bundle text; `origin` names it in errors.
Bundle parseBundle(const std::string &text, const std::string &origin);
/// Bytes of all parameter values (UINT64_MAX when that overflows).
uint64_t parameterBytes(const Bundle &bundle);
/// The header line that announces `payload` (docs/bundle.md).
std::string bundleHeader(std::string_view payload);

} // namespace hpt::rt

#endif // HPT_RUNTIME_CORE_BUNDLE_H
