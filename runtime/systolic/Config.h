//===- Config.h - SCALE-Sim configs, topologies, hardware.json --*- C++ -*-===//
//
// Readers for SCALE-Sim v2's inputs (a `.cfg` architecture file and a GEMM or
// conv topology CSV) and for the "systolic" section of configs/hardware.json.
// Every reader throws hpt::rt::Error naming the file and line (or key).
//
//===----------------------------------------------------------------------===//

#ifndef HPT_RUNTIME_SYSTOLIC_CONFIG_H
#define HPT_RUNTIME_SYSTOLIC_CONFIG_H

#include "runtime/systolic/Isa.h"

#include <string>
#include <vector>

namespace hpt::systolic {

/// A SCALE-Sim `.cfg` file.
struct ArchConfig {
  std::string runName = "hpt_run";
  uint32_t arrayRows = 0, arrayCols = 0;
  uint64_t sramKb[3] = {0, 0, 0}; ///< ifmap, filter, ofmap
  uint64_t offset[3] = {0, 10000000, 20000000};
  uint32_t bandwidth = 10; ///< words/cycle; used by USER mode only (not modelled)
  Dataflow dataflow = Dataflow::OutputStationary;
  uint32_t memoryBanks = 1;
  bool userBandwidth = false; ///< InterfaceBandwidth: USER (we simulate CALC)

  /// SRAM capacity in elements: SCALE-Sim's word is one byte, so kB x 1024.
  uint64_t sramWords(Buffer b) const { return sramKb[static_cast<int>(b)] * 1024; }
};

ArchConfig parseArchConfig(const std::string &text, const std::string &source);
ArchConfig readArchConfig(const std::string &path);

/// One topology row as a GEMM: ifmap M x K, filter K x N, ofmap M x N.
struct Layer {
  std::string name;
  uint64_t M = 0, N = 0, K = 0;
};

/// `conv`: SCALE-Sim's conv columns, lowered by im2col (output size
/// ceil((H - F + S) / S) per axis, as SCALE-Sim computes it).
enum class TopologyKind { Gemm, Conv };
std::vector<Layer> parseTopology(const std::string &text, TopologyKind kind,
                                 const std::string &source);
std::vector<Layer> readTopology(const std::string &path, TopologyKind kind);

/// Energy constants of the "systolic" section of configs/hardware.json.
struct HardwareConfig {
  double macEnergyPj = 0;        ///< per MAC
  double sramAccessEnergyPj = 0; ///< per SRAM element access
  double dramEnergyPjPerByte = 0;
};
HardwareConfig parseHardwareConfig(const std::string &text, const std::string &source);
HardwareConfig readHardwareConfig(const std::string &path);

} // namespace hpt::systolic

#endif // HPT_RUNTIME_SYSTOLIC_CONFIG_H
