//===- Archive.cpp - named float32 tensors in one checked file ------------===//

#include "runtime/core/Archive.h"

#include "runtime/core/Checksum.h"
#include "runtime/core/Error.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>

using nlohmann::json;

namespace hpt::rt {

void Archive::add(const std::string &name, const Shape &shape, const float *values) {
  tensors.push_back({name, shape, std::vector<float>(values, values + numElements(shape))});
}

const ArchiveTensor *Archive::find(const std::string &name) const {
  for (const ArchiveTensor &tensor : tensors)
    if (tensor.name == name)
      return &tensor;
  return nullptr;
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
  char header[128];
  std::snprintf(header, sizeof(header), "HPTARCHIVE 1 %zu %zu %016llx\n", index.size(),
                data.size(),
                static_cast<unsigned long long>(fnv1a64(data, fnv1a64(index))));
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

Archive readArchive(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw Error("cannot open '" + path + "': " + std::strerror(errno));
  std::ostringstream buffer;
  buffer << in.rdbuf();
  std::string text = buffer.str();
  size_t newline = text.find('\n');
  std::istringstream header(text.substr(0, newline == std::string::npos ? 0 : newline));
  std::string magic, checksum;
  int version = 0;
  size_t indexBytes = 0, dataBytes = 0;
  if (!(header >> magic >> version >> indexBytes >> dataBytes >> checksum) ||
      magic != "HPTARCHIVE")
    throw Error(path + ": not an hpt archive (checkpoint) file");
  if (version != 1)
    throw Error(path + ": archive version " + std::to_string(version) + " is not supported");
  std::string_view rest(text);
  rest.remove_prefix(newline + 1);
  if (rest.size() != indexBytes + dataBytes)
    throw Error(path + ": truncated: the header announces " +
                std::to_string(indexBytes + dataBytes) + " bytes, the file has " +
                std::to_string(rest.size()));
  std::string_view index = rest.substr(0, indexBytes), data = rest.substr(indexBytes);
  if (std::stoull(checksum, nullptr, 16) != fnv1a64(data, fnv1a64(index)))
    throw Error(path + ": corrupt: checksum mismatch");
  Archive archive;
  try {
    json root = json::parse(index);
    archive.meta = root.at("meta");
    for (const json &entry : root.at("tensors")) {
      ArchiveTensor tensor{entry.at("name").get<std::string>(),
                           entry.at("shape").get<Shape>(), {}};
      size_t offset = entry.at("offset").get<size_t>();
      size_t count = numElements(tensor.shape);
      if ((offset + count) * sizeof(float) > data.size())
        throw Error(path + ": tensor '" + tensor.name + "' lies outside the data");
      tensor.data.resize(count);
      std::memcpy(tensor.data.data(), data.data() + offset * sizeof(float),
                  count * sizeof(float));
      archive.tensors.push_back(std::move(tensor));
    }
  } catch (const json::exception &e) {
    throw Error(path + ": malformed index: " + e.what());
  }
  return archive;
}

} // namespace hpt::rt
