//===- ScaleSim.h - SCALE-Sim v2 .cfg files as hardware descriptions -*- C++ -*-===//
//
// SCALE-Sim describes one array in a `.cfg` file; hpt reads such a file into
// the systolic section of a hardware description (array, dataflow, SRAMs),
// so SCALE-Sim's configurations and hpt's own descriptions are one thing.
//
//===----------------------------------------------------------------------===//

#ifndef HPT_HARDWARE_SCALESIM_H
#define HPT_HARDWARE_SCALESIM_H

#include "hardware/Description.h"

#include <string>
#include <string_view>

namespace hpt::hw {

/// A SCALE-Sim `.cfg` file.
struct ArchConfig {
  std::string runName = "hpt_run";
  uint32_t arrayRows = 0, arrayCols = 0;
  uint64_t sramKb[3] = {0, 0, 0}; ///< ifmap, filter, ofmap
  uint64_t offset[3] = {0, 10000000, 20000000};
  uint32_t bandwidth = 10; ///< words/cycle; used by USER mode only (not modelled)
  systolic::Dataflow dataflow = systolic::Dataflow::OutputStationary;
  uint32_t memoryBanks = 1;
  bool userBandwidth = false; ///< InterfaceBandwidth: USER (we simulate CALC)

  /// SRAM capacity in elements: SCALE-Sim's word is one byte, so kB x 1024.
  uint64_t sramWords(systolic::Buffer b) const { return sramKb[static_cast<int>(b)] * 1024; }
  systolic::Machine machine(systolic::ElementType element = systolic::ElementType::F32) const;
};

/// Errors name `source` and the line.
Expected<ArchConfig> parseArchConfig(std::string_view text, const std::string &source);

/// `base`'s systolic section with the array, dataflow and SRAMs of `cfg`
/// (their sources name `cfgPath`); the rest (clock, energies, core count)
/// stays `base`'s. Fails when `base` has no systolic section.
Expected<Description> importArchConfig(const ArchConfig &cfg, const std::string &cfgPath,
                                       Description base);

} // namespace hpt::hw

#endif // HPT_HARDWARE_SCALESIM_H
