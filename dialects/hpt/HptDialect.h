//===- HptDialect.h - hpt dialect, attributes and enums ---------*- C++ -*-===//

#ifndef HPT_DIALECTS_HPT_HPTDIALECT_H
#define HPT_DIALECTS_HPT_HPTDIALECT_H

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Dialect.h"
#include "mlir/IR/DialectImplementation.h"

#include "llvm/ADT/APFloat.h"

namespace mlir {
/// Parses a float literal into the f64 APFloat that LoraAttr stores (MLIR 22
/// has no field parser for APFloatParameter).
template <>
struct FieldParser<llvm::APFloat> {
  static FailureOr<llvm::APFloat> parse(AsmParser &parser) {
    double value;
    if (parser.parseFloat(value))
      return failure();
    return llvm::APFloat(value);
  }
};
} // namespace mlir

#include "dialects/hpt/HptDialect.h.inc"
#include "dialects/hpt/HptEnums.h.inc"

#define GET_ATTRDEF_CLASSES
#include "dialects/hpt/HptAttrs.h.inc"

#endif // HPT_DIALECTS_HPT_HPTDIALECT_H
