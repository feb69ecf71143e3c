//===- Checkpoint.cpp - saving and resuming a training job ----------------===//

#include "runtime/core/Checkpoint.h"

#include "runtime/core/Archive.h"
#include "runtime/core/Checksum.h"
#include "runtime/core/Error.h"
#include "runtime/core/Json.h"

namespace hpt::rt {

void saveCheckpoint(const std::string &path, const Bundle &bundle,
                    const ParamStore &params, const JobState &job) {
  Archive archive;
  nlohmann::json updates = nlohmann::json::object();
  for (const ParamEntry &param : params.entries()) {
    archive.add("param:" + param.spec.name, param.spec.shape, param.value.data());
    if (!param.moment1.empty())
      archive.add("moment1:" + param.spec.name, param.spec.shape, param.moment1.data());
    if (!param.moment2.empty())
      archive.add("moment2:" + param.spec.name, param.spec.shape, param.moment2.data());
    updates[param.spec.name] = param.updates;
  }
  archive.meta = {{"kind", "checkpoint"},
                  {"bundle_checksum", checksumHex(bundle.checksum)},
                  {"step", job.counters.step},
                  {"epoch", job.counters.epoch},
                  {"position", job.position},
                  {"shuffle_seed", job.shuffleSeed},
                  {"updates", updates}};
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

void restoreCheckpoint(const Archive &archive, const std::string &origin, const Bundle &bundle,
                       ParamStore &params, JobState &job) {
  const nlohmann::json &meta = archive.meta;
  if (metaText(meta, "kind") != "checkpoint")
    throw Error(origin + ": is not a checkpoint");
  if (metaText(meta, "bundle_checksum") != checksumHex(bundle.checksum))
    throw Error(origin + ": was written for another model (bundle checksum " +
                metaText(meta, "bundle_checksum") + ", " + bundle.path + " has " +
                checksumHex(bundle.checksum) + ")");
  // Check everything before changing anything.
  struct Restored {
    const ArchiveTensor *value, *moment1, *moment2;
    int64_t updates;
  };
  std::vector<Restored> restored;
  JobState state;
  try {
    for (const ParamEntry &param : params.entries()) {
      const std::string &name = param.spec.name;
      const Shape &shape = param.spec.shape;
      Restored r{tensorShaped(archive, origin, "param:" + name, shape),
                 tensorShaped(archive, origin, "moment1:" + name, shape),
                 tensorShaped(archive, origin, "moment2:" + name, shape),
                 counter(meta.at("updates").at(name), origin, "update count of " + name)};
      if (!r.value)
        throw Error(origin + ": has no value for parameter '" + name + "'");
      restored.push_back(r);
    }
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
  for (size_t i = 0; i < params.entries().size(); ++i) {
    ParamEntry &param = params.entries()[i];
    const Restored &r = restored[i];
    param.value = r.value->data;
    param.moment1 = r.moment1 ? r.moment1->data : std::vector<float>{};
    param.moment2 = r.moment2 ? r.moment2->data : std::vector<float>{};
    param.updates = r.updates;
  }
  job = state;
}

void loadCheckpoint(const std::string &path, const Bundle &bundle, ParamStore &params,
                    JobState &job) {
  restoreCheckpoint(readArchive(path), path, bundle, params, job);
}

} // namespace hpt::rt
