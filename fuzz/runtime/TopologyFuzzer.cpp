//===- TopologyFuzzer.cpp - SCALE-Sim topology CSVs -----------------------===//
//
// The first byte picks the kind (even: GEMM, odd: conv); every row that
// reads is lowered onto a small array and simulated for timing, as
// hpt-sim-systolic does.
//
//===----------------------------------------------------------------------===//

#include "FuzzInput.h"

#include "runtime/systolic/Simulator.h"
#include "runtime/systolic/Topology.h"

using namespace hpt;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size == 0)
    return 0;
  systolic::TopologyKind kind =
      data[0] % 2 ? systolic::TopologyKind::Conv : systolic::TopologyKind::Gemm;
  fuzz::refusingOnlyWithErrors([&] {
    std::vector<systolic::Layer> layers =
        systolic::parseTopology(fuzz::bytesOf(data + 1, size - 1), kind, "fuzz.csv");
    hw::ArchConfig arch;
    arch.arrayRows = arch.arrayCols = 8;
    arch.sramKb[0] = arch.sramKb[1] = arch.sramKb[2] = 4;
    // Small streams only: the simulation's time grows with the stream.
    const uint64_t maxStreamBytes = 1 << 20;
    for (const systolic::Layer &layer : layers)
      fuzz::refusingOnlyWithErrors([&] {
        for (systolic::Dataflow dataflow :
             {systolic::Dataflow::OutputStationary, systolic::Dataflow::WeightStationary,
              systolic::Dataflow::InputStationary}) {
          arch.dataflow = dataflow;
          systolic::Stream stream = systolic::planLayer(layer, arch.machine(), maxStreamBytes);
          systolic::Simulator(false, fuzz::fuzzLimit()).run(stream, "fuzz.csv");
        }
      });
  });
  return 0;
}
