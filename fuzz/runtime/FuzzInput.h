//===- FuzzInput.h - shared pieces of the runtime fuzz targets --*- C++ -*-===//
//
// Each target feeds its input to a reader twice: as it is (so headers,
// versions and checksums are fuzzed) and with the header's sizes and checksum
// recomputed for the bytes that follow it (so mutations of the payload get
// past the checksum and reach the parser behind it). A reader may refuse an
// input only with hpt::rt::Error (or DataError); any other exception, a crash,
// a sanitizer report, a hang or a memory blow-up is a finding.
//
//===----------------------------------------------------------------------===//

#ifndef HPT_FUZZ_RUNTIME_FUZZINPUT_H
#define HPT_FUZZ_RUNTIME_FUZZINPUT_H

#include "hardware/Checksum.h"
#include "runtime/core/Archive.h"
#include "runtime/core/Bundle.h"
#include "runtime/core/Error.h"
#include "runtime/core/Limits.h"
#include "runtime/data/Dataset.h"

#include <cstdint>
#include <sstream>
#include <string>
#include <string_view>

namespace hpt::fuzz {

/// What a fuzzed input may make hpt allocate: far below libFuzzer's
/// -rss_limit_mb, so a blow-up the limits miss still shows as a finding.
inline rt::MemoryLimit fuzzLimit() { return {64u << 20, "the fuzz target's limit"}; }

inline std::string bytesOf(const uint8_t *data, size_t size) {
  return std::string(reinterpret_cast<const char *>(data), size);
}

/// Runs `read`, accepting the readers' own errors as a refusal.
template <typename Read> void refusingOnlyWithErrors(Read read) {
  try {
    read();
  } catch (const rt::Error &) {
  } catch (const rt::DataError &) {
  }
}

/// The bytes after the first line (all of them when there is no newline).
inline std::string_view afterFirstLine(std::string_view bytes) {
  size_t newline = bytes.find('\n');
  return newline == std::string_view::npos ? bytes : bytes.substr(newline + 1);
}

/// The input after its first line as the program section of a valid
/// bundle frame (docs/bundle.md).
inline std::string withBundleHeader(std::string_view bytes) {
  return rt::bundleWithProgram(afterFirstLine(bytes));
}

/// The input with every section frame's size and checksum made true to the
/// bytes that follow it, so that mutations inside the sections (the systolic
/// index and streams, the hardware description) get past the framing.
inline std::string withSectionChecksums(std::string_view bytes) {
  std::string out(bytes.substr(0, bytes.find('\n') + 1));
  size_t at = out.size();
  while (at < bytes.size() && bytes.substr(at, 8) == "SECTION ") {
    size_t end = bytes.find('\n', at);
    if (end == std::string_view::npos)
      break;
    std::string_view line = bytes.substr(at + 8, end - at - 8);
    size_t space = line.find(' ');
    std::string name(line.substr(0, space));
    size_t sizeEnd = space == std::string_view::npos ? space : line.find(' ', space + 1);
    uint64_t size = 0;
    if (space != std::string_view::npos)
      for (char c : line.substr(space + 1, sizeEnd - space - 1))
        size = c >= '0' && c <= '9' && size < (1ull << 40) ? size * 10 + (c - '0') : size;
    std::string_view body = bytes.substr(end + 1, size);
    out += "SECTION " + name + " " + std::to_string(body.size()) + " " +
           hw::checksumHex(hw::fnv1a64(body)) + "\n" + std::string(body) + "\n";
    at = end + 1 + body.size() + 1;
  }
  return out;
}

/// The input's index and data under a valid archive header: the index keeps
/// the length the input's header gives it when that fits.
inline std::string withArchiveHeader(std::string_view bytes) {
  std::string_view rest = afterFirstLine(bytes);
  std::istringstream header(std::string(bytes.substr(0, bytes.size() - rest.size())));
  std::string magic;
  int version = 0;
  uint64_t indexBytes = rest.size();
  if (!(header >> magic >> version >> indexBytes) || indexBytes > rest.size())
    indexBytes = rest.size();
  return rt::archiveHeader(rest.substr(0, indexBytes), rest.substr(indexBytes)) +
         std::string(rest);
}

} // namespace hpt::fuzz

#endif // HPT_FUZZ_RUNTIME_FUZZINPUT_H
