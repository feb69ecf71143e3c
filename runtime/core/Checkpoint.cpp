//===- Checkpoint.cpp - saving and resuming a training job ----------------===//

#include "runtime/core/Checkpoint.h"

#include "runtime/core/Archive.h"
#include "runtime/core/Error.h"

#include <cstdio>

namespace hpt::rt {

namespace {
std::string hex(uint64_t value) {
  char text[17];
  std::snprintf(text, sizeof(text), "%016llx", static_cast<unsigned long long>(value));
  return text;
}
} // namespace

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
                  {"bundle_checksum", hex(bundle.checksum)},
                  {"step", job.counters.step},
                  {"epoch", job.counters.epoch},
                  {"position", job.position},
                  {"shuffle_seed", job.shuffleSeed},
                  {"updates", updates}};
  writeArchive(archive, path);
}

void loadCheckpoint(const std::string &path, const Bundle &bundle, ParamStore &params,
                    JobState &job) {
  Archive archive = readArchive(path);
  const nlohmann::json &meta = archive.meta;
  if (meta.value("kind", "") != "checkpoint")
    throw Error(path + ": is not a checkpoint");
  if (meta.value("bundle_checksum", "") != hex(bundle.checksum))
    throw Error(path + ": was written for another model (bundle checksum " +
                meta.value("bundle_checksum", "?") + ", " + bundle.path + " has " +
                hex(bundle.checksum) + ")");
  // Check everything before changing anything.
  for (const ParamEntry &param : params.entries()) {
    const ArchiveTensor *value = archive.find("param:" + param.spec.name);
    if (!value)
      throw Error(path + ": has no value for parameter '" + param.spec.name + "'");
    if (value->shape != param.spec.shape)
      throw Error(path + ": parameter '" + param.spec.name + "' has shape " +
                  shapeText(value->shape) + ", the model expects " +
                  shapeText(param.spec.shape));
  }
  JobState restored;
  std::vector<int64_t> updates;
  try {
    for (const ParamEntry &param : params.entries())
      updates.push_back(meta.at("updates").at(param.spec.name).get<int64_t>());
    restored.counters.step = meta.at("step").get<int64_t>();
    restored.counters.epoch = meta.at("epoch").get<int64_t>();
    restored.position = meta.at("position").get<int64_t>();
    restored.shuffleSeed = meta.at("shuffle_seed").get<uint64_t>();
  } catch (const nlohmann::json::exception &e) {
    throw Error(path + ": malformed checkpoint state: " + e.what());
  }
  for (size_t i = 0; i < params.entries().size(); ++i) {
    ParamEntry &param = params.entries()[i];
    param.value = archive.find("param:" + param.spec.name)->data;
    const ArchiveTensor *m1 = archive.find("moment1:" + param.spec.name);
    const ArchiveTensor *m2 = archive.find("moment2:" + param.spec.name);
    param.moment1 = m1 ? m1->data : std::vector<float>{};
    param.moment2 = m2 ? m2->data : std::vector<float>{};
    param.updates = updates[i];
  }
  job = restored;
}

} // namespace hpt::rt
