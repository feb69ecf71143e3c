//===- LayerListFuzzer.cpp - hpt-sim-pim layer lists ----------------------===//
//
// A list that reads is also simulated on MNSIM's default chip, so the model
// meets every shape the reader lets through.
//
//===----------------------------------------------------------------------===//

#include "hardware/pim/LayerList.h"
#include "hardware/pim/Mnsim.h"

#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>

using namespace hpt::hw;
using namespace hpt::hw::pim;

namespace {

const MnsimChip &defaultChip() {
  static const MnsimChip chip = [] {
    std::ifstream in(HPT_FUZZ_MNSIM_CONFIG);
    std::ostringstream text;
    text << in.rdbuf();
    return mnsimChip(*importMnsim(*SimConfig::parse(text.str(), HPT_FUZZ_MNSIM_CONFIG)),
                     HPT_FUZZ_MNSIM_CONFIG);
  }();
  return chip;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const std::string text(reinterpret_cast<const char *>(data), size);
  Expected<std::vector<Layer>> layers = parseLayerList(text, "fuzz.csv");
  if (layers)
    (void)simulateMnsim(defaultChip(), *layers, "fuzz.csv");
  return 0;
}
