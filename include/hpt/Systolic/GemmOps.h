//===- GemmOps.h - hpt ops as systolic-array GEMMs --------------*- C++ -*-===//

#ifndef HPT_SYSTOLIC_GEMMOPS_H
#define HPT_SYSTOLIC_GEMMOPS_H

#include "dialects/hpt/HptOps.h"
#include "dialects/sa/SaIsa.h"
#include "hardware/systolic/Binding.h"
#include "hardware/systolic/Planner.h"

#include <optional>
#include <vector>

namespace hpt {

/// The GEMM an op computes as ofmap[M, N] = ifmap[M, K] · filter[K, N], for
/// the ops the systolic array runs: hpt.matmul and hpt.batch_matmul (either
/// operand transposed; batch elements one after the other) and hpt.linear
/// (x·Wᵀ over all leading axes; the vector unit adds the bias after the folds).
std::optional<systolic::GemmShape> systolicGemm(mlir::Operation *op);

/// What the systolic array runs, in words, for diagnostics.
inline constexpr const char *kSystolicOps =
    "it runs matrix products, softmax and its gradient over the last axis, layer norm and its "
    "gradient, relu, exact gelu, scale, add, dropout, the relu and gelu gradients, and the "
    "sgd, adam and adamw updates";

/// Vector-unit work: hpt.softmax and its gradient over the last axis,
/// hpt.layer_norm and its gradient, the elementwise relu, exact gelu, scale,
/// add, dropout and the relu and gelu gradients, and the optimizer updates.
std::optional<systolic::VectorShape> systolicVector(mlir::Operation *op);

/// What the array computes for an op it runs (GEMM or vector work).
std::optional<systolic::PlanSpec> planSpecOf(mlir::Operation *op);

/// The stream of an op the array runs (GEMM or vector work), or nullopt for
/// ops it does not run; a plan's error says why the op does not fit.
std::optional<systolic::Plan> planFor(mlir::Operation *op, const systolic::Machine &machine);

/// Where one tensor of an op lives in its stream's DRAM regions: operand or
/// result `index` (or, for `tensor` other than Value, a tensor the runtime
/// owns: Binding.h) at element `offset` of `region`, row-major as the stream
/// reads it; `transpose` swaps the two last axes of each batch element (a
/// linear layer's weight, a transposed matmul operand). `result`: the
/// runtime reads the tensor back after the op.
struct DramBinding {
  systolic::Buffer region = systolic::Buffer::Ifmap;
  uint64_t offset = 0;
  bool result = false;
  unsigned index = 0;
  bool transpose = false;
  systolic::BoundTensor tensor = systolic::BoundTensor::Value;
};

/// The bindings of an op the array runs (planFor's ops), or nullopt.
std::optional<std::vector<DramBinding>> dramBindings(mlir::Operation *op);

/// The simulator's view of an #sa.array.
systolic::Machine machineFor(sa::ArrayAttr array);

} // namespace hpt

#endif // HPT_SYSTOLIC_GEMMOPS_H
