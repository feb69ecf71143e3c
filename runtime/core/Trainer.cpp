//===- Trainer.cpp - the training loop of hpt-run -------------------------===//

#include "runtime/core/Trainer.h"

#include "runtime/core/Error.h"
#include "runtime/host/Rng.h"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>

namespace hpt::rt {

namespace {
using Clock = std::chrono::steady_clock;

void checkShape(const Shape &data, const Shape &model, const std::string &what,
                const Bundle &bundle) {
  if (data != model)
    throw Error("the data's " + what + " shape " + shapeText(data) +
                " differs from the model's " + shapeText(model) + " (" + bundle.path + ")");
}

std::string duration(double seconds) {
  char text[32];
  int total = static_cast<int>(seconds + 0.5);
  if (total >= 3600)
    std::snprintf(text, sizeof(text), "%dh%02dm", total / 3600, total / 60 % 60);
  else
    std::snprintf(text, sizeof(text), "%dm%02ds", total / 60, total % 60);
  return text;
}

/// Bar, step, loss, speed and time left: one line redrawn in place on a
/// terminal, a new line every tenth of the run otherwise (logs stay short).
class ProgressLine {
public:
  ProgressLine(std::ostream &os, int64_t total, bool enabled, bool interactive)
      : os(os), total(total), enabled(enabled), interactive(interactive),
        start(Clock::now()), last(start) {}

  void update(int64_t done, float loss, bool force = false) {
    auto now = Clock::now();
    if (!enabled || (!force && !due(done, now)))
      return;
    last = now;
    lastTenth = total > 0 ? 10 * done / total : 0;
    double seconds = std::chrono::duration<double>(now - start).count();
    double rate = done / std::max(seconds, 1e-9);
    int width = 24, filled = total > 0 ? static_cast<int>(width * done / total) : 0;
    char line[160];
    std::snprintf(line, sizeof(line), "%s[%-*s] step %lld/%lld  loss %.5f  %.2f steps/s  ETA %s%s",
                  interactive ? "\r" : "", width, std::string(filled, '#').c_str(), static_cast<long long>(done),
                  static_cast<long long>(total), loss, rate,
                  total > 0 ? duration((total - done) / std::max(rate, 1e-9)).c_str() : "-",
                  interactive ? " " : "\n");
    os << line << std::flush;
  }

  void finish() {
    if (enabled && interactive)
      os << "\n";
  }

private:
  bool due(int64_t done, Clock::time_point now) const {
    if (interactive)
      return now - last >= std::chrono::milliseconds(250);
    return total > 0 && 10 * done / total > lastTenth;
  }

  std::ostream &os;
  int64_t total;
  bool enabled, interactive;
  Clock::time_point start, last;
  int64_t lastTenth = 0;
};
} // namespace

namespace {
std::string checkpointNote(const std::string &path) {
  if (path.empty())
    return "";
  if (!std::filesystem::exists(path))
    return " (no checkpoint had been written to " + path + " yet)";
  return " (the last good checkpoint is kept at " + path + ")";
}
} // namespace

std::vector<int64_t> epochOrder(int64_t size, uint64_t seed, int64_t epoch, bool shuffle) {
  std::vector<int64_t> order(size);
  for (int64_t i = 0; i < size; ++i)
    order[i] = i;
  if (!shuffle)
    return order;
  for (int64_t i = size - 1; i > 0; --i) {
    double u = uniform01(seed, static_cast<uint64_t>(epoch) + 1, static_cast<uint64_t>(i));
    int64_t j = std::min<int64_t>(static_cast<int64_t>(u * (i + 1)), i);
    std::swap(order[i], order[j]);
  }
  return order;
}

Trainer::Trainer(const Bundle &bundle, Schedule &schedule, const Dataset &train,
                 const Dataset *test)
    : bundle(bundle), schedule(schedule), trainData(train) {
  for (const Dataset *data : {&train, test}) {
    if (!data)
      continue;
    for (Program *program : {&schedule.trainProgram(), &schedule.evalProgram()}) {
      if (program->argShapes().size() != 2)
        throw Error(bundle.path + ": a training function takes (input, target)");
      checkShape(data->inputShape(), program->argShapes()[0], "input", bundle);
      checkShape(data->targetShape(), program->argShapes()[1], "target", bundle);
    }
  }
}

TrainResult Trainer::train(JobState &job, const TrainOptions &options,
                           std::ostream &progressStream) {
  int64_t perEpoch = trainData.size();
  int64_t limit = INT64_MAX;
  if (options.steps > 0)
    limit = options.steps;
  if (options.epochs > 0)
    limit = std::min(limit, options.epochs * perEpoch);
  if (limit == INT64_MAX)
    throw Error("give a number of steps or epochs to train for");
  if (job.position < 0 || job.position >= perEpoch)
    throw Error("the job stands at sample " + std::to_string(job.position) +
                " of an epoch, but the training data has " + std::to_string(perEpoch) +
                " samples (a checkpoint of a run on other data?)");
  std::vector<float> input(numElements(trainData.inputShape()));
  std::vector<float> target(numElements(trainData.targetShape()));
  TrainResult result;
  result.firstStep = job.counters.step;
  ProgressLine progress(progressStream, limit - job.counters.step, options.progress,
                        options.interactive);
  auto start = Clock::now();
  std::vector<int64_t> order =
      epochOrder(perEpoch, job.shuffleSeed, job.counters.epoch, options.shuffle);
  while (job.counters.step < limit) {
    trainData.sample(order[job.position], input.data(), target.data());
    auto stepStart = Clock::now();
    float loss = schedule.step({input.data(), target.data()}, job);
    result.stepSeconds.push_back(
        std::chrono::duration<double>(Clock::now() - stepStart).count());
    if (!std::isfinite(loss)) {
      progress.finish();
      throw Error("the loss became " + std::string(std::isnan(loss) ? "NaN" : "infinite") +
                  " at step " + std::to_string(job.counters.step + 1) +
                  "; training stopped" + checkpointNote(options.checkpointPath));
    }
    result.losses.push_back(loss);
    ++job.counters.step;
    if (++job.position == perEpoch) {
      job.position = 0;
      ++job.counters.epoch;
      order = epochOrder(perEpoch, job.shuffleSeed, job.counters.epoch, options.shuffle);
      schedule.epochEnded(job);
    }
    if (!options.checkpointPath.empty() && options.checkpointEvery > 0 &&
        job.counters.step % options.checkpointEvery == 0)
      saveCheckpoint(options.checkpointPath, bundle, schedule, job);
    progress.update(job.counters.step - result.firstStep, loss);
  }
  if (options.interactive)
    progress.update(job.counters.step - result.firstStep,
                    result.losses.empty() ? 0.0f : result.losses.back(), /*force=*/true);
  progress.finish();
  if (!options.checkpointPath.empty())
    saveCheckpoint(options.checkpointPath, bundle, schedule, job);
  result.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  return result;
}

EvalResult Trainer::evaluate(const Dataset &data, const std::vector<int64_t> &samples) {
  std::vector<float> input(numElements(data.inputShape()));
  std::vector<float> target(numElements(data.targetShape()));
  std::vector<float> prediction(target.size());
  TrainingState counters; // evaluation uses neither dropout nor the schedule
  EvalResult result;
  double lossSum = 0, squaredError = 0;
  std::vector<int64_t> all;
  if (samples.empty())
    for (int64_t i = 0; i < data.size(); ++i)
      all.push_back(i);
  const std::vector<int64_t> &visited = samples.empty() ? all : samples;
  for (int64_t i : visited) {
    data.sample(i, input.data(), target.data());
    Program &evaluateStep = schedule.evalProgram();
    evaluateStep.run({input.data(), target.data()}, counters);
    lossSum += *evaluateStep.result(0);
    const float *output = evaluateStep.result(1);
    prediction.assign(output, output + prediction.size());
    data.toDataUnits(i, prediction.data());
    data.toDataUnits(i, target.data());
    for (size_t j = 0; j < target.size(); ++j)
      squaredError += double(prediction[j] - target[j]) * (prediction[j] - target[j]);
  }
  const int64_t n = int64_t(visited.size());
  result.samples = n;
  result.meanLoss = lossSum / std::max<int64_t>(n, 1);
  result.rmse = std::sqrt(squaredError / std::max<double>(1, double(n) * double(target.size())));
  return result;
}

} // namespace hpt::rt
