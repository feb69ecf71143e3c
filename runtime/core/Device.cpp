//===- Device.cpp - the devices hpt-run executes programs on --------------===//

#include "runtime/core/Device.h"

namespace hpt::rt {

void DeviceSet::add(std::unique_ptr<Device> device) {
  hw::DeviceKind kind = device->kind();
  devices[kind] = std::move(device);
}

Device *DeviceSet::find(hw::DeviceKind kind) const {
  auto it = devices.find(kind);
  return it == devices.end() ? nullptr : it->second.get();
}

void DeviceSet::saveState(Archive &archive) const {
  for (const auto &[kind, device] : devices)
    device->saveState(archive);
}

void DeviceSet::restoreState(const Archive &archive, const std::string &origin) {
  for (const auto &[kind, device] : devices)
    device->restoreState(archive, origin);
}

} // namespace hpt::rt
