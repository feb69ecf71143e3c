//===- RooflineDevice.cpp - a described GPU, modelled by its roofline -----===//

#include "runtime/gpu/RooflineDevice.h"

#include "hardware/Cost.h"
#include "runtime/core/Error.h"

namespace hpt::rt {

RooflineGpuDevice::RooflineGpuDevice(const Bundle &bundle) {
  if (!bundle.hardware || !bundle.hardware->gpu)
    throw Error(bundle.path + ": ops are placed on gpu, but the bundle's hardware description "
                              "has no gpu section");
  gpu = *bundle.hardware->gpu;
}

OpCost RooflineGpuDevice::run(const FunctionSpec &fn, size_t index, const Tensors &tensors) {
  OpCost cost;
  if (tensors.flops == 0 && tensors.elements == 0)
    return cost; // an alias moves nothing and launches nothing
  const OpSpec &op = fn.ops[index];
  for (int64_t v : op.operands)
    cost.bytesIn += uint64_t(numElements(tensors.shapes[size_t(v)])) * sizeof(float);
  for (int64_t v : op.results)
    cost.bytesOut += uint64_t(numElements(tensors.shapes[size_t(v)])) * sizeof(float);
  const bool product = tensors.flops > 0;
  const hw::Estimate e = hw::gpuEstimate(
      gpu, {product ? tensors.flops : tensors.elements, product,
            double(cost.bytesIn + cost.bytesOut), 1});
  cost.seconds = e.seconds;
  cost.energy = e.energy;
  return cost;
}

} // namespace hpt::rt
