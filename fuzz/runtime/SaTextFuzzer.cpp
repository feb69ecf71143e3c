//===- SaTextFuzzer.cpp - systolic streams in text form -------------------===//

#include "StreamChecks.h"

using namespace hpt;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fuzz::refusingOnlyWithErrors([&] {
    fuzz::checkStream(rt::orThrow(systolic::parseText(fuzz::bytesOf(data, size), "fuzz.sa")));
  });
  return 0;
}
