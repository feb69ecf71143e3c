//===- ArchiveFuzzer.cpp - archives and checkpoints -----------------------===//
//
// An archive that reads is restored as a checkpoint of a fixed small model
// (HPT_FUZZ_MODEL, a bundle of the committed corpus with a full and a LoRA
// program; the seed checkpoints were written for it by hpt-run under each
// schedule and phase, so mutations start past its checksum test), under the
// schedule the archive names.
//
//===----------------------------------------------------------------------===//

#include "FuzzInput.h"

#include "runtime/core/Archive.h"
#include "runtime/core/Checkpoint.h"
#include "runtime/core/Schedule.h"

#include <cstdlib>
#include <memory>
#include <sstream>

using namespace hpt;

namespace {
const rt::Bundle &model() {
  static const rt::Bundle bundle = rt::loadBundle(HPT_FUZZ_MODEL);
  return bundle;
}

void read(std::string_view bytes) {
  fuzz::refusingOnlyWithErrors([&] {
    rt::Archive archive = rt::parseArchive(bytes, "fuzz.hpta");
    rt::ScheduleOptions options;
    std::string kind = archive.meta.value("/schedule/kind"_json_pointer, std::string());
    if (kind == "lora")
      options.kind = rt::ScheduleKind::Lora;
    if (kind == "hpt")
      options.kind = rt::ScheduleKind::Hpt;
    options.rule.window = 4;
    std::ostringstream log;
    rt::Schedule schedule(model(), options, {}, log);
    rt::JobState job;
    rt::restoreCheckpoint(archive, "fuzz.hpta", model(), schedule, job);
  });
}
} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***) {
  model(); // fail at start, not on the first input, if the model is missing
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  std::string bytes = fuzz::bytesOf(data, size);
  read(bytes);
  read(fuzz::withArchiveHeader(bytes));
  return 0;
}
