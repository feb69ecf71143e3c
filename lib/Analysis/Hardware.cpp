//===- Hardware.cpp - the hardware description in passes ------------------===//

#include "hpt/Analysis/Hardware.h"

#include "mlir/IR/Diagnostics.h"

using namespace mlir;

namespace hpt {

FailureOr<hw::Description> loadHardware(StringRef path, StringRef pass, Operation *anchor) {
  hw::Expected<hw::Description> description = hw::readDescription(path.str());
  if (!description)
    return mlir::emitError(anchor->getLoc()) << pass << ": " << description.error();
  return std::move(*description);
}

LogicalResult recordHardware(ModuleOp module, const hw::Description &description,
                             StringRef pass) {
  std::string text = hw::toJson(description);
  if (auto recorded = module->getAttrOfType<StringAttr>(kHardwareAttrName)) {
    if (recorded.getValue() == text)
      return success();
    return mlir::emitError(module.getLoc()) << pass << ": the module was compiled for another hardware "
                              << "description (" << kHardwareAttrName << ")";
  }
  module->setAttr(kHardwareAttrName, StringAttr::get(module.getContext(), text));
  return success();
}

hw::DeviceKind hardwareKind(DeviceKind kind) {
  hw::DeviceKind result = hw::DeviceKind::Host;
  bool known = hw::fromName(stringifyDeviceKind(kind).str(), result);
  assert(known && "the dialect and the hardware library name the same devices");
  (void)known;
  return result;
}

} // namespace hpt
