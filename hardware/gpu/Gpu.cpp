//===- Gpu.cpp - the GPU roofline -------------------------------------------===//

#include "hardware/gpu/Gpu.h"

#include <algorithm>

namespace hpt::hw::gpu {

const char *name(Precision v) {
  switch (v) {
  case Precision::Fp32:
    return "fp32";
  case Precision::Tf32:
    return "tf32";
  case Precision::Bf16:
    return "bf16";
  }
  return "fp32";
}

bool fromName(std::string_view text, Precision &out) {
  for (Precision p : {Precision::Fp32, Precision::Tf32, Precision::Bf16})
    if (text == name(p)) {
      out = p;
      return true;
    }
  return false;
}

double peakRate(const GpuModel &gpu, const Work &work) {
  if (!work.product)
    return gpu.fp32Rate.value * 1e12;
  switch (gpu.precision.value) {
  case Precision::Fp32:
    return gpu.fp32Rate.value * 1e12;
  case Precision::Tf32:
    return gpu.tf32Rate.value * 1e12;
  case Precision::Bf16:
    return gpu.bf16Rate.value * 1e12;
  }
  return gpu.fp32Rate.value * 1e12;
}

Cost roofline(const GpuModel &gpu, const Work &work) {
  const double compute = work.flops / (peakRate(gpu, work) * gpu.computeEfficiency.value);
  const double memory = work.bytes / (gpu.memoryBandwidth.value * 1e9 * gpu.memoryEfficiency.value);
  Cost cost;
  cost.computeBound = compute > memory;
  cost.seconds = double(work.kernels) * gpu.launchLatency.value * 1e-6 + std::max(compute, memory);
  cost.energyPj = gpu.activePower.value * cost.seconds * 1e12;
  return cost;
}

namespace {

constexpr const char *kA100 =
    "NVIDIA A100 Tensor Core GPU datasheet (SXM4 80 GB; reference/hpt-hardware.md)";
constexpr const char *kH100 =
    "NVIDIA H100 Tensor Core GPU datasheet (SXM5; reference/hpt-hardware.md)";

/// What neither datasheet gives, the same for both until a GPU measures it.
void assumeEfficiencies(GpuModel &g) {
  g.computeEfficiency = {0.7, "assumption: cuBLAS reaches about 70 % of peak on the "
                              "transformer products hpt trains (to be measured on the GPU)"};
  g.memoryEfficiency = {0.8, "assumption: streaming kernels reach about 80 % of the HBM "
                             "bandwidth (to be measured on the GPU)"};
  g.launchLatency = {5, "assumption: one kernel launch of an eager training step"};
  g.precision = {Precision::Fp32, "PyTorch's default: fp32 products without TF32 "
                                  "(torch.backends.cuda.matmul.allow_tf32 = False since 1.12)"};
  g.instances = {1, "assumption: one GPU, as HpT's GPU-only baseline"};
}

GpuModel a100() {
  GpuModel g;
  assumeEfficiencies(g);
  g.fp32Rate = {19.5, kA100};
  g.tf32Rate = {156, std::string(kA100) + ", dense"};
  g.bf16Rate = {312, std::string(kA100) + ", dense"};
  g.memoryBandwidth = {2039, kA100};
  g.memory = {80, kA100};
  g.activePower = {400, std::string(kA100) + ": maximum board power (TDP)"};
  g.staticPower = {50, "assumption: an idle A100 SXM board"};
  return g;
}

GpuModel h100() {
  GpuModel g;
  assumeEfficiencies(g);
  g.fp32Rate = {67, kH100};
  g.tf32Rate = {494.5, std::string(kH100) + ": 989 with sparsity, dense half of it"};
  g.bf16Rate = {989, std::string(kH100) + ", dense"};
  g.memoryBandwidth = {3350, kH100};
  g.memory = {80, kH100};
  g.activePower = {700, std::string(kH100) + ": maximum board power (TDP)"};
  g.staticPower = {70, "assumption: an idle H100 SXM board"};
  return g;
}

} // namespace

std::optional<GpuModel> preset(std::string_view name) {
  if (name == "a100-sxm")
    return a100();
  if (name == "h100-sxm")
    return h100();
  return std::nullopt;
}

std::vector<std::string_view> presetNames() { return {"a100-sxm", "h100-sxm"}; }

} // namespace hpt::hw::gpu
