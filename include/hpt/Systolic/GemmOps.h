//===- GemmOps.h - hpt ops as systolic-array GEMMs --------------*- C++ -*-===//

#ifndef HPT_SYSTOLIC_GEMMOPS_H
#define HPT_SYSTOLIC_GEMMOPS_H

#include "dialects/hpt/HptOps.h"
#include "dialects/sa/SaIsa.h"
#include "hardware/systolic/Planner.h"

#include <optional>

namespace hpt {

/// The GEMM an op computes as ofmap[M, N] = ifmap[M, K] · filter[K, N], for
/// the ops the systolic array runs: hpt.matmul and hpt.batch_matmul (either
/// operand transposed; batch elements one after the other) and hpt.linear
/// (x·Wᵀ over all leading axes; the bias is added apart).
std::optional<systolic::GemmShape> systolicGemm(mlir::Operation *op);

/// hpt.softmax over the last axis and hpt.layer_norm as vector-unit work.
std::optional<systolic::VectorShape> systolicVector(mlir::Operation *op);

/// The stream of an op the array runs (GEMM or vector work), or nullopt for
/// ops it does not run; a plan's error says why the op does not fit.
std::optional<systolic::Plan> planFor(mlir::Operation *op, const systolic::Machine &machine);

/// The simulator's view of an #sa.array (f32 operands).
systolic::Machine machineFor(sa::ArrayAttr array);

} // namespace hpt

#endif // HPT_SYSTOLIC_GEMMOPS_H
