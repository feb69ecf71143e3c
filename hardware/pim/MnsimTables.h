//===- MnsimTables.h - MNSIM 2.0's SRAM buffer tables -----------*- C++ -*-===//
//
// The buffer tables MNSIM 2.0's model reads (see MnsimTables.cpp for the
// source and the index).
//
//===----------------------------------------------------------------------===//

#ifndef HPT_HARDWARE_PIM_MNSIMTABLES_H
#define HPT_HARDWARE_PIM_MNSIMTABLES_H

#include <array>
#include <cstddef>

namespace hpt::hw::pim::mnsim {

inline constexpr size_t kSramEntries = 108;

extern const std::array<double, kSramEntries> kSramArea;         ///< mm^2
extern const std::array<double, kSramEntries> kSramLeakagePower; ///< mW
extern const std::array<double, kSramEntries> kSramReadEnergy;   ///< nJ per access
extern const std::array<double, kSramEntries> kSramWriteEnergy;  ///< nJ per access

} // namespace hpt::hw::pim::mnsim

#endif // HPT_HARDWARE_PIM_MNSIMTABLES_H
