//===- BundleFormat.h - the bundle's container format -----------*- C++ -*-===//
//
// The one definition of how a bundle is framed, used by the compiler that
// writes it (hpt-translate --hpt-to-bundle) and the runtime that reads it
// (hpt-run), so the two cannot drift apart (docs/bundle.md):
//
//   HPTBUNDLE <version> <section count>\n
//   SECTION <name> <bytes> <FNV-1a 64 of the bytes, 16 hex digits>\n
//   <bytes>\n
//   ... one per section
//
// Each section carries its own checksum, so a damaged one is refused by
// name. Sections: "program" (JSON: parameters, functions with each op's
// device, programs), "hardware" (the hardware description it was compiled
// for, canonical JSON), "systolic" (JSON: which stream each systolic op runs
// and which tensor is bound to which DRAM region), "systolic.streams"
// (the binary streams, each stored once, back to back) and "reram" (JSON:
// the frozen weights in crossbars and which op reads which, forward or
// transposed), "gpu" (JSON: the GPU kernels, their arguments and launches,
// and which op runs which kernel or cuBLAS), "gpu.ptx" (the kernels' PTX)
// and "gpu.cubin.ARCH" (assembled for one architecture). The keys of the JSON
// sections' objects are in BundleSchema.h.
//
//===----------------------------------------------------------------------===//

#ifndef HPT_HARDWARE_BUNDLEFORMAT_H
#define HPT_HARDWARE_BUNDLEFORMAT_H

#include "hardware/Expected.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace hpt::hw::bundle {

inline constexpr int kVersion = 3;
inline constexpr const char *kMagic = "HPTBUNDLE";

inline constexpr const char *kProgram = "program";
inline constexpr const char *kHardware = "hardware";
inline constexpr const char *kSystolic = "systolic";
inline constexpr const char *kSystolicStreams = "systolic.streams";
inline constexpr const char *kReram = "reram";
inline constexpr const char *kGpu = "gpu";
inline constexpr const char *kGpuPtx = "gpu.ptx";
/// "gpu.cubin." + an architecture (sm_80): the kernels assembled for it.
inline constexpr const char *kGpuCubinPrefix = "gpu.cubin.";

struct Section {
  std::string name;
  std::string bytes;
};

/// The file: a header, then each section framed with its size and checksum.
std::string write(const std::vector<Section> &sections);

/// The sections of a bundle file, checked: the magic and version (an older
/// bundle is refused with a request to recompile), each section's frame,
/// size and checksum (a damaged one is refused by name), known names, no
/// repeats, and the program section present. Errors start with `origin`.
Expected<std::vector<Section>> read(std::string_view file, const std::string &origin);

/// Identifies a compiled model (checkpoints record it): FNV-1a 64 over the
/// sections' names and bytes, in order.
uint64_t checksum(const std::vector<Section> &sections);

} // namespace hpt::hw::bundle

#endif // HPT_HARDWARE_BUNDLEFORMAT_H
