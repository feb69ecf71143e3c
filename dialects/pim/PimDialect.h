//===- PimDialect.h - the ReRAM processing-in-memory dialect ----*- C++ -*-===//

#ifndef HPT_DIALECTS_PIM_PIMDIALECT_H
#define HPT_DIALECTS_PIM_PIMDIALECT_H

#include "hardware/pim/Tiling.h"

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Dialect.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "dialects/pim/PimDialect.h.inc"

#define GET_OP_CLASSES
#include "dialects/pim/PimOps.h.inc"

namespace hpt::pim {

/// The crossbar geometry a `pim.crossbars` op records (chips and tiles per
/// chip are not its business: 0).
hw::pim::CrossbarGeometry geometryOf(CrossbarsOp crossbars);

/// The tiling of its weight under that geometry.
hw::pim::WeightTiling tilingOf(CrossbarsOp crossbars);

} // namespace hpt::pim

#endif // HPT_DIALECTS_PIM_PIMDIALECT_H
