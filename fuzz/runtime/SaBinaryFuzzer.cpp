//===- SaBinaryFuzzer.cpp - systolic streams in binary form ---------------===//
//
// As read, and with the header's count and checksum recomputed for the
// records that follow it.
//
//===----------------------------------------------------------------------===//

#include "StreamChecks.h"

#include "hardware/Checksum.h"

using namespace hpt;

namespace {
void putLittleEndian(std::string &bytes, size_t at, uint64_t value) {
  for (int i = 0; i < 8; ++i)
    bytes[at + i] = static_cast<char>((value >> (8 * i)) & 0xff);
}

void read(const std::string &bytes) {
  fuzz::refusingOnlyWithErrors(
      [&] { fuzz::checkStream(rt::orThrow(systolic::parseBinary(bytes, "fuzz.bin"))); });
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  std::string bytes = fuzz::bytesOf(data, size);
  read(bytes);
  if (bytes.size() >= systolic::kStreamHeaderBytes) {
    std::string_view records = std::string_view(bytes).substr(systolic::kStreamHeaderBytes);
    putLittleEndian(bytes, systolic::kStreamCountOffset,
                    records.size() / systolic::kStreamRecordBytes);
    putLittleEndian(bytes, systolic::kStreamChecksumOffset, hw::fnv1a64(records));
    read(bytes);
  }
  return 0;
}
