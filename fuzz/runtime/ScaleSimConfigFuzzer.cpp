//===- ScaleSimConfigFuzzer.cpp - SCALE-Sim .cfg architecture files --------===//
//
// A config that reads also plans one small GEMM on its array, as
// hpt-sim-systolic does for every topology row.
//
//===----------------------------------------------------------------------===//

#include "FuzzInput.h"

#include "runtime/systolic/Simulator.h"
#include "runtime/systolic/Topology.h"

using namespace hpt;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fuzz::refusingOnlyWithErrors([&] {
    hw::ArchConfig arch = rt::orThrow(hw::parseArchConfig(fuzz::bytesOf(data, size), "fuzz.cfg"));
    systolic::Layer layer{"probe", 17, 9, 33};
    systolic::Stream stream = systolic::planLayer(layer, arch.machine(), fuzz::fuzzLimit().bytes);
    systolic::Simulator(false, fuzz::fuzzLimit()).run(stream, "fuzz.cfg");
  });
  return 0;
}
