//===- Passes.h - hpt transformation passes ---------------------*- C++ -*-===//

#ifndef HPT_TRANSFORMS_PASSES_H
#define HPT_TRANSFORMS_PASSES_H

#include "dialects/hpt/HptDialect.h"
#include "dialects/pim/PimDialect.h"
#include "dialects/sa/SaDialect.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace hpt {
/// hpt-place's choice for an op its class's device cannot run.
enum class UnsupportedPlacement { error, host };
/// How hpt-partition decides: HpT's fixed mapping, a search on the cost
/// model, or HpT's mapping with ReRAM weights chosen by their measured noise.
enum class PartitionPolicy { hpt, cost, noise_aware };
/// What hpt-partition's search minimises for one step of the function.
enum class PartitionObjective { latency, energy, edp };
} // namespace hpt

namespace hpt {

#define GEN_PASS_DECL
#include "hpt/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "hpt/Transforms/Passes.h.inc"

} // namespace hpt

#endif // HPT_TRANSFORMS_PASSES_H
