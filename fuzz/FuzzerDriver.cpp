//===- FuzzerDriver.cpp - replay inputs through a fuzz target -------------===//
//
// Stands in for libFuzzer's main when the targets are built with the normal
// compiler (HPT_FUZZ_ENGINE=standalone), as LLVM's StandaloneFuzzTargetMain
// does: every file named on the command line, and every file below every
// directory named there, is passed once to LLVMFuzzerTestOneInput. CI replays
// the committed corpus this way, so the targets build and run everywhere.
// A finding shows as a crash or abort after the "replaying" line that names
// its input.
//
//===----------------------------------------------------------------------===//

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
extern "C" __attribute__((weak)) int LLVMFuzzerInitialize(int *argc, char ***argv);

namespace fs = std::filesystem;

static std::vector<fs::path> inputsOf(int argc, char **argv) {
  std::vector<fs::path> inputs;
  for (int i = 1; i < argc; ++i) {
    fs::path arg = argv[i];
    std::error_code error;
    if (fs::is_directory(arg, error)) {
      for (const fs::directory_entry &entry : fs::recursive_directory_iterator(arg))
        if (entry.is_regular_file())
          inputs.push_back(entry.path());
    } else if (fs::is_regular_file(arg, error)) {
      inputs.push_back(arg);
    } else {
      std::fprintf(stderr, "%s: no such file or directory: %s\n", argv[0], argv[i]);
      std::exit(2);
    }
  }
  std::sort(inputs.begin(), inputs.end());
  return inputs;
}

int main(int argc, char **argv) {
  if (LLVMFuzzerInitialize)
    LLVMFuzzerInitialize(&argc, &argv);
  std::vector<fs::path> inputs = inputsOf(argc, argv);
  if (inputs.empty()) {
    std::fprintf(stderr, "usage: %s FILE|DIR... (replays each input once)\n", argv[0]);
    return 2;
  }
  for (const fs::path &path : inputs) {
    std::fprintf(stderr, "replaying %s\n", path.c_str());
    std::ifstream in(path, std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t *>(bytes.data()), bytes.size());
  }
  std::printf("%s: replayed %zu inputs, no finding\n", argv[0], inputs.size());
  return 0;
}
