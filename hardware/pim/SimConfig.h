//===- SimConfig.h - MNSIM 2.0's SimConfig.ini --------------------*- C++ -*-===//
//
// MNSIM 2.0 describes a ReRAM processing-in-memory chip in a `SimConfig.ini`
// (configs/mnsim/ holds MNSIM's own at ca39ccb and variants of it). This
// reads one as MNSIM's configparser does (keys compared without case, a
// repeated section or key refused) and gives its values typed, each error
// naming the file, the line, the section and the key.
//
//===----------------------------------------------------------------------===//

#ifndef HPT_HARDWARE_PIM_SIMCONFIG_H
#define HPT_HARDWARE_PIM_SIMCONFIG_H

#include "hardware/Expected.h"
#include "hardware/Ini.h"

#include <string>
#include <string_view>
#include <vector>

namespace hpt::hw::pim {

class SimConfig {
public:
  static Expected<SimConfig> parse(std::string_view text, const std::string &source);

  /// The value as written, or an error naming the missing section or key.
  Expected<std::string> text(std::string_view section, std::string_view key) const;
  /// A finite number (`3.16`, `1e6`).
  Expected<double> number(std::string_view section, std::string_view key) const;
  /// Comma-separated finite numbers (`Xbar_Size = 256,256`).
  Expected<std::vector<double>> numbers(std::string_view section, std::string_view key) const;

  const std::string &source() const { return path; }
  /// "file:line: [Section] Key" for an error about a value (the file and
  /// the names alone when the key is missing).
  std::string at(std::string_view section, std::string_view key) const;

private:
  const IniEntry *find(std::string_view section, std::string_view key) const;
  std::string where(const IniEntry &entry) const;

  std::string path;
  std::vector<IniEntry> entries;
};

/// Settings MNSIM has that hpt's model does not cover, as an error naming the
/// key (empty when there are none): `Simulation_Level` other than 0 (MNSIM's
/// accuracy path) and `NoC_enable` = 1 (its network-on-chip model).
std::string unmodelledSetting(const SimConfig &config);

} // namespace hpt::hw::pim

#endif // HPT_HARDWARE_PIM_SIMCONFIG_H
