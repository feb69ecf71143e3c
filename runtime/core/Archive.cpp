//===- Archive.cpp - named float32 tensors in one checked file ------------===//

#include "runtime/core/Archive.h"

#include "hardware/Checksum.h"
#include "runtime/core/Error.h"
#include "runtime/core/Json.h"
#include "runtime/core/Limits.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>

using nlohmann::json;

namespace hpt::rt {

using hw::checksumHex;
using hw::fnv1a64;
using hw::parseChecksum;

void Archive::add(const std::string &name, const Shape &shape, const float *values) {
  tensors.push_back({name, shape, std::vector<float>(values, values + numElements(shape))});
}

const ArchiveTensor *Archive::find(const std::string &name) const {
  for (const ArchiveTensor &tensor : tensors)
    if (tensor.name == name)
      return &tensor;
  return nullptr;
}

std::string archiveHeader(std::string_view index, std::string_view data) {
  return "HPTARCHIVE 1 " + std::to_string(index.size()) + " " + std::to_string(data.size()) +
         " " + checksumHex(fnv1a64(data, fnv1a64(index))) + "\n";
}

void writeArchive(const Archive &archive, const std::string &path) {
  json entries = json::array();
  std::string data;
  for (const ArchiveTensor &tensor : archive.tensors) {
    entries.push_back({{"name", tensor.name},
                       {"shape", tensor.shape},
                       {"offset", data.size() / sizeof(float)}});
    data.append(reinterpret_cast<const char *>(tensor.data.data()),
                tensor.data.size() * sizeof(float));
  }
  std::string index = json{{"meta", archive.meta}, {"tensors", entries}}.dump();
  std::string header = archiveHeader(index, data);
  std::string temporary = path + ".partial";
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out << header << index << data;
    if (!out.flush())
      throw Error("cannot write '" + temporary + "': " + std::strerror(errno));
  }
  if (std::rename(temporary.c_str(), path.c_str()) != 0)
    throw Error("cannot replace '" + path + "': " + std::strerror(errno));
}

namespace {
std::string readWholeFile(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw Error("cannot open '" + path + "': " + std::strerror(errno));
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

/// One index entry; its shape and range are checked against the data.
ArchiveTensor readTensor(const json &entry, std::string_view data, const std::string &origin) {
  ArchiveTensor tensor{entry.at("name").get<std::string>(), {}, {}};
  std::optional<Shape> shape = jsonInt64s(entry.at("shape"));
  std::optional<int64_t> count = shape ? checkedProduct(*shape) : std::nullopt;
  if (!count)
    throw Error(origin + ": tensor '" + tensor.name + "' has a shape that is not a size");
  tensor.shape = *shape;
  std::optional<uint64_t> start = jsonUint64(entry.at("offset"));
  if (!start)
    throw Error(origin + ": tensor '" + tensor.name + "' has an offset that is not a size");
  uint64_t offset = *start;
  std::optional<uint64_t> end = checkedAdd(offset, static_cast<uint64_t>(*count));
  std::optional<uint64_t> endByte = end ? checkedMul(*end, sizeof(float)) : std::nullopt;
  if (!endByte || *endByte > data.size())
    throw Error(origin + ": tensor '" + tensor.name + "' lies outside the data");
  tensor.data.resize(*count);
  if (*count > 0) // the data need not be aligned for floats: copy bytes
    std::memcpy(tensor.data.data(), data.data() + offset * sizeof(float),
                *count * sizeof(float));
  return tensor;
}
} // namespace

Archive parseArchive(std::string_view text, const std::string &origin) {
  size_t newline = text.find('\n');
  std::istringstream header(std::string(text.substr(0, newline == std::string::npos ? 0 : newline)));
  std::string magic, checksumHex;
  int version = 0;
  uint64_t indexBytes = 0, dataBytes = 0;
  if (!(header >> magic >> version >> indexBytes >> dataBytes >> checksumHex) ||
      magic != "HPTARCHIVE")
    throw Error(origin + ": not an hpt archive (checkpoint) file");
  if (version != 1)
    throw Error(origin + ": archive version " + std::to_string(version) + " is not supported");
  std::string_view rest = text.substr(newline + 1);
  std::optional<uint64_t> announced = checkedAdd(indexBytes, dataBytes);
  if (!announced || rest.size() != *announced)
    throw Error(origin + ": truncated: the header announces " +
                (announced ? std::to_string(*announced) : "more than 2^64") +
                " bytes, the file has " + std::to_string(rest.size()));
  std::string_view index = rest.substr(0, indexBytes), data = rest.substr(indexBytes);
  uint64_t checksum = 0;
  if (!parseChecksum(checksumHex, checksum) || checksum != fnv1a64(data, fnv1a64(index)))
    throw Error(origin + ": corrupt: checksum mismatch");
  Archive archive;
  try {
    json root = json::parse(index);
    archive.meta = root.at("meta");
    if (!archive.meta.is_object())
      throw Error(origin + ": malformed index: 'meta' is not an object");
    for (const json &entry : root.at("tensors"))
      archive.tensors.push_back(readTensor(entry, data, origin));
  } catch (const json::exception &e) {
    throw Error(origin + ": malformed index: " + e.what());
  }
  return archive;
}

Archive readArchive(const std::string &path) { return parseArchive(readWholeFile(path), path); }

} // namespace hpt::rt
