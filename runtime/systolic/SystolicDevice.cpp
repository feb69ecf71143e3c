//===- SystolicDevice.cpp - the systolic array as an hpt-run device --------===//

#include "runtime/systolic/SystolicDevice.h"

#include "hardware/systolic/Quantize.h"
#include "runtime/core/Error.h"

#include <algorithm>

namespace hpt::rt {
namespace {

int regionIndex(systolic::Buffer region) { return static_cast<int>(region); }

/// Batch elements and the two last axes of a shape (a vector is 1 x n).
struct Matrices {
  int64_t batch = 1, rows = 1, cols = 1;
};
Matrices matricesOf(const Shape &shape) {
  Matrices m;
  if (shape.empty())
    return m;
  m.cols = shape.back();
  if (shape.size() >= 2)
    m.rows = shape[shape.size() - 2];
  for (size_t i = 0; i + 2 < shape.size(); ++i)
    m.batch *= shape[i];
  return m;
}

std::string opWhere(const FunctionSpec &fn, size_t index) {
  const OpSpec &op = fn.ops[index];
  return "function '" + fn.name + "': ops[" + std::to_string(index) + "] (" + op.op +
         (op.loc.empty() ? "" : " at " + op.loc) + ")";
}

} // namespace

SystolicDevice::SystolicDevice(const Bundle &bundle, SimMode mode, MemoryLimit limit)
    : bundle(bundle), mode(mode), limit(limit), simulator(true, std::move(limit)) {
  if (!bundle.hardware || !bundle.hardware->systolic)
    throw Error(bundle.path + ": ops are placed on the systolic array, but the bundle's "
                              "hardware description has no systolic section");
  model = *bundle.hardware->systolic;
  if (mode == SimMode::Timing) // functional runs count their cycles as they go
    for (size_t i = 0; i < bundle.systolic.streams.size(); ++i)
      timing.push_back(systolic::Simulator(false, this->limit)
                           .run(bundle.systolic.streams[i],
                                bundle.path + ": systolic stream " + std::to_string(i)));
}

void SystolicDevice::accept(const FunctionSpec &fn, size_t index,
                            const std::string &where) const {
  const SystolicOp *op = bundle.systolic.find(fn.name, index);
  if (!op)
    throw Error(where + ": placed on systolic, but the bundle has no stream for it");
  const systolic::Stream &stream = bundle.systolic.streams[op->stream];
  bool computesInInt8 = stream.instructions.front().element == systolic::ElementType::I8;
  bool product = std::any_of(op->bindings.begin(), op->bindings.end(), [](const DramBinding &b) {
    return b.region == systolic::Buffer::Filter;
  });
  if (computesInInt8 && !product)
    throw Error(where + ": an int8 systolic array runs matrix products only");
}

OpCost SystolicDevice::costOf(const systolic::Report &report) const {
  OpCost cost;
  cost.cycles = report.cycles;
  cost.seconds = double(report.cycles) / (model.clock.value * 1e9);
  systolic::Energy e = report.energy(model.energyCosts());
  cost.energy = {{"mac", e.mac}, {"sram", e.sram}, {"dram", e.dram}, {"vector", e.vector}};
  return cost;
}

double SystolicDevice::fill(const SystolicOp &op, const Tensors &tensors,
                            systolic::Simulator &sim, const systolic::Stream &stream,
                            OpCost &cost) {
  const systolic::Instruction &config = stream.instructions.front();
  const bool int8 = config.element == systolic::ElementType::I8;
  // Operand scales first: a bias in the ofmap region takes their product.
  double scales[3] = {1, 1, 1};
  for (const DramBinding &binding : op.bindings)
    if (int8 && !binding.output && binding.region != systolic::Buffer::Ofmap)
      scales[regionIndex(binding.region)] = systolic::symmetricScale(
          tensors.ptr[binding.value], numElements(tensors.shapes[binding.value]));
  scales[regionIndex(systolic::Buffer::Ofmap)] = scales[0] * scales[1];
  // Every word a valid stream reads is bound or written first, so storage
  // from the previous op is reused without clearing it.
  std::vector<double> (&dram)[3] = regions;
  for (int b = 0; b < 3; ++b)
    dram[b].resize(config.dramWords[b]);
  for (const DramBinding &binding : op.bindings) {
    if (binding.output)
      continue;
    const float *src = tensors.ptr[binding.value];
    const Matrices m = matricesOf(tensors.shapes[binding.value]);
    const int r = regionIndex(binding.region);
    const int32_t limit = binding.region == systolic::Buffer::Ofmap ? INT32_MAX : 127;
    double *dst = dram[r].data() + binding.offset;
    const int64_t each = m.rows * m.cols;
    for (int64_t e = 0; e < m.batch; ++e)
      for (int64_t i = 0; i < m.rows; ++i)
        for (int64_t j = 0; j < m.cols; ++j) {
          double x = src[e * each + i * m.cols + j];
          dst[e * each + (binding.transpose ? j * m.rows + i : i * m.cols + j)] =
              int8 ? systolic::quantize(x, scales[r], limit) : x;
        }
    cost.bytesIn += uint64_t(m.batch * each) * sizeof(float);
  }
  for (int b = 0; b < 3; ++b)
    sim.setDram(static_cast<systolic::Buffer>(b), std::move(dram[b]));
  return scales[regionIndex(systolic::Buffer::Ofmap)];
}

void SystolicDevice::drain(const SystolicOp &op, const Tensors &tensors,
                           const systolic::Simulator &sim, double scale, OpCost &cost) const {
  for (const DramBinding &binding : op.bindings) {
    if (!binding.output)
      continue;
    const std::vector<double> &region = sim.dramData(binding.region);
    const int64_t count = numElements(tensors.shapes[binding.value]);
    float *dst = tensors.ptr[binding.value];
    for (int64_t i = 0; i < count; ++i)
      dst[i] = static_cast<float>(region[binding.offset + i] * scale);
    cost.bytesOut += uint64_t(count) * sizeof(float);
  }
}

OpCost SystolicDevice::run(const FunctionSpec &fn, size_t index, const Tensors &tensors) {
  const SystolicOp &op = *bundle.systolic.find(fn.name, index);
  if (mode == SimMode::Timing) {
    OpCost cost = costOf(timing[op.stream]);
    for (const DramBinding &binding : op.bindings)
      (binding.output ? cost.bytesOut : cost.bytesIn) +=
          uint64_t(numElements(tensors.shapes[binding.value])) * sizeof(float);
    return cost;
  }
  const systolic::Stream &stream = bundle.systolic.streams[op.stream];
  OpCost moved;
  double scale = fill(op, tensors, simulator, stream, moved);
  OpCost cost = costOf(simulator.run(stream, bundle.path + ": " + opWhere(fn, index)));
  drain(op, tensors, simulator, scale, moved);
  for (int b = 0; b < 3; ++b)
    regions[b] = simulator.takeDram(static_cast<systolic::Buffer>(b));
  cost.bytesIn = moved.bytesIn;
  cost.bytesOut = moved.bytesOut;
  return cost;
}

} // namespace hpt::rt
