//===- Sensitivity.cpp - how much each ReRAM weight's noise costs ---------===//

#include "runtime/pim/Sensitivity.h"

#include "hardware/Checksum.h"
#include "runtime/core/Error.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <fstream>
#include <set>

namespace hpt::rt {
namespace {

/// The ReRAM weights `function` reads, in the bundle's order.
std::vector<size_t> weightsReadBy(const Bundle &bundle, const std::string &function) {
  std::set<size_t> read;
  for (const auto &[where, op] : bundle.reram.ops)
    if (where.first == function)
      read.insert(op.weight);
  return {read.begin(), read.end()};
}

/// `bundle` with `function`'s products of the weights `onReram` marks on
/// the ReRAM device and every other op of it on the host.
Bundle placedOnly(const Bundle &bundle, const std::string &function,
                  const std::vector<bool> &onReram) {
  Bundle variant = bundle;
  for (FunctionSpec &fn : variant.functions) {
    if (fn.name != function)
      continue;
    for (size_t i = 0; i < fn.ops.size(); ++i) {
      const ReramOp *read = bundle.reram.find(function, i);
      if (!read || !onReram[read->weight])
        fn.ops[i].device = hw::Placement{hw::DeviceKind::Host, std::nullopt};
    }
  }
  return variant;
}

class HeldOut {
public:
  HeldOut(const Dataset &data, std::vector<int64_t> samples)
      : data(data), samples(std::move(samples)), input(numElements(data.inputShape())),
        target(numElements(data.targetShape())) {}

  /// The mean loss of `function` of `variant` over the samples.
  double meanLoss(const Bundle &variant, const std::string &function, ParamStore &params,
                  const MemoryLimit &limit, DeviceSet *devices, const std::string &what) {
    Program program(variant, function, params, Mode::Eval, limit, devices);
    if (program.argShapes().size() != 2 || program.argShapes()[0] != data.inputShape() ||
        program.argShapes()[1] != data.targetShape())
      throw Error(variant.path + ": function '" + function +
                  "' does not take the held-out data's (input, target)");
    TrainingState state;
    double sum = 0;
    for (int64_t index : samples) {
      data.sample(index, input.data(), target.data());
      program.run({input.data(), target.data()}, state);
      const double loss = *program.result(0);
      if (!std::isfinite(loss))
        throw Error("--sensitivity: the loss of held-out sample " + std::to_string(index) +
                    " is not finite with " + what);
      sum += loss;
    }
    return sum / double(samples.size());
  }

private:
  const Dataset &data;
  std::vector<int64_t> samples;
  std::vector<float> input, target;
};

} // namespace

Sensitivity measureSensitivity(const Bundle &bundle, const std::string &function,
                               ParamStore &params, const Dataset &heldOut,
                               const SensitivityOptions &options, std::ostream &log) {
  const std::vector<size_t> weights = weightsReadBy(bundle, function);
  if (weights.empty())
    throw Error("--sensitivity: " + bundle.path + ": function '" + function +
                "' reads no weight on reram (compile the candidates with "
                "--hpt-place=\"gemm=reram unsupported=host hw=FILE\" --hpt-crossbar-tile)");
  if (options.samples <= 0 || options.samples > heldOut.size())
    throw Error("--sensitivity-samples " + std::to_string(options.samples) +
                ": the held-out data has " + std::to_string(heldOut.size()) + " samples");
  if (options.seeds <= 0)
    throw Error("--sensitivity-seeds must be positive");

  Sensitivity result;
  result.function = function;
  result.samples = evenlySpaced(heldOut.size(), options.samples);
  for (int64_t s = 0; s < options.seeds; ++s)
    result.seeds.push_back(options.reram.noise.seed + uint64_t(s));
  HeldOut data(heldOut, result.samples);

  const size_t count = bundle.reram.weights.size();
  result.baselineLoss = data.meanLoss(placedOnly(bundle, function, std::vector<bool>(count)),
                                      function, params, options.reram.memory, nullptr,
                                      "every op on the host");
  auto onReram = [&](const std::vector<bool> &chosen, const std::string &what) {
    const Bundle variant = placedOnly(bundle, function, chosen);
    WeightSensitivity s;
    for (uint64_t seed : result.seeds) {
      ReramOptions reram = options.reram;
      reram.noise.seed = seed;
      DeviceSet devices;
      devices.add(std::make_unique<ReramDevice>(variant, reram, log));
      const double loss =
          data.meanLoss(variant, function, params, options.reram.memory, &devices, what);
      s.loss += loss;
      s.sensitivity += std::abs(loss - result.baselineLoss);
    }
    s.loss /= double(result.seeds.size());
    s.sensitivity /= double(result.seeds.size());
    s.increase = s.loss - result.baselineLoss;
    return s;
  };
  for (size_t w : weights) {
    std::vector<bool> chosen(count);
    chosen[w] = true;
    const ReramWeight &weight = bundle.reram.weights[w];
    WeightSensitivity s = onReram(chosen, "'" + weight.param + "' on reram");
    s.param = weight.param;
    s.shape = params.at(weight.param).spec.shape;
    result.weights.push_back(std::move(s));
  }
  std::vector<bool> all(count);
  for (size_t w : weights)
    all[w] = true;
  result.all = onReram(all, "every weight on reram");
  return result;
}

void writeSensitivity(const Sensitivity &result, const Bundle &bundle, const std::string &noise,
                      const std::string &path) {
  nlohmann::json weights = nlohmann::json::array();
  for (const WeightSensitivity &w : result.weights)
    weights.push_back({{"param", w.param},
                       {"shape", w.shape},
                       {"loss", w.loss},
                       {"increase", w.increase},
                       {"sensitivity", w.sensitivity}});
  const nlohmann::json json = {
      {"kind", "hpt-sensitivity"},
      {"bundle", bundle.path},
      {"checksum", hw::checksumHex(bundle.checksum)},
      {"hardware", bundle.hardware ? bundle.hardware->name : ""},
      {"function", result.function},
      {"noise", noise},
      {"seeds", result.seeds},
      {"samples", result.samples},
      {"baseline_loss", result.baselineLoss},
      {"weights", weights},
      {"all",
       {{"loss", result.all.loss},
        {"increase", result.all.increase},
        {"sensitivity", result.all.sensitivity}}}};
  std::ofstream out(path);
  out << json.dump(2) << "\n";
  if (!out)
    throw Error("--sensitivity: cannot write '" + path + "'");
}

} // namespace hpt::rt
