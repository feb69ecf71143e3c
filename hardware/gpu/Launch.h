//===- Launch.h - one launch of a compiled GPU kernel ------------*- C++ -*-===//
//
// The launch table hpt-translate writes into a bundle's GPU section and
// hpt-run reads back (docs/gpu.md): shared, so that the two agree.
//
//===----------------------------------------------------------------------===//

#ifndef HPT_HARDWARE_GPU_LAUNCH_H
#define HPT_HARDWARE_GPU_LAUNCH_H

#include <cstdint>
#include <string>

namespace hpt::hw::gpu {

/// One launch of PTX entry `entry` on `grid` x 1 x 1 blocks of `block` x 1
/// x 1 threads, given every argument of its kernel.
struct Launch {
  std::string entry;
  int64_t grid = 0, block = 0;
};

} // namespace hpt::hw::gpu

#endif // HPT_HARDWARE_GPU_LAUNCH_H
