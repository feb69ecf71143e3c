//===- HardwareFuzzer.cpp - the hardware description (hardware.json) ------===//

#include "FuzzInput.h"

#include "runtime/systolic/Config.h"

using namespace hpt;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fuzz::refusingOnlyWithErrors(
      [&] { systolic::parseHardwareConfig(fuzz::bytesOf(data, size), "fuzz.json"); });
  return 0;
}
