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

std::vector<std::pair<hw::DeviceKind, OpCost>>
DeviceSet::load(const FunctionSpec &fn, const ParamValues &paramValue) {
  std::vector<std::pair<hw::DeviceKind, OpCost>> costs;
  for (const auto &[kind, device] : devices) {
    OpCost cost = device->load(fn, paramValue);
    if (!cost.energy.empty() || cost.seconds > 0)
      costs.emplace_back(kind, std::move(cost));
  }
  return costs;
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
