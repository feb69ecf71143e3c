//===- WindDataFuzzer.cpp - data files in the Wind format (--data-file) ---===//

#include "FuzzInput.h"

#include "runtime/core/Bundle.h"
#include "runtime/data/Dataset.h"

using namespace hpt;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fuzz::refusingOnlyWithErrors([&] {
    rt::WindDataset wind =
        rt::WindDataset::fromText(fuzz::bytesOf(data, size), "fuzz.dat", rt::Split::Train);
    std::vector<float> input(rt::numElements(wind.inputShape())),
        target(rt::numElements(wind.targetShape()));
    for (int64_t i = 0; i < wind.size(); ++i)
      wind.sample(i, input.data(), target.data());
  });
  return 0;
}
