//===- SaBinaryFuzzer.cpp - systolic streams in binary form ---------------===//
//
// As read, and with the header's count and checksum recomputed for the
// records that follow it (Stream.h gives the layout).
//
//===----------------------------------------------------------------------===//

#include "StreamChecks.h"

#include "runtime/core/Checksum.h"

using namespace hpt;

namespace {
constexpr size_t kHeader = 32, kRecord = 136, kCountAt = 16, kChecksumAt = 24;

void putLittleEndian(std::string &bytes, size_t at, uint64_t value) {
  for (int i = 0; i < 8; ++i)
    bytes[at + i] = static_cast<char>((value >> (8 * i)) & 0xff);
}

void read(const std::string &bytes) {
  fuzz::refusingOnlyWithErrors(
      [&] { fuzz::checkStream(systolic::parseBinary(bytes, "fuzz.bin")); });
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  std::string bytes = fuzz::bytesOf(data, size);
  read(bytes);
  if (bytes.size() >= kHeader) {
    std::string_view records = std::string_view(bytes).substr(kHeader);
    putLittleEndian(bytes, kCountAt, records.size() / kRecord);
    putLittleEndian(bytes, kChecksumAt, rt::fnv1a64(records));
    read(bytes);
  }
  return 0;
}
