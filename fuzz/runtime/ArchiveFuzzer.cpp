//===- ArchiveFuzzer.cpp - archives and checkpoints -----------------------===//
//
// An archive that reads is restored as a checkpoint of a fixed small model
// (HPT_FUZZ_MODEL, a bundle of the committed corpus; the seed checkpoints
// were written for it by hpt-run, so mutations start past its checksum test).
//
//===----------------------------------------------------------------------===//

#include "FuzzInput.h"

#include "runtime/core/Archive.h"
#include "runtime/core/Checkpoint.h"

#include <cstdlib>
#include <memory>

using namespace hpt;

namespace {
const rt::Bundle &model() {
  static const rt::Bundle bundle = rt::loadBundle(HPT_FUZZ_MODEL);
  return bundle;
}

void read(std::string_view bytes) {
  fuzz::refusingOnlyWithErrors([&] {
    rt::Archive archive = rt::parseArchive(bytes, "fuzz.hpta");
    rt::ParamStore params(model());
    rt::JobState job;
    rt::restoreCheckpoint(archive, "fuzz.hpta", model(), params, job);
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
