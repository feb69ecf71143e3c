//===- BundleFuzzer.cpp - bundles through the loader and the executor -----===//
//
// A bundle that loads is compiled into programs (every function, training and
// evaluation mode, ops placed on the systolic array on its functional
// simulator); small ones also run once on zeros, so that every size the
// loader accepts is one the kernels and the simulator can work with.
//
//===----------------------------------------------------------------------===//

#include "FuzzInput.h"

#include "runtime/core/Bundle.h"
#include "runtime/core/Program.h"
#include "runtime/pim/ReramDevice.h"
#include "runtime/systolic/SystolicDevice.h"

#include <sstream>

#include <algorithm>

using namespace hpt;

namespace {
/// Whether the values (arguments and results) of a function hold at most
/// 2^16 elements: the kernels' work is bounded by that (a product's by its
/// 1.5th power), so such functions run quickly enough under the fuzzer.
bool isSmall(const rt::FunctionSpec &fn) {
  constexpr int64_t kMaxElements = 1 << 16;
  int64_t total = 0;
  auto add = [&](const rt::Shape &shape) {
    total += std::min(rt::numElements(shape), kMaxElements + 1);
    return total <= kMaxElements;
  };
  for (const rt::Shape &shape : fn.args)
    if (!add(shape))
      return false;
  for (const rt::OpSpec &op : fn.ops)
    for (const rt::Shape &shape : op.shapes)
      if (!add(shape))
        return false;
  return true;
}

void execute(const rt::Bundle &bundle, const rt::FunctionSpec &fn, rt::Mode mode,
             rt::DeviceSet &devices) {
  rt::ParamStore params(bundle);
  rt::Program program(bundle, fn.name, params, mode, fuzz::fuzzLimit(), &devices);
  if (!isSmall(fn))
    return;
  std::vector<std::vector<float>> args;
  std::vector<const float *> pointers;
  for (const rt::Shape &shape : program.argShapes())
    args.emplace_back(rt::numElements(shape), 0.0f);
  for (const std::vector<float> &arg : args)
    pointers.push_back(arg.data());
  program.run(pointers, rt::TrainingState{});
}

void load(const std::string &text) {
  std::ostringstream quiet; // the ReRAM device's warnings
  fuzz::refusingOnlyWithErrors([&] {
    rt::Bundle bundle = rt::parseBundle(text, "fuzz.hptb");
    fuzz::fuzzLimit().check(rt::parameterBytes(bundle), "the parameters");
    rt::DeviceSet devices;
    if (!bundle.systolic.ops.empty())
      devices.add(std::make_unique<rt::SystolicDevice>(bundle, rt::SimMode::Functional,
                                                       fuzz::fuzzLimit()));
    if (!bundle.reram.ops.empty()) {
      rt::ReramOptions reram;
      reram.memory = fuzz::fuzzLimit();
      devices.add(std::make_unique<rt::ReramDevice>(bundle, reram, quiet));
    }
    for (const rt::FunctionSpec &fn : bundle.functions)
      for (rt::Mode mode : {rt::Mode::Train, rt::Mode::Eval})
        fuzz::refusingOnlyWithErrors([&] { execute(bundle, fn, mode, devices); });
  });
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  std::string bytes = fuzz::bytesOf(data, size);
  load(bytes);
  load(fuzz::withBundleHeader(bytes));
  load(fuzz::withSectionChecksums(bytes));
  return 0;
}
