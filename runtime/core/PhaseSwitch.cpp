//===- PhaseSwitch.cpp - HpT's full-parameter -> LoRA switch rule ---------===//

#include "runtime/core/PhaseSwitch.h"

#include "runtime/core/Error.h"
#include "runtime/core/Json.h"
#include "runtime/core/TTest.h"

#include <cmath>
#include <cstdio>

using nlohmann::json;

namespace hpt::rt {

namespace {
constexpr const char *kPhaseNames[] = {"full", "overlap", "lora"};
constexpr const char *kDecisionNames[] = {"continue", "baseline", "overlap", "re-clone",
                                          "switch"};

/// Keeps the last three values: the tests look no further back.
void pushLastThree(std::vector<double> &series, double value) {
  series.push_back(value);
  if (series.size() > 3)
    series.erase(series.begin());
}

double frobeniusDistance(const std::vector<float> &a, const std::vector<float> &b) {
  double sum = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    double d = double(a[i]) - double(b[i]);
    sum += d * d;
  }
  return std::sqrt(sum);
}

std::vector<double> doubles(const json &value, const std::string &what,
                            const std::string &origin) {
  if (!value.is_array())
    throw Error(origin + ": the switch state's " + what + " is not an array of numbers");
  std::vector<double> out;
  for (const json &x : value) {
    if (!x.is_number())
      throw Error(origin + ": the switch state's " + what + " is not an array of numbers");
    out.push_back(x.get<double>());
  }
  return out;
}
} // namespace

const char *phaseName(Phase phase) { return kPhaseNames[static_cast<int>(phase)]; }

std::optional<Phase> phaseNamed(const std::string &name) {
  for (int i = 0; i < 3; ++i)
    if (name == kPhaseNames[i])
      return static_cast<Phase>(i);
  return std::nullopt;
}

const char *decisionName(Decision decision) {
  return kDecisionNames[static_cast<int>(decision)];
}

json SwitchEvent::json() const {
  nlohmann::json out = {{"iteration", iteration}, {"epoch", epoch},     {"check", check},
                        {"L", loss},             {"loss_test", lossTest},
                        {"weight_test", weightTest},
                        {"decision", decisionName(decision)}};
  auto optional = [&](const char *key, const std::optional<double> &value) {
    out[key] = value && std::isfinite(*value) ? nlohmann::json(*value) : nlohmann::json();
  };
  optional("d", distance);
  optional("t", t);
  optional("p", p);
  optional("L_lora", loraLoss);
  if (check == "overlap") {
    out["full_losses"] = fullLosses;
    out["lora_losses"] = loraLosses;
  }
  return out;
}

std::string SwitchEvent::text() const {
  auto number = [](const std::optional<double> &value, const char *format) {
    if (!value)
      return std::string("-");
    char text[32];
    std::snprintf(text, sizeof(text), format, *value);
    return std::string(text);
  };
  char line[256];
  std::snprintf(line, sizeof(line),
                "switch check at iteration %lld (epoch %lld, %s): L %.6g, d %s, t %s, p %s -> %s",
                static_cast<long long>(iteration), static_cast<long long>(epoch), check.c_str(),
                loss, number(distance, "%.6g").c_str(), number(t, "%.4f").c_str(),
                number(p, "%.4g").c_str(), decisionName(decision));
  return line;
}

bool settled(const std::vector<double> &x, double threshold) {
  if (x.size() < 3)
    return false;
  double older = x[0] - x[1], newer = x[1] - x[2];
  return older / x[0] < threshold && newer / x[1] < threshold && newer < older;
}

std::optional<SwitchEvent>
PhaseSwitch::afterIteration(int64_t iteration, int64_t epoch, double loss,
                            std::optional<double> loraLoss,
                            const std::function<std::vector<float>()> &monitored) {
  if (current == Phase::Lora)
    return std::nullopt;
  lossSum += loss;
  if (current == Phase::Overlap) {
    fullSeries.push_back(loss);
    loraSeries.push_back(loraLoss.value_or(NAN));
  }
  if (++inWindow < config.window)
    return std::nullopt;
  SwitchEvent event = current == Phase::Overlap ? checkOverlap(iteration, epoch)
                                                : checkWindow(iteration, epoch, monitored);
  clearWindow();
  return event;
}

SwitchEvent PhaseSwitch::checkWindow(int64_t iteration, int64_t epoch,
                                     const std::function<std::vector<float>()> &monitored) {
  SwitchEvent event;
  event.iteration = iteration;
  event.epoch = epoch;
  event.check = "window";
  event.loss = lossSum / static_cast<double>(inWindow);
  pushLastThree(windowLosses, event.loss);
  std::vector<float> weights = monitored();
  bool hadBaseline = !lastWeights.empty();
  if (hadBaseline) {
    event.distance = frobeniusDistance(weights, lastWeights);
    pushLastThree(distances, *event.distance);
  }
  lastWeights = std::move(weights);
  event.lossTest = settled(windowLosses, config.lossThreshold);
  event.weightTest = hadBaseline && settled(distances, config.weightThreshold);
  if (!hadBaseline)
    event.decision = Decision::Baseline;
  else if (event.lossTest && event.weightTest)
    event.decision = Decision::Overlap;
  if (event.decision == Decision::Overlap)
    current = Phase::Overlap;
  return event;
}

SwitchEvent PhaseSwitch::checkOverlap(int64_t iteration, int64_t epoch) {
  SwitchEvent event;
  event.iteration = iteration;
  event.epoch = epoch;
  event.check = "overlap";
  event.loss = lossSum / static_cast<double>(inWindow);
  double loraSum = 0;
  for (double x : loraSeries)
    loraSum += x;
  event.loraLoss = loraSum / static_cast<double>(loraSeries.size());
  TTest test = twoSampleTTest(fullSeries, loraSeries);
  event.fullLosses = fullSeries;
  event.loraLosses = loraSeries;
  event.t = test.t;
  event.p = test.p;
  // NaN (both series constant) is no evidence of equal losses.
  bool same = test.p > config.alpha;
  event.decision = same ? Decision::Switch : Decision::Reclone;
  if (same)
    current = Phase::Lora;
  return event;
}

SwitchEvent PhaseSwitch::force(int64_t iteration, int64_t epoch, double loss) {
  SwitchEvent event;
  event.iteration = iteration;
  event.epoch = epoch;
  event.check = "forced";
  event.loss = loss;
  event.decision = Decision::Switch;
  current = Phase::Lora;
  clearWindow();
  return event;
}

void PhaseSwitch::clearWindow() {
  inWindow = 0;
  lossSum = 0;
  fullSeries.clear();
  loraSeries.clear();
}

bool PhaseSwitch::startEpoch() {
  bool cutShort = current == Phase::Overlap && inWindow > 0;
  clearWindow();
  if (config.rebaselineEachEpoch)
    lastWeights.clear();
  return cutShort;
}

json PhaseSwitch::state() const {
  return {{"phase", phaseName(current)},
          {"in_window", inWindow},
          {"loss_sum", lossSum},
          {"window_losses", windowLosses},
          {"distances", distances},
          {"full_series", fullSeries},
          {"lora_series", loraSeries}};
}

void PhaseSwitch::restore(const json &state, std::vector<float> baseline,
                          const std::string &origin) {
  if (!state.is_object())
    throw Error(origin + ": the switch state is not an object");
  auto field = [&](const char *key) -> const json & {
    auto it = state.find(key);
    if (it == state.end())
      throw Error(origin + ": the switch state has no '" + key + "'");
    return *it;
  };
  std::optional<Phase> phase =
      field("phase").is_string() ? phaseNamed(field("phase").get<std::string>()) : std::nullopt;
  std::optional<int64_t> in = jsonInt64(field("in_window"));
  if (!phase || !in || *in < 0 || *in >= config.window || !field("loss_sum").is_number())
    throw Error(origin + ": the switch state's phase or window position is malformed "
                         "(or the window differs from this run's)");
  std::vector<double> losses = doubles(field("window_losses"), "window losses", origin);
  std::vector<double> dists = doubles(field("distances"), "distances", origin);
  std::vector<double> full = doubles(field("full_series"), "overlap series", origin);
  std::vector<double> lora = doubles(field("lora_series"), "overlap series", origin);
  if (losses.size() > 3 || dists.size() > 3 || full.size() != lora.size())
    throw Error(origin + ": the switch state's series have impossible lengths");
  current = *phase;
  inWindow = *in;
  lossSum = field("loss_sum").get<double>();
  windowLosses = std::move(losses);
  distances = std::move(dists);
  fullSeries = std::move(full);
  loraSeries = std::move(lora);
  lastWeights = std::move(baseline);
}

} // namespace hpt::rt
