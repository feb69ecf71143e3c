//===- MnsimIniFuzzer.cpp - MNSIM SimConfig.ini files ---------------------===//
//
// A config that imports also runs MNSIM's model on a small network with
// every kind of layer, as hpt-sim-pim would. Refusals are values; a crash, a
// sanitizer report or a hang is a finding.
//
//===----------------------------------------------------------------------===//

#include "hardware/pim/LayerList.h"
#include "hardware/pim/Mnsim.h"

#include <cstdint>
#include <string>

using namespace hpt::hw;
using namespace hpt::hw::pim;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const std::string text(reinterpret_cast<const char *>(data), size);
  Expected<SimConfig> config = SimConfig::parse(text, "fuzz.ini");
  if (!config)
    return 0;
  Expected<ReramModel> reram = importMnsim(*config);
  if (!reram)
    return 0;
  static const Expected<std::vector<Layer>> net = parseLayerList(
      "name,type,in_h,in_w,in_ch,out_ch,kernel,stride,padding,wbits,abits,inputs\n"
      "c1,conv,8,8,3,16,3,1,1,9,9,\n"
      "c2,conv,8,8,16,16,3,1,1,9,9,\n"
      "sum,element_sum,,,,,,,,,9,-1;-2\n"
      "pool,pooling,8,8,16,16,2,2,0,,9,\n"
      "fc,fc,1,1,256,10,,,,9,9,\n",
      "probe.csv");
  (void)simulateMnsim(mnsimChip(*reram, "fuzz.ini"), *net, "probe.csv");
  return 0;
}
