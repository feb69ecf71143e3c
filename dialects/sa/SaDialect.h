//===- SaDialect.h - the systolic-array instruction dialect -----*- C++ -*-===//

#ifndef HPT_DIALECTS_SA_SADIALECT_H
#define HPT_DIALECTS_SA_SADIALECT_H

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Dialect.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/RegionKindInterface.h"
#include "mlir/IR/SymbolTable.h"

#include "dialects/sa/SaDialect.h.inc"
#include "dialects/sa/SaEnums.h.inc"

#define GET_ATTRDEF_CLASSES
#include "dialects/sa/SaAttrs.h.inc"

#define GET_OP_CLASSES
#include "dialects/sa/SaOps.h.inc"

#endif // HPT_DIALECTS_SA_SADIALECT_H
