//===- SyntheticDataset.cpp - seeded synthetic data with app shapes -------===//
//
// Input x[t][f] of sample i ~ U(-1, 1): fillUniform over stream
// (kInputTag << 32) | (split << 31) | i, element t * F + f, so the splits
// draw different inputs. The generating model (T tokens, F features) has
// parameters drawn once from the seed on stream kParamTag << 32:
//   a_f = 1.5 * sqrt(3 / F) * U(-1, 1)   elements [0, F)
//   c_f =       sqrt(3 / F) * U(-1, 1)   elements [F, 2F)
//   b_t =       0.5 * U(-1, 1)           elements [2F, 2F + T)
// and the target of token t is
//   y_t = tanh(sum_f a_f x[t][f] + b_t) + 0.5 / sqrt(T) * sum_t' sum_f c_f x[t'][f]
// The scalings keep both terms of order one for any T and F (the tanh
// argument has variance ~0.75, the mixing term ~1/12). See docs/data.md.
//
//===----------------------------------------------------------------------===//

#include "runtime/data/Dataset.h"
#include "runtime/host/Rng.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace hpt::rt {

struct SyntheticDataset::Impl {
  int64_t tokens = 0;
  int64_t features = 0;
  bool featuresFirst = false;
  bool unitAxis = false;
  Split split = Split::Train;
  int64_t samples = 0;
  uint64_t seed = 0;
  std::vector<double> a; ///< per feature, token nonlinearity weights
  std::vector<double> b; ///< per token, bias
  std::vector<double> c; ///< per feature, mixing weights
};

namespace {

constexpr uint64_t kParamTag = 0x53594E50; // "SYNP"
constexpr uint64_t kInputTag = 0x53594E49; // "SYNI"
constexpr int64_t kMaxSamples = int64_t(1) << 31;
constexpr int64_t kMaxElements = int64_t(1) << 30;

struct AppShape {
  int64_t tokens;
  int64_t features;
  bool featuresFirst;
  bool unitAxis;
};

AppShape appShape(const std::string &app) {
  if (app == "swe")
    return {323, 19, false, true};
  if (app == "covid")
    return {50, 19, false, false};
  if (app == "weather")
    return {29, 13, false, true};
  if (app == "tiny")
    return {8, 4, false, true};
  throw DataError("synthetic data: unknown app '" + app +
                  "' (expected swe, covid, weather or tiny)");
}

void checkPositive(const char *what, int64_t value) {
  if (value <= 0)
    throw DataError(std::string("synthetic data: ") + what +
                    " must be > 0, got " + std::to_string(value));
}

uint64_t inputStream(Split split, int64_t index) {
  return (kInputTag << 32) | (uint64_t(split == Split::Test) << 31) |
         static_cast<uint64_t>(index);
}

} // namespace

SyntheticDataset::SyntheticDataset(const std::string &app, Split split,
                                   int64_t samples, uint64_t seed)
    : SyntheticDataset(appShape(app).tokens, appShape(app).features,
                       appShape(app).featuresFirst, appShape(app).unitAxis,
                       split, samples, seed) {}

SyntheticDataset::SyntheticDataset(int64_t tokens, int64_t features,
                                   bool featuresFirst, bool unitAxis,
                                   Split split, int64_t samples,
                                   uint64_t seed) {
  checkPositive("tokens", tokens);
  checkPositive("features", features);
  checkPositive("samples", samples);
  if (samples > kMaxSamples)
    throw DataError("synthetic data: samples must be <= " +
                    std::to_string(kMaxSamples) + ", got " +
                    std::to_string(samples));
  if (tokens > kMaxElements / features)
    throw DataError("synthetic data: tokens x features = " +
                    std::to_string(tokens) + " x " + std::to_string(features) +
                    " is too large (limit " + std::to_string(kMaxElements) +
                    " elements per sample)");

  auto data = std::make_shared<Impl>();
  data->tokens = tokens;
  data->features = features;
  data->featuresFirst = featuresFirst;
  data->unitAxis = unitAxis;
  data->split = split;
  data->samples = samples;
  data->seed = seed;

  const uint64_t paramStream = kParamTag << 32;
  const uint64_t F = static_cast<uint64_t>(features);
  const double scale = std::sqrt(3.0 / static_cast<double>(features));
  auto symmetric = [&](uint64_t index) {
    return 2.0 * uniform01(seed, paramStream, index) - 1.0;
  };
  data->a.resize(F);
  data->c.resize(F);
  data->b.resize(static_cast<size_t>(tokens));
  for (uint64_t f = 0; f < F; ++f) {
    data->a[f] = 1.5 * scale * symmetric(f);
    data->c[f] = scale * symmetric(F + f);
  }
  for (uint64_t t = 0; t < static_cast<uint64_t>(tokens); ++t)
    data->b[t] = 0.5 * symmetric(2 * F + t);

  impl = std::move(data);
}

int64_t SyntheticDataset::size() const { return impl->samples; }

std::vector<int64_t> SyntheticDataset::inputShape() const {
  if (impl->featuresFirst)
    return {1, impl->features, impl->tokens};
  return {1, impl->tokens, impl->features};
}

std::vector<int64_t> SyntheticDataset::targetShape() const {
  if (impl->unitAxis)
    return {1, impl->tokens, 1};
  return {1, impl->tokens};
}

void SyntheticDataset::sample(int64_t index, float *input,
                              float *target) const {
  if (index < 0 || index >= impl->samples)
    throw std::out_of_range("SyntheticDataset::sample: index " +
                            std::to_string(index) + " not in [0, " +
                            std::to_string(impl->samples) + ")");
  const int64_t T = impl->tokens, F = impl->features;
  // x in token-major order; the input buffer receives it in its own layout.
  std::vector<float> x(static_cast<size_t>(T * F));
  fillUniform(x.data(), T * F, -1.0f, 1.0f, impl->seed,
              inputStream(impl->split, index));
  if (impl->featuresFirst) {
    for (int64_t t = 0; t < T; ++t)
      for (int64_t f = 0; f < F; ++f)
        input[f * T + t] = x[t * F + f];
  } else {
    std::copy(x.begin(), x.end(), input);
  }

  double mixing = 0.0;
  for (int64_t t = 0; t < T; ++t)
    for (int64_t f = 0; f < F; ++f)
      mixing += impl->c[f] * x[t * F + f];
  mixing *= 0.5 / std::sqrt(static_cast<double>(T));
  for (int64_t t = 0; t < T; ++t) {
    double z = impl->b[t];
    for (int64_t f = 0; f < F; ++f)
      z += impl->a[f] * x[t * F + f];
    target[t] = static_cast<float>(std::tanh(z) + mixing);
  }
}

} // namespace hpt::rt
