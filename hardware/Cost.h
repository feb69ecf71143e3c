//===- Cost.h - what an op costs on each device -----------------*- C++ -*-===//
//
// The partitioner's cost model is the devices' own charging, so the two
// cannot disagree: the host's measured throughput table, the systolic
// array's planned stream counted instruction by instruction (countStream,
// what the simulator counts as it runs), hpt's ReRAM read and write model
// (what the ReRAM device charges) and the GPU's roofline. Every figure is
// modelled. docs/partition.md says which op each applies to.
//
//===----------------------------------------------------------------------===//

#ifndef HPT_HARDWARE_COST_H
#define HPT_HARDWARE_COST_H

#include "hardware/Description.h"
#include "hardware/pim/Tiling.h"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace hpt::hw {

/// One op on one device: time, energy by component (pJ; the names the
/// profiler's columns use) and, on the systolic array, cycles.
struct Estimate {
  double seconds = 0;
  std::vector<std::pair<const char *, double>> energy;
  uint64_t cycles = 0;
  double energyPj() const;
};

/// `flops` of matrix products and `elements` of vector work at the host's
/// measured rates.
Estimate hostEstimate(const HostModel &host, double flops, double elements);

/// A counted systolic stream of `element`s at the array's clock, energy by
/// component (mac, sram, dram, vector).
Estimate systolicEstimate(const SystolicModel &array, const systolic::Counts &counts,
                          systolic::ElementType element);
/// The stream planned for `spec` on `array`, counted without running it.
Expected<Estimate> systolicEstimate(const SystolicModel &array, const systolic::PlanSpec &spec);

/// A ReRAM read by component (adc, dac, cell, digital, buffer).
Estimate reramEstimate(const pim::ReramCost &cost);
/// `vectors` products through a frozen rows x cols weight's crossbars,
/// forward (x·W) or transposed (δ·Wᵀ); refused, naming `what`, when the
/// crossbars cannot hold the weight.
Expected<Estimate> reramReadEstimate(const pim::ReramModel &reram, int64_t rows, int64_t cols,
                                     int64_t vectors, bool transposed, const std::string &what);
/// Programming that weight once (writeCostEstimate: levels spread evenly).
Expected<Estimate> reramWriteEstimate(const pim::ReramModel &reram, int64_t rows, int64_t cols,
                                      const std::string &what);

/// The roofline (hardware/gpu/Gpu.h), energy as "active".
Estimate gpuEstimate(const gpu::GpuModel &gpu, const gpu::Work &work);

} // namespace hpt::hw

#endif // HPT_HARDWARE_COST_H
