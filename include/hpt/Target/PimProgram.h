//===- PimProgram.h - pim ops as hpt-sim-pim's program text -----*- C++ -*-===//

#ifndef HPT_TARGET_PIMPROGRAM_H
#define HPT_TARGET_PIMPROGRAM_H

namespace hpt {
/// Registers `--pim-to-program`: a module's pim.crossbars and the writes and
/// reads of its pim.kernels as hpt-sim-pim's program text
/// (hardware/pim/Program.h).
void registerPimProgramTranslation();
} // namespace hpt

#endif // HPT_TARGET_PIMPROGRAM_H
