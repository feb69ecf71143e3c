//===- Checkpoint.cpp - saving and resuming a training job ----------------===//

#include "runtime/core/Checkpoint.h"

#include "runtime/core/Archive.h"
#include "hardware/Checksum.h"
#include "runtime/core/Error.h"
#include "runtime/core/Json.h"
#include "runtime/core/Schedule.h"

namespace hpt::rt {

using hw::checksumHex;

void addParams(Archive &archive, const ParamStore &params, const std::string &prefix) {
  nlohmann::json &updates = archive.meta["updates"];
  if (!updates.is_object())
    updates = nlohmann::json::object();
  for (const ParamEntry &param : params.entries()) {
    const std::string &name = param.spec.name;
    archive.add(prefix + "param:" + name, param.spec.shape, param.value().data());
    if (!param.moment1().empty())
      archive.add(prefix + "moment1:" + name, param.spec.shape, param.moment1().data());
    if (!param.moment2().empty())
      archive.add(prefix + "moment2:" + name, param.spec.shape, param.moment2().data());
    updates[prefix + name] = param.updates;
  }
}

void saveCheckpoint(const std::string &path, const Bundle &bundle, const Schedule &schedule,
                    const JobState &job) {
  Archive archive;
  archive.meta = {{"kind", "checkpoint"},
                  {"bundle_checksum", checksumHex(bundle.checksum)},
                  {"step", job.counters.step},
                  {"epoch", job.counters.epoch},
                  {"position", job.position},
                  {"shuffle_seed", job.shuffleSeed}};
  schedule.save(archive);
  writeArchive(archive, path);
}

namespace {
/// A string field of the checkpoint's meta, or "" when absent or not a string.
std::string metaText(const nlohmann::json &meta, const char *key) {
  auto it = meta.find(key);
  return it != meta.end() && it->is_string() ? it->get<std::string>() : "";
}

/// A counter of the checkpoint's state: a non-negative integer.
int64_t counter(const nlohmann::json &value, const std::string &origin, const std::string &what) {
  std::optional<int64_t> count = jsonInt64(value);
  if (!count || *count < 0)
    throw Error(origin + ": the " + what + " is not a non-negative integer");
  return *count;
}

/// The archive's tensor `name`, or null; present but shaped unlike `shape`
/// is an error.
const ArchiveTensor *tensorShaped(const Archive &archive, const std::string &origin,
                                  const std::string &name, const Shape &shape) {
  const ArchiveTensor *tensor = archive.find(name);
  if (tensor && tensor->shape != shape)
    throw Error(origin + ": tensor '" + name + "' has shape " + shapeText(tensor->shape) +
                ", the model expects " + shapeText(shape));
  return tensor;
}
} // namespace

StoredParams::StoredParams(const Archive &archive, const std::string &origin,
                           const ParamStore &params, const std::string &prefix, bool withState)
    : withState(withState) {
  try {
    for (const ParamEntry &param : params.entries()) {
      const std::string &name = param.spec.name;
      const Shape &shape = param.spec.shape;
      Entry e{tensorShaped(archive, origin, prefix + "param:" + name, shape), nullptr,
              nullptr, 0};
      if (!e.value)
        throw Error(origin + ": has no value for parameter '" + prefix + name + "'");
      if (withState) {
        e.moment1 = tensorShaped(archive, origin, prefix + "moment1:" + name, shape);
        e.moment2 = tensorShaped(archive, origin, prefix + "moment2:" + name, shape);
        e.updates = counter(archive.meta.at("updates").at(prefix + name), origin,
                            "update count of " + prefix + name);
      }
      entries.push_back(e);
    }
  } catch (const nlohmann::json::exception &e) {
    throw Error(origin + ": malformed checkpoint state: " + e.what());
  }
}

void StoredParams::applyTo(ParamStore &params) const {
  for (size_t i = 0; i < entries.size(); ++i) {
    ParamEntry &param = params.entries()[i];
    const Entry &e = entries[i];
    param.mutableValue() = e.value->data;
    if (!withState)
      continue;
    param.moment1() = e.moment1 ? e.moment1->data : std::vector<float>{};
    param.moment2() = e.moment2 ? e.moment2->data : std::vector<float>{};
    param.updates = e.updates;
  }
}

void restoreCheckpoint(const Archive &archive, const std::string &origin, const Bundle &bundle,
                       Schedule &schedule, JobState &job) {
  const nlohmann::json &meta = archive.meta;
  if (metaText(meta, "kind") != "checkpoint")
    throw Error(origin + ": is not a checkpoint");
  if (metaText(meta, "bundle_checksum") != checksumHex(bundle.checksum))
    throw Error(origin + ": was written for another model (bundle checksum " +
                metaText(meta, "bundle_checksum") + ", " + bundle.path + " has " +
                checksumHex(bundle.checksum) + ")");
  // Check everything before changing anything: the job here, the schedule's
  // part in its restore().
  JobState state;
  try {
    state.counters.step = counter(meta.at("step"), origin, "step");
    state.counters.epoch = counter(meta.at("epoch"), origin, "epoch");
    state.position = counter(meta.at("position"), origin, "position");
    std::optional<uint64_t> seed = jsonUint64(meta.at("shuffle_seed"));
    if (!seed)
      throw Error(origin + ": the shuffle seed is not a 64-bit unsigned integer");
    state.shuffleSeed = *seed;
  } catch (const nlohmann::json::exception &e) {
    throw Error(origin + ": malformed checkpoint state: " + e.what());
  }
  schedule.restore(archive, origin);
  job = state;
}

void loadCheckpoint(const std::string &path, const Bundle &bundle, Schedule &schedule,
                    JobState &job) {
  restoreCheckpoint(readArchive(path), path, bundle, schedule, job);
}

} // namespace hpt::rt
