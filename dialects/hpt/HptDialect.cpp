//===- HptDialect.cpp - hpt dialect registration --------------------------===//

#include "dialects/hpt/HptDialect.h"
#include "dialects/hpt/HptOps.h"

using namespace mlir;
using namespace hpt;

#include "dialects/hpt/HptDialect.cpp.inc"

void HptDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "dialects/hpt/HptOps.cpp.inc"
      >();
  registerAttributes();
}

namespace {
bool isSymbolList(Attribute attr, size_t size = 0) {
  auto array = dyn_cast<ArrayAttr>(attr);
  return array && (size == 0 || array.size() == size) &&
         llvm::all_of(array, [](Attribute e) { return isa<FlatSymbolRefAttr>(e); });
}
} // namespace

LogicalResult HptDialect::verifyOperationAttribute(Operation *op, NamedAttribute attr) {
  StringRef name = attr.getName().getValue();
  Attribute value = attr.getValue();
  if (name == kTrainableAttrName && !isSymbolList(value))
    return op->emitError() << "'" << name << "' must be an array of parameter symbols";
  if (name == kLoraAttrName && !isa<LoraAttr>(value))
    return op->emitError() << "'" << name << "' must be an #hpt.lora attribute";
  if ((name == kLoraBaseAttrName || name == kTrainStepOfAttrName) &&
      !isa<FlatSymbolRefAttr>(value))
    return op->emitError() << "'" << name << "' must name a function (@symbol)";
  if (name == kAdaptersAttrName) {
    auto adapters = dyn_cast<ArrayAttr>(value);
    if (!adapters || !llvm::all_of(adapters, [](Attribute e) { return isSymbolList(e, 3); }))
      return op->emitError() << "'" << name
                             << "' must be an array of [@weight, @a, @b] symbol triples";
  }
  if (name == kGpuKernelAttrName && !isa<SymbolRefAttr>(value))
    return op->emitError() << "'" << name << "' must name a kernel (@hpt_gpu::@name)";
  if (name == kGpuLibraryAttrName &&
      (!isa<StringAttr>(value) || cast<StringAttr>(value).getValue() != kCublasLibrary))
    return op->emitError() << "'" << name << "' must be \"" << kCublasLibrary << "\"";
  if (name == kGpuArgsAttrName &&
      (!isa<ArrayAttr>(value) ||
       !llvm::all_of(cast<ArrayAttr>(value), [](Attribute e) { return isa<StringAttr>(e); })))
    return op->emitError() << "'" << name << "' must be an array of strings";
  return success();
}

bool hpt::isTrainedBy(Operation *function, ParamOp param) {
  auto trainable = function->getAttrOfType<ArrayAttr>(kTrainableAttrName);
  if (!trainable)
    return param.getTrainable();
  return llvm::any_of(trainable, [&](Attribute e) {
    auto symbol = dyn_cast<FlatSymbolRefAttr>(e);
    return symbol && symbol.getValue() == param.getSymName();
  });
}
