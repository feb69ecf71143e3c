//===- Hardware.cpp - the hardware description in passes ------------------===//

#include "hpt/Analysis/Hardware.h"

#include "mlir/IR/Diagnostics.h"

using namespace mlir;

namespace hpt {

FailureOr<hw::Description> loadHardware(StringRef path, StringRef pass, Operation *anchor) {
  hw::Expected<hw::Description> description = hw::readDescription(path.str());
  if (!description)
    return anchor->emitError() << pass << ": " << description.error();
  return std::move(*description);
}

hw::DeviceKind hardwareKind(DeviceKind kind) {
  hw::DeviceKind result = hw::DeviceKind::Host;
  bool known = hw::fromName(stringifyDeviceKind(kind).str(), result);
  assert(known && "the dialect and the hardware library name the same devices");
  (void)known;
  return result;
}

} // namespace hpt
