//===- Archive.h - named float32 tensors in one checked file ----*- C++ -*-===//
//
// Checkpoints, exported parameters and dumped gradients share one format:
//   HPTARCHIVE 1 <index bytes> <data bytes> <FNV-1a 64 of index+data, hex>\n
//   <index: JSON {"meta": {...}, "tensors": [{"name", "shape", "offset"}]}>
//   <data: little-endian float32 values, tensors back to back>
// (offsets count floats from the start of the data). Python reads it with
// json + numpy.frombuffer (test/torch/hpt_archive.py).
//
//===----------------------------------------------------------------------===//

#ifndef HPT_RUNTIME_CORE_ARCHIVE_H
#define HPT_RUNTIME_CORE_ARCHIVE_H

#include "runtime/core/Bundle.h"

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace hpt::rt {

struct ArchiveTensor {
  std::string name;
  Shape shape;
  std::vector<float> data;
};

struct Archive {
  nlohmann::json meta = nlohmann::json::object();
  std::vector<ArchiveTensor> tensors;

  void add(const std::string &name, const Shape &shape, const float *values);
  /// The tensor named `name`, or null.
  const ArchiveTensor *find(const std::string &name) const;
};

/// The header line that announces an archive's index and data.
std::string archiveHeader(std::string_view index, std::string_view data);
/// Writes atomically: a temporary file renamed over `path`, so a failure
/// leaves any earlier file intact.
void writeArchive(const Archive &archive, const std::string &path);
/// Reads and checks (header, sizes, checksum, index); throws Error naming
/// the file. An archive's tensors are bounded by its own size.
Archive readArchive(const std::string &path);
/// The same for archive bytes; `origin` names them in errors.
Archive parseArchive(std::string_view bytes, const std::string &origin);

} // namespace hpt::rt

#endif // HPT_RUNTIME_CORE_ARCHIVE_H
