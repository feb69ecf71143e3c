//===- Cost.cpp - what an op costs on each device ---------------------------===//

#include "hardware/Cost.h"

#include "hardware/Accounting.h"
#include "hardware/systolic/Timing.h"

namespace hpt::hw {

double Estimate::energyPj() const {
  double total = 0;
  for (const auto &[name, pj] : energy)
    total += pj;
  return total;
}

Estimate hostEstimate(const HostModel &host, double flops, double elements) {
  Estimate e;
  e.seconds = hostSeconds(host, flops, elements);
  e.energy = {{"active", hostEnergyPj(host, e.seconds)}};
  return e;
}

Estimate systolicEstimate(const SystolicModel &array, const systolic::Counts &counts,
                          systolic::ElementType element) {
  Estimate e;
  e.cycles = counts.cycles;
  e.seconds = double(counts.cycles) / (array.clock.value * 1e9);
  const systolic::Energy energy =
      systolic::energyOf(counts, element, array.energyCosts());
  e.energy = {{"mac", energy.mac}, {"sram", energy.sram}, {"dram", energy.dram},
              {"vector", energy.vector}};
  return e;
}

Expected<Estimate> systolicEstimate(const SystolicModel &array, const systolic::PlanSpec &spec) {
  systolic::Plan plan = systolic::planOf(spec, array.machine());
  if (!plan)
    return fail(plan.error());
  Expected<systolic::Counts> counts = systolic::countStream(*plan, "the planned stream");
  if (!counts)
    return fail(counts.error());
  return systolicEstimate(array, *counts, array.element.value);
}

Estimate reramEstimate(const pim::ReramCost &cost) {
  Estimate e;
  e.seconds = cost.latency_ns * 1e-9;
  e.energy = {{"adc", cost.adcEnergy_pJ},
              {"dac", cost.dacEnergy_pJ},
              {"cell", cost.cellEnergy_pJ},
              {"digital", cost.digitalEnergy_pJ},
              {"buffer", cost.bufferEnergy_pJ}};
  return e;
}

Expected<Estimate> reramReadEstimate(const pim::ReramModel &reram, int64_t rows, int64_t cols,
                                     int64_t vectors, bool transposed, const std::string &what) {
  Expected<pim::WeightTiling> tiling = pim::tileWeight(pim::geometryOf(reram), rows, cols, what);
  if (!tiling)
    return fail(tiling.error());
  return reramEstimate(pim::readCost(reram, *tiling, vectors, transposed));
}

Expected<Estimate> reramWriteEstimate(const pim::ReramModel &reram, int64_t rows, int64_t cols,
                                      const std::string &what) {
  Expected<pim::WeightTiling> tiling = pim::tileWeight(pim::geometryOf(reram), rows, cols, what);
  if (!tiling)
    return fail(tiling.error());
  const pim::WriteCost write = pim::writeCostEstimate(reram, *tiling);
  Estimate e;
  e.seconds = write.latency_ns * 1e-9;
  e.energy = {{"write", write.energy_pJ}};
  return e;
}

Estimate gpuEstimate(const gpu::GpuModel &gpu, const gpu::Work &work) {
  const gpu::Cost cost = gpu::roofline(gpu, work);
  Estimate e;
  e.seconds = cost.seconds;
  e.energy = {{"active", cost.energyPj}};
  return e;
}

} // namespace hpt::hw
