//===- ScaleSimConfigFuzzer.cpp - SCALE-Sim .cfg architecture files --------===//
//
// A config that reads also plans one small GEMM on its array, as
// hpt-sim-systolic does for every topology row.
//
//===----------------------------------------------------------------------===//

#include "FuzzInput.h"

#include "runtime/systolic/Config.h"
#include "runtime/systolic/Lowering.h"
#include "runtime/systolic/Simulator.h"

using namespace hpt;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fuzz::refusingOnlyWithErrors([&] {
    systolic::ArchConfig arch = systolic::parseArchConfig(fuzz::bytesOf(data, size), "fuzz.cfg");
    systolic::Layer layer{"probe", 17, 9, 33};
    systolic::Stream stream =
        systolic::lowerGemm(layer, arch, systolic::ElementType::F32, fuzz::fuzzLimit().bytes);
    systolic::Simulator(false, fuzz::fuzzLimit()).run(stream, "fuzz.cfg");
  });
  return 0;
}
