//===- Gpu.h - the GPU section of the hardware description ------*- C++ -*-===//
//
// A GPU as hpt's cost model charges it: a roofline. An op takes a kernel
// launch plus the longer of its floating-point work at the peak rate of its
// precision and its memory traffic at the memory bandwidth, each derated by
// an efficiency the description states (and sources: measured, or an
// assumption until it is). Energy is board power over that time. The
// description's `gpu` section (docs/hardware.md) holds these values;
// `hpt-hw gpu-preset` writes the A100 and H100 datasheet figures into it.
//
//===----------------------------------------------------------------------===//

#ifndef HPT_HARDWARE_GPU_GPU_H
#define HPT_HARDWARE_GPU_GPU_H

#include "hardware/Quantity.h"

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace hpt::hw::gpu {

/// The precision of the matrix products: fp32 on the CUDA cores, or the
/// tensor cores' TF32 or bf16 (dense).
enum class Precision : uint8_t { Fp32, Tf32, Bf16 };
const char *name(Precision v);
bool fromName(std::string_view text, Precision &out);

struct GpuModel {
  Quantity instances;        ///< GPUs
  Quantity fp32Rate;         ///< TFLOP/s, CUDA cores
  Quantity tf32Rate;         ///< TFLOP/s, dense tensor cores
  Quantity bf16Rate;         ///< TFLOP/s, dense tensor cores
  Quantity memoryBandwidth;  ///< GB/s (10^9 bytes per second)
  Quantity memory;           ///< GiB
  Quantity computeEfficiency;   ///< fraction of the peak rate kernels reach
  Quantity memoryEfficiency; ///< fraction of the bandwidth kernels reach
  Quantity launchLatency;    ///< us per kernel
  Quantity activePower;      ///< W while a kernel runs
  Quantity staticPower;      ///< W, idle
  Choice<Precision> precision;
};

/// What an op asks of a GPU: its floating-point work, whether that work is
/// a matrix product (tensor cores, at the chosen precision) or not (CUDA
/// cores, fp32), and the bytes it reads and writes in device memory.
struct Work {
  double flops = 0;
  bool product = false;
  double bytes = 0;
  uint32_t kernels = 1;
};

struct Cost {
  double seconds = 0;
  double energyPj = 0;
  bool computeBound = false; ///< the FLOPs, not the bytes, set the time
};

/// The peak rate, FLOP/s, at which `work` computes.
double peakRate(const GpuModel &gpu, const Work &work);
/// The roofline: launches + max(flops / (peak · compute_efficiency),
/// bytes / (bandwidth · memory_efficiency)); energy at the active power.
Cost roofline(const GpuModel &gpu, const Work &work);

/// The GPUs hpt has datasheet figures for ("a100-sxm", "h100-sxm"), each
/// value with its source; efficiencies, launch latency and idle power are
/// assumptions until measured.
std::optional<GpuModel> preset(std::string_view name);
std::vector<std::string_view> presetNames();

} // namespace hpt::hw::gpu

#endif // HPT_HARDWARE_GPU_GPU_H
