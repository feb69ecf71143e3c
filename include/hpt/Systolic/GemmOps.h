//===- GemmOps.h - hpt ops as systolic-array GEMMs --------------*- C++ -*-===//

#ifndef HPT_SYSTOLIC_GEMMOPS_H
#define HPT_SYSTOLIC_GEMMOPS_H

#include "dialects/hpt/HptOps.h"
#include "dialects/sa/SaDialect.h"
#include "runtime/systolic/Lowering.h"

#include <optional>

namespace hpt {

/// The GEMM an op computes as ofmap[M, N] = ifmap[M, K] · filter[K, N], for
/// the ops the systolic array runs: hpt.matmul and hpt.batch_matmul (either
/// operand transposed; batch elements one after the other) and hpt.linear
/// (x·Wᵀ over all leading axes; the bias is added apart).
std::optional<systolic::GemmShape> systolicGemm(mlir::Operation *op);

/// The simulator's view of an #sa.array (f32 operands).
systolic::Machine machineFor(sa::ArrayAttr array);

} // namespace hpt

#endif // HPT_SYSTOLIC_GEMMOPS_H
