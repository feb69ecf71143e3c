//===- HardwareFuzzer.cpp - hardware descriptions --------------------------===//
//
// A description that reads must write back to text that reads to the same
// description and writes the same bytes (the bundle stores that text).
//
//===----------------------------------------------------------------------===//

#include "StreamChecks.h"

#include "hardware/Description.h"

using namespace hpt;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  hw::Expected<hw::Description> description =
      hw::parseDescription(fuzz::bytesOf(data, size), "fuzz.json");
  if (!description)
    return 0;
  std::string text = hw::toJson(*description);
  hw::Expected<hw::Description> again = hw::parseDescription(text, "written");
  if (!again)
    fuzz::finding("hpt's own description is refused when read back");
  if (hw::toJson(*again) != text)
    fuzz::finding("a description does not write back to the same bytes");
  return 0;
}
