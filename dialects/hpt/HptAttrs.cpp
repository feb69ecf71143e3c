//===- HptAttrs.cpp - hpt attributes and enums ----------------------------===//

#include "dialects/hpt/HptDialect.h"

#include "mlir/IR/Builders.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace hpt;

#include "dialects/hpt/HptEnums.cpp.inc"

// GCC 12 reports the generated parser of DeviceAttr's optional instance
// (a FailureOr<std::optional<uint32_t>>) as maybe uninitialised; it is not.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#define GET_ATTRDEF_CLASSES
#include "dialects/hpt/HptAttrs.cpp.inc"
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

void HptDialect::registerAttributes() {
  addAttributes<
#define GET_ATTRDEF_LIST
#include "dialects/hpt/HptAttrs.cpp.inc"
      >();
}

LogicalResult InitAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                               InitKind kind, int64_t fanIn) {
  if (kind == InitKind::uniform_fan_in && fanIn <= 0)
    return emitError() << "uniform_fan_in needs a positive fan_in, got "
                       << fanIn;
  if (kind != InitKind::uniform_fan_in && fanIn != 0)
    return emitError() << stringifyInitKind(kind) << " takes no fan_in";
  return success();
}

LogicalResult LoraAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                               int64_t rank, APFloat alpha, APFloat dropout) {
  if (rank <= 0)
    return emitError() << "LoRA rank must be positive, got " << rank;
  if (!(alpha.convertToDouble() > 0.0))
    return emitError() << "LoRA alpha must be positive, got "
                       << alpha.convertToDouble();
  double p = dropout.convertToDouble();
  if (!(p >= 0.0 && p < 1.0))
    return emitError() << "LoRA dropout must be in [0, 1), got " << p;
  return success();
}
