//===- SystolicDevice.cpp - the systolic array as an hpt-run device --------===//

#include "runtime/systolic/SystolicDevice.h"

#include "hardware/Cost.h"

#include "hardware/systolic/Quantize.h"
#include "runtime/core/Error.h"

#include <algorithm>

namespace hpt::rt {
namespace {

using systolic::BoundTensor;

int regionIndex(systolic::Buffer region) { return static_cast<int>(region); }

std::string opWhere(const FunctionSpec &fn, size_t index) {
  const OpSpec &op = fn.ops[index];
  return "function '" + fn.name + "': ops[" + std::to_string(index) + "] (" + op.op +
         (op.loc.empty() ? "" : " at " + op.loc) + ")";
}

/// An optimizer step's coefficient block in the order of Isa.h's *Word
/// enums, into `words` (its storage reused from step to step).
void coefficientWords(const OptimizerStep &step, std::vector<float> &words) {
  if (const auto *k = std::get_if<SgdCoefficients>(&step.coefficients)) {
    if (!step.moment1) {
      words.assign(systolic::kSgdWords, 0.0f);
      words[systolic::kSgdNegLr] = k->negLr;
      words[systolic::kSgdWeightDecay] = k->weightDecay;
      return;
    }
    words.assign(systolic::kSgdMomentumWords, 0.0f);
    words[systolic::kMomentumNegLr] = k->negLr;
    words[systolic::kMomentumMomentum] = k->momentum;
    words[systolic::kMomentumOneMinusDampening] = k->oneMinusDampening;
    words[systolic::kMomentumWeightDecay] = k->weightDecay;
    words[systolic::kMomentumNesterov] = k->nesterov ? 1.0f : 0.0f;
    words[systolic::kMomentumFirst] = k->first ? 1.0f : 0.0f;
    return;
  }
  const AdamCoefficients &k = std::get<AdamCoefficients>(step.coefficients);
  words.assign(systolic::kAdamWords, 0.0f);
  words[systolic::kAdamBeta1] = k.beta1;
  words[systolic::kAdamOneMinusBeta1] = k.oneMinusBeta1;
  words[systolic::kAdamBeta2] = k.beta2;
  words[systolic::kAdamOneMinusBeta2] = k.oneMinusBeta2;
  words[systolic::kAdamNegStepSize] = k.negStepSize;
  words[systolic::kAdamSqrtBias2] = k.sqrtBias2;
  words[systolic::kAdamEps] = k.eps;
  words[systolic::kAdamDecay] = k.decay;
  words[systolic::kAdamL2] = k.l2;
}

/// Bytes of the op's tensors the device reads in and writes back (an
/// updated parameter or state both ways).
void countBytes(const SystolicOp &op, OpCost &cost) {
  for (const DramBinding &b : op.bindings) {
    (b.output ? cost.bytesOut : cost.bytesIn) += b.words * sizeof(float);
    if (b.output && isWritten(b.tensor))
      cost.bytesIn += b.words * sizeof(float);
  }
}

/// Whether `output` takes the place of an operand (a vector op in place).
const DramBinding *operandAt(const SystolicOp &op, const DramBinding &output) {
  for (const DramBinding &b : op.bindings)
    if (!b.output && b.tensor == BoundTensor::Value && b.region == output.region &&
        b.offset == output.offset)
      return &b;
  return nullptr;
}

} // namespace

SystolicDevice::SystolicDevice(const Bundle &bundle, SimMode mode, MemoryLimit limit)
    : bundle(bundle), mode(mode), limit(limit), simulator(true, std::move(limit)) {
  if (!bundle.hardware || !bundle.hardware->systolic)
    throw Error(bundle.path + ": ops are placed on the systolic array, but the bundle's "
                              "hardware description has no systolic section");
  model = *bundle.hardware->systolic;
  timing.resize(bundle.systolic.streams.size());
}

const systolic::Report &SystolicDevice::counted(size_t stream) {
  if (!timing[stream])
    timing[stream] = systolic::Simulator(false, limit).run(
        bundle.systolic.streams[stream], bundle.path + ": systolic stream " + std::to_string(stream));
  return *timing[stream];
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
  const hw::Estimate e = hw::systolicEstimate(model, report, report.element);
  OpCost cost;
  cost.cycles = e.cycles;
  cost.seconds = e.seconds;
  cost.energy = e.energy;
  return cost;
}

float *SystolicDevice::hostTensor(const DramBinding &binding, const Tensors &tensors,
                                  const std::string &where) {
  const OptimizerStep *update = tensors.update;
  switch (binding.tensor) {
  case BoundTensor::Value:
    return tensors.ptr[binding.value];
  case BoundTensor::DropoutNoise:
    if (!tensors.dropoutNoise)
      throw Error(where + ": a dropout reached the array without its noise");
    return const_cast<float *>(tensors.dropoutNoise); // mapped read-only
  default:
    break;
  }
  if (!update)
    throw Error(where + ": an optimizer update reached the array without its state");
  switch (binding.tensor) {
  case BoundTensor::Parameter: return update->value;
  case BoundTensor::Moment1: return update->moment1;
  case BoundTensor::Moment2: return update->moment2;
  default:
    coefficientWords(*update, coefficients);
    return coefficients.data();
  }
}

// The stream works on the host's tensors where they are (fp32), or on
// quantised copies (int8; drained and scaled back after the run).
double SystolicDevice::map(const SystolicOp &op, const Tensors &tensors, bool int8,
                           const std::string &where) {
  owned.clear();
  drains.clear();
  std::vector<systolic::DramMapping> mappings[3];
  // Operand scales first: a bias in the ofmap region takes their product.
  double scales[3] = {1, 1, 1};
  for (const DramBinding &binding : op.bindings)
    if (int8 && !binding.output && binding.tensor == BoundTensor::Value &&
        binding.region != systolic::Buffer::Ofmap)
      scales[regionIndex(binding.region)] =
          systolic::symmetricScale(tensors.ptr[binding.value], int64_t(binding.words));
  const double resultScale = scales[0] * scales[1];
  scales[regionIndex(systolic::Buffer::Ofmap)] = resultScale;
  for (const DramBinding &binding : op.bindings) {
    const bool written = binding.output;
    const DramBinding *replaced = written ? operandAt(op, binding) : nullptr;
    if (!written && std::any_of(op.bindings.begin(), op.bindings.end(), [&](const DramBinding &b) {
          return b.output && operandAt(op, b) == &binding;
        }))
      continue; // its result takes its place below
    float *data = hostTensor(binding, tensors, where);
    systolic::DramMapping m;
    m.offset = binding.offset;
    m.words = binding.words;
    m.writable = written;
    m.name = binding.tensor == BoundTensor::Value
                 ? "value " + std::to_string(binding.value)
                 : std::string("the ") + systolic::name(binding.tensor) + " tensor";
    if (binding.transpose) {
      const Shape &shape = tensors.shapes[binding.value];
      m.transposed = true;
      m.rows = uint64_t(shape.back());
      m.cols = uint64_t(shape[shape.size() - 2]);
    }
    const float *source = replaced ? tensors.ptr[replaced->value] : written ? nullptr : data;
    if (int8) {
      const int r = regionIndex(binding.region);
      const int32_t bound = binding.region == systolic::Buffer::Ofmap ? INT32_MAX : 127;
      owned.emplace_back(binding.words, 0.0f);
      if (source)
        for (uint64_t i = 0; i < binding.words; ++i)
          owned.back()[i] = systolic::encodeWord(
              systolic::ElementType::I8, systolic::quantize(source[i], scales[r], bound));
      if (written)
        drains.push_back({owned.back().data(), data, binding.words});
      m.data = owned.back().data();
    } else {
      if (replaced && source != data)
        std::copy_n(source, binding.words, data);
      m.data = data;
    }
    mappings[regionIndex(binding.region)].push_back(std::move(m));
  }
  for (int b = 0; b < 3; ++b)
    simulator.mapDram(static_cast<systolic::Buffer>(b), std::move(mappings[b]));
  return resultScale;
}

OpCost SystolicDevice::run(const FunctionSpec &fn, size_t index, const Tensors &tensors) {
  const SystolicOp &op = *bundle.systolic.find(fn.name, index);
  if (mode == SimMode::Timing) {
    OpCost cost = costOf(counted(op.stream));
    countBytes(op, cost);
    return cost;
  }
  const systolic::Stream &stream = bundle.systolic.streams[op.stream];
  const bool int8 = stream.instructions.front().element == systolic::ElementType::I8;
  const std::string where = bundle.path + ": " + opWhere(fn, index);
  const std::optional<systolic::PlanSpec> &plan = bundle.systolic.plans[op.stream];
  const bool planned = plan && mode == SimMode::Functional;
  // Counted before the tensors are mapped: nothing can fail in between.
  const systolic::Report *report = planned ? &counted(op.stream) : nullptr;
  const double scale = map(op, tensors, int8, where);
  OpCost cost = costOf(planned ? simulator.runPlanned(stream, *plan, *report, where)
                               : simulator.run(stream, where));
  for (const Drain &d : drains)
    for (uint64_t i = 0; i < d.words; ++i)
      d.to[i] = static_cast<float>(
          systolic::decodeWord(systolic::ElementType::I8, d.from[i]) * scale);
  countBytes(op, cost);
  return cost;
}

} // namespace hpt::rt
