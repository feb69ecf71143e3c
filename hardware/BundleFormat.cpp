//===- BundleFormat.cpp - the bundle's container format --------------------===//

#include "hardware/BundleFormat.h"

#include "hardware/Checksum.h"

#include <algorithm>
#include <cctype>

namespace hpt::hw::bundle {
namespace {

const char *const kKnown[] = {kProgram, kHardware, kSystolic, kSystolicStreams, kReram,
                              kGpu,     kGpuPtx};

/// Reads one header line's space-separated words; the line must end in '\n'.
class LineReader {
public:
  LineReader(std::string_view file) : file(file) {}

  bool line(std::vector<std::string> &words) {
    size_t end = file.find('\n', at);
    if (end == std::string_view::npos || end - at > 256)
      return false;
    words.clear();
    std::string_view text = file.substr(at, end - at);
    at = end + 1;
    size_t i = 0;
    while (i < text.size()) {
      size_t next = text.find(' ', i);
      if (next == std::string_view::npos)
        next = text.size();
      if (next == i)
        return false; // two spaces, or one at either end
      words.emplace_back(text.substr(i, next - i));
      i = next + 1;
      if (i == text.size())
        return false;
    }
    return true;
  }
  std::string_view take(size_t bytes) {
    std::string_view taken = file.substr(at, bytes);
    at += taken.size();
    return taken;
  }
  size_t left() const { return file.size() - at; }

private:
  std::string_view file;
  size_t at = 0;
};

/// A decimal count of at most `digits` digits.
bool count(const std::string &text, size_t digits, uint64_t &out) {
  if (text.empty() || text.size() > digits ||
      !std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isdigit(c); }))
    return false;
  out = std::stoull(text);
  return true;
}

bool known(const std::string &name) {
  return std::find(std::begin(kKnown), std::end(kKnown), name) != std::end(kKnown) ||
         (name.rfind(kGpuCubinPrefix, 0) == 0 && name.size() > std::string(kGpuCubinPrefix).size());
}

} // namespace

std::string write(const std::vector<Section> &sections) {
  std::string out = std::string(kMagic) + " " + std::to_string(kVersion) + " " +
                    std::to_string(sections.size()) + "\n";
  for (const Section &s : sections)
    out += "SECTION " + s.name + " " + std::to_string(s.bytes.size()) + " " +
           checksumHex(fnv1a64(s.bytes)) + "\n" + s.bytes + "\n";
  return out;
}

Expected<std::vector<Section>> read(std::string_view file, const std::string &origin) {
  LineReader in(file);
  std::vector<std::string> words;
  uint64_t version = 0, sections = 0;
  if (!in.line(words) || words.empty() || words[0] != kMagic || words.size() < 2 ||
      !count(words[1], 9, version))
    return fail(origin + ": not an hpt bundle (no 'HPTBUNDLE <version> ...' header line)");
  if (version != uint64_t(kVersion))
    return fail(origin + ": bundle version " + words[1] +
                " is not supported (this hpt reads version " + std::to_string(kVersion) +
                "); recompile the model");
  if (words.size() != 3 || !count(words[2], 3, sections))
    return fail(origin + ": the header must be 'HPTBUNDLE " + std::to_string(kVersion) +
                " <section count>'");
  std::vector<Section> result;
  for (uint64_t i = 0; i < sections; ++i) {
    const std::string where = origin + ": section " + std::to_string(i);
    uint64_t bytes = 0, announced = 0;
    if (!in.line(words) || words.size() != 4 || words[0] != "SECTION" ||
        !count(words[2], 19, bytes) || !parseChecksum(words[3], announced))
      return fail(where + ": expected 'SECTION <name> <bytes> <checksum>'" +
                  (in.left() == 0 ? " (the file ends early)" : ""));
    const std::string &name = words[1];
    const std::string named = origin + ": section '" + name + "'";
    if (!known(name))
      return fail(named + " is unknown to this hpt (a newer bundle?)");
    for (const Section &earlier : result)
      if (earlier.name == name)
        return fail(named + " appears twice");
    if (in.left() < bytes + 1)
      return fail(named + " is truncated: it announces " + words[2] + " bytes, " +
                  std::to_string(in.left() > 0 ? in.left() - 1 : 0) + " follow");
    std::string_view body = in.take(bytes);
    if (in.take(1) != "\n")
      return fail(named + " does not end where its size says");
    if (fnv1a64(body) != announced)
      return fail(named + " is damaged: its checksum does not match");
    result.push_back({name, std::string(body)});
  }
  if (in.left() != 0)
    return fail(origin + ": " + std::to_string(in.left()) + " bytes after the last section");
  if (std::none_of(result.begin(), result.end(),
                   [](const Section &s) { return s.name == kProgram; }))
    return fail(origin + ": no 'program' section");
  return result;
}

uint64_t checksum(const std::vector<Section> &sections) {
  uint64_t hash = fnv1a64("");
  for (const Section &s : sections)
    hash = fnv1a64(s.bytes, fnv1a64(s.name + "\n", hash));
  return hash;
}

} // namespace hpt::hw::bundle
