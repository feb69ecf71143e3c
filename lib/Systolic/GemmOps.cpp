//===- GemmOps.cpp - hpt ops as systolic-array GEMMs ----------------------===//

#include "hpt/Systolic/GemmOps.h"

#include "hardware/systolic/Check.h"

using namespace mlir;

namespace hpt {

std::optional<systolic::GemmShape> systolicGemm(Operation *op) {
  if (isa<MatmulOp, BatchMatmulOp>(op)) {
    ArrayRef<int64_t> a = cast<RankedTensorType>(op->getOperand(0).getType()).getShape();
    ArrayRef<int64_t> out = cast<RankedTensorType>(op->getResult(0).getType()).getShape();
    bool transposeLhs = op->hasAttr("transpose_lhs");
    int64_t k = transposeLhs ? a[a.size() - 2] : a.back();
    int64_t m = out[out.size() - 2], n = out.back();
    int64_t batch = 1;
    for (int64_t size : out.drop_back(2))
      batch *= size;
    return systolic::GemmShape{uint64_t(m), uint64_t(n), uint64_t(k), uint64_t(batch)};
  }
  if (auto linear = dyn_cast<LinearOp>(op)) {
    ArrayRef<int64_t> w = linear.getWeight().getType().getShape();
    int64_t rows = linear.getType().getNumElements() / w[0];
    return systolic::GemmShape{uint64_t(rows), uint64_t(w[0]), uint64_t(w[1]), 1,
                               linear.getBias() != nullptr};
  }
  return std::nullopt;
}

std::optional<systolic::VectorShape> systolicVector(Operation *op) {
  auto rowsAndCols = [](Value value) {
    auto type = cast<RankedTensorType>(value.getType());
    int64_t cols = type.getRank() ? type.getShape().back() : 1;
    return std::make_pair(uint64_t(type.getNumElements() / cols), uint64_t(cols));
  };
  if (auto softmax = dyn_cast<SoftmaxOp>(op)) {
    int64_t rank = softmax.getType().getRank();
    int64_t axis = static_cast<int64_t>(softmax.getAxis());
    if (axis != -1 && axis != rank - 1)
      return std::nullopt; // the vector unit reduces along rows only
    auto [rows, cols] = rowsAndCols(softmax.getInput());
    return systolic::VectorShape{systolic::VectorOp::Softmax, rows, cols, 0.0f};
  }
  if (auto norm = dyn_cast<LayerNormOp>(op)) {
    auto [rows, cols] = rowsAndCols(norm.getInput());
    return systolic::VectorShape{systolic::VectorOp::LayerNorm, rows, cols,
                                 static_cast<float>(norm.getEps().convertToDouble())};
  }
  if (auto grad = dyn_cast<LayerNormGradOp>(op)) {
    auto [rows, cols] = rowsAndCols(grad.getResultGrad());
    return systolic::VectorShape{systolic::VectorOp::LayerNormGrad, rows, cols,
                                 static_cast<float>(grad.getEps().convertToDouble())};
  }
  if (auto grad = dyn_cast<SoftmaxGradOp>(op)) {
    int64_t rank = grad.getType().getRank();
    int64_t axis = static_cast<int64_t>(grad.getAxis());
    if (axis != -1 && axis != rank - 1)
      return std::nullopt;
    auto [rows, cols] = rowsAndCols(grad.getResultGrad());
    return systolic::VectorShape{systolic::VectorOp::SoftmaxGrad, rows, cols, 0.0f};
  }
  // Elementwise work: the unit has the exact GELU (erf), not the tanh form.
  auto elementwise = [&](systolic::VectorOp kind, float scalar = 0) {
    auto [rows, cols] = rowsAndCols(op->getOperand(0));
    return std::optional(systolic::VectorShape{kind, rows, cols, scalar});
  };
  if (isa<ReluOp>(op))
    return elementwise(systolic::VectorOp::Relu);
  if (isa<ReluGradOp>(op))
    return elementwise(systolic::VectorOp::ReluGrad);
  if (isa<AddOp>(op))
    return elementwise(systolic::VectorOp::Add);
  if (isa<DropoutOp>(op)) // times its noise, which the host's generator makes
    return elementwise(systolic::VectorOp::Mul);
  // Optimizer updates: the parameter's rows, its state beside it.
  if (auto sgd = dyn_cast<SgdUpdateOp>(op))
    return elementwise(sgd.getMomentum().isZero() ? systolic::VectorOp::Sgd
                                                  : systolic::VectorOp::SgdMomentum);
  if (isa<AdamUpdateOp, AdamWUpdateOp>(op))
    return elementwise(systolic::VectorOp::Adam);
  if (auto scale = dyn_cast<ScaleOp>(op))
    return elementwise(systolic::VectorOp::Scale,
                       static_cast<float>(scale.getFactor().convertToDouble()));
  if (auto gelu = dyn_cast<GeluOp>(op); gelu && gelu.getApproximate() == GeluApproximation::none)
    return elementwise(systolic::VectorOp::Gelu);
  if (auto grad = dyn_cast<GeluGradOp>(op);
      grad && grad.getApproximate() == GeluApproximation::none)
    return elementwise(systolic::VectorOp::GeluGrad);
  return std::nullopt;
}

std::optional<systolic::PlanSpec> planSpecOf(Operation *op) {
  if (std::optional<systolic::GemmShape> gemm = systolicGemm(op))
    return systolic::PlanSpec(*gemm);
  if (std::optional<systolic::VectorShape> vector = systolicVector(op))
    return systolic::PlanSpec(*vector);
  return std::nullopt;
}

std::optional<systolic::Plan> planFor(Operation *op, const systolic::Machine &machine) {
  if (std::optional<systolic::PlanSpec> spec = planSpecOf(op))
    return systolic::planOf(*spec, machine);
  return std::nullopt;
}

/// Which tensor of a vector op fills each place of its plan (planSlots: the
/// tensor, its operand tensors, its block's pieces, all in the ofmap region);
/// results take their operand's place.
static std::vector<DramBinding> vectorBindings(const systolic::VectorShape &v) {
  using systolic::Buffer;
  using systolic::BoundTensor;
  const std::vector<systolic::Slot> slots = systolic::planSlots(v);
  auto operand = [&](size_t slot, unsigned index) {
    return DramBinding{Buffer::Ofmap, slots[slot].offset, false, index};
  };
  auto result = [&](size_t slot, unsigned index) {
    return DramBinding{Buffer::Ofmap, slots[slot].offset, true, index};
  };
  auto runtime = [&](size_t slot, BoundTensor tensor) {
    DramBinding b{Buffer::Ofmap, slots[slot].offset, systolic::isWritten(tensor), 0};
    b.tensor = tensor;
    return b;
  };
  switch (v.op) {
  case systolic::VectorOp::LayerNorm: // x; gamma, beta
    return {operand(0, 0), result(0, 0), operand(1, 1), operand(2, 2)};
  case systolic::VectorOp::LayerNormGrad: // dy (dx); x; gamma, dgamma, dbeta
    return {operand(0, 0), result(0, 0), operand(1, 1), operand(2, 2), result(3, 1),
            result(4, 2)};
  case systolic::VectorOp::Mul: // dropout: x; its noise
    return {operand(0, 0), result(0, 0), runtime(1, BoundTensor::DropoutNoise)};
  case systolic::VectorOp::Sgd: // parameter; gradient; coefficients
    return {runtime(0, BoundTensor::Parameter), operand(1, 0),
            runtime(2, BoundTensor::Coefficients)};
  case systolic::VectorOp::SgdMomentum: // parameter; gradient, buffer; coefficients
    return {runtime(0, BoundTensor::Parameter), operand(1, 0), runtime(2, BoundTensor::Moment1),
            runtime(3, BoundTensor::Coefficients)};
  case systolic::VectorOp::Adam: // parameter; gradient, m, v; coefficients
    return {runtime(0, BoundTensor::Parameter), operand(1, 0), runtime(2, BoundTensor::Moment1),
            runtime(3, BoundTensor::Moment2), runtime(4, BoundTensor::Coefficients)};
  default: { // in place; a binary op's second tensor follows
    std::vector<DramBinding> bindings = {operand(0, 0), result(0, 0)};
    if (slots.size() > 1)
      bindings.push_back(operand(1, 1));
    return bindings;
  }
  }
}

std::optional<std::vector<DramBinding>> dramBindings(Operation *op) {
  using systolic::Buffer;
  if (std::optional<systolic::GemmShape> gemm = systolicGemm(op)) {
    bool isLinear = isa<LinearOp>(op);
    std::vector<DramBinding> bindings = {
        {Buffer::Ifmap, 0, false, 0, !isLinear && op->hasAttr("transpose_lhs")},
        // A linear layer's weight is [out, in]: the filter K x N is its transpose.
        {Buffer::Filter, 0, false, 1, isLinear || op->hasAttr("transpose_rhs")},
        {Buffer::Ofmap, 0, true, 0, false}};
    if (gemm->bias) // after the result (planSlots)
      bindings.push_back({Buffer::Ofmap, systolic::planSlots(*gemm).back().offset, false, 2, false});
    return bindings;
  }
  if (std::optional<systolic::VectorShape> vector = systolicVector(op))
    return vectorBindings(*vector);
  return std::nullopt;
}

systolic::Machine machineFor(sa::ArrayAttr array) {
  systolic::Machine machine;
  machine.dataflow = sa::toIsa(array.getDataflow());
  machine.arrayRows = array.getRows();
  machine.arrayCols = array.getCols();
  machine.sramWords[0] = array.getIfmapWords();
  machine.sramWords[1] = array.getFilterWords();
  machine.sramWords[2] = array.getOfmapWords();
  machine.element = sa::toIsa(array.getElement());
  return machine;
}

} // namespace hpt
