//===- hpt-run.cpp - run a compiled hpt training bundle -------------------===//
//
//   hpt-run BUNDLE --data wind|synthetic [--steps N | --epochs N] [options]
//
// Loads a bundle written by `hpt-translate --hpt-to-bundle` (it needs no
// compiler), initialises the parameters from their seeds, trains with the
// bundle's @train_step, evaluates @forward on the test split and prints the
// loss curve and the test error. `hpt-run --help` lists the options.
//
//===----------------------------------------------------------------------===//

#include "runtime/core/Archive.h"
#include "runtime/core/Error.h"
#include "runtime/core/Limits.h"
#include "runtime/core/Profiler.h"
#include "runtime/core/Schedule.h"
#include "runtime/core/Trainer.h"
#include "runtime/gpu/CudaDevice.h"
#include "runtime/gpu/CudaDriver.h"
#include "runtime/gpu/RooflineDevice.h"
#include "runtime/pim/ReramDevice.h"
#include "runtime/pim/Sensitivity.h"
#include "runtime/systolic/SystolicDevice.h"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <string>
#include <unistd.h>

using namespace hpt::rt;
namespace hw = hpt::hw;

namespace {
const char *kUsage = R"(usage: hpt-run BUNDLE --data wind|synthetic [options]

Training budget (give at least one, unless --sensitivity):
  --steps N              train until N steps in total
  --epochs N             train until N epochs in total
Data:
  --data wind            the Wind data (data/wind/MS_winds.dat)
  --data-file PATH       another file in the Wind format
  --wind-target level|change  predict the next hour's speed (default) or its
                         change from the last observed hour (docs/data.md)
  --data synthetic       deterministic synthetic data shaped like the model's inputs
  --train-samples N      synthetic training samples (default 512)
  --test-samples N       synthetic test samples (default 128)
  --data-seed N          synthetic data seed (default 1)
  --no-shuffle           visit samples in order (default: a seeded shuffle per epoch)
  --shuffle-seed N       seed of the shuffle (default 0)
Schedule (docs/hpt-schedule.md):
  --schedule full|lora|hpt  full-parameter training (default), the LoRA program only,
                         or HpT's: full until its switch rule passes, then LoRA
  --rank N|auto          the LoRA program to use (default: the bundle's only one);
                         auto (hpt only): chosen at the switch from the rank of the
                         weights' change since the start
  --init-from PATH       start from the parameter values of a checkpoint or an
                         --export-params archive (no optimizer state)
  --switch-preset APP    HpT's window and monitored layer of swe, covid, wind
                         (default) or weather
  --switch-window W      iterations per check (wind 480)
  --switch-loss-threshold X     relative loss change (0.1)
  --switch-weight-threshold X   relative change of the weight distance (0.01)
  --switch-alpha X       significance level of the overlap's t-test (0.01)
  --switch-monitor-layer N|last encoder layer whose concat(W_q, W_v) is watched
  --switch-energy X      rank=auto: fraction of the energy of dW kept (0.9)
  --switch-log PATH      one JSON line per check (and per rank choice)
  --switch-at N          hpt: switch to LoRA right after iteration N, with no checks
Checkpoints and exports:
  --checkpoint PATH      write a checkpoint here every --checkpoint-every steps and at the end
  --checkpoint-every N
  --resume PATH          continue from a checkpoint (bit-exact)
  --export-params PATH   write the parameters before training (archive)
  --dump-grads PATH      write the gradients of the first step (archive)
  --losses PATH          write the loss of every step (CSV: step,loss)
  --timings PATH         write the wall time of every step (CSV: step,ms)
  --write-bundle PATH    write the bundle back as it was read (checked), and stop
Limits:
  --max-memory SIZE      refuse a bundle whose tensors need more (bytes, or with
                         K, M, G, T; default: this machine's physical memory)
Output:
  --no-eval              skip the evaluation on the test split
  --eval-samples N       evaluate on N samples spread evenly over the test split
                         (the Wind baselines on the same samples; default: all)
  --profile              print, per phase, device and op kind, the measured wall time
                         and the modelled time, cycles and energy of the training step
  --profile-csv PATH     one row per op execution, transfer and device load (see
                         --trace-steps)
  --profile-json PATH    the whole run's profile per phase, device and op kind, the
                         GPU-only baseline and the two ratios (hpt), the ReRAM wear
                         and per-step loss-error bounds, the losses and the
                         evaluation, as JSON (tools/plots/hpt_run.py
                         draws it)
  --trace PATH           Chrome trace (chrome://tracing, Perfetto): one track per
                         device instance, simulated time (modelled)
  --trace-steps N        steps of each phase kept in the trace and the CSV (default 2;
                         0: all)
Devices:
  --gpu MODE             auto (default): ops placed on the gpu run on CUDA GPU 0
                         when there is one and the bundle has its kernels
                         (hpt-opt --convert-hpt-to-gpu), else on the host charged
                         by the description's GPU roofline; cuda: the GPU or an
                         error; roofline: always the host and the roofline
  --gpu-mem-limit SIZE   GPU memory hpt-run may allocate (bytes, or with K, M, G,
                         T; default: what the GPU has); beyond it the run stops
                         with an out-of-memory error
                         (HPT_CUDA_DRIVER, HPT_CUBLAS and HPT_NVML name the CUDA
                         driver, cuBLAS and NVML libraries to open instead of
                         libcuda.so.1, libcublas.so.13 and libnvidia-ml.so.1)
  --sim MODE             functional (default): ops placed on the systolic array
                         compute through its simulator (a stream the compiler
                         planned computes whole, the same bits as walking it);
                         instructions: every stream walked instruction by
                         instruction; timing: the host computes the ops placed on
                         the array and on ReRAM, and their simulators charge them
                         (the crossbars are still programmed and worn)
  --reram-noise LIST     ReRAM non-idealities, comma-separated: programming, read,
                         drift, stuck, pcm (AIHWKit's PCM formulas for programming
                         noise and drift); none (default)
  --reram-seed N         seed of the ReRAM noise (default 1)
  --reram-adc-range F    the ADCs' range as a fraction of full scale (default 1)
  --reram-bit-serial     walk every crossbar read bit by bit, even where one
                         integer product gives its result
  --endurance MODE       warn (default) or error: what a ReRAM write past the
                         description's endurance does
Noise sensitivity (instead of training; docs/partition.md):
  --sensitivity PATH     with --schedule lora: evaluate the LoRA program on held-out
                         test samples all on the host, with each weight it reads
                         on reram alone (--reram-noise, --reram-seed), and with
                         all of them; write each weight's loss increase as JSON
                         for hpt-partition's policy=noise-aware
  --sensitivity-samples N  held-out samples, evenly spaced over the test split
                         (default 64)
  --sensitivity-seeds K  average over K noise seeds from --reram-seed (default 1)
  --hw PATH              hardware description for the modelled figures when the
                         bundle carries none (docs/hardware.md)
  --quiet                no progress line
)";

/// HpT's per-application switch settings (docs/reference/hpt-models.md).
struct SwitchPreset {
  const char *app;
  int64_t window;
  int64_t monitorLayer; ///< -1: the last encoder layer
  bool rebaselineEachEpoch;
};
constexpr SwitchPreset kSwitchPresets[] = {
    {"swe", 365, -1, true}, {"covid", 720, 0, false},
    {"wind", 480, 0, false}, {"weather", 8000, -1, true}};

struct Options {
  std::string bundle, data, dataFile, checkpoint, resume, exportParams, dumpGrads, losses,
      timings, initFrom, writeBundle, trace, profileCsv, profileJson, hardware, preset = "wind",
      windTarget = "level", sensitivity, reramNoise = "none";
  SimMode sim = SimMode::Functional;
  ReramOptions reram;
  int64_t traceSteps = 2, sensitivitySamples = 64, sensitivitySeeds = 1, evalSamples = 0;
  ScheduleOptions schedule;
  std::optional<int64_t> window, monitorLayer;
  int64_t steps = 0, epochs = 0, checkpointEvery = 0, trainSamples = 512,
          testSamples = 128;
  uint64_t dataSeed = 1, shuffleSeed = 0;
  bool shuffle = true, eval = true, quiet = false, profile = false;
  MemoryLimit memory;
  std::string gpu = "auto";
  CudaDeviceOptions cuda;
};

[[noreturn]] void usageError(const std::string &message) {
  std::cerr << "hpt-run: " << message << "\n" << kUsage;
  std::exit(2);
}

double numberValue(const std::string &flag, const std::string &text, bool positive) {
  char *end = nullptr;
  errno = 0;
  double value = std::strtod(text.c_str(), &end);
  if (text.empty() || *end != '\0' || errno == ERANGE || !std::isfinite(value) ||
      (positive ? !(value > 0) : value < 0))
    usageError(flag + " needs a " + (positive ? "positive" : "non-negative") +
               " number, got '" + text + "'");
  return value;
}

int64_t integerValue(const std::string &flag, const std::string &text) {
  char *end = nullptr;
  errno = 0;
  long long value = std::strtoll(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0' || value < 0 || errno == ERANGE)
    usageError(flag + " needs a non-negative integer, got '" + text + "'");
  return value;
}

/// --reram-noise: which non-idealities the ReRAM device applies.
void parseReramNoise(const std::string &list, pim::Nonidealities &noise) {
  if (list == "none")
    return;
  size_t start = 0;
  while (start <= list.size()) {
    const size_t comma = list.find(',', start);
    const std::string item = list.substr(start, comma - start);
    if (item == "programming")
      noise.programmingNoise = true;
    else if (item == "read")
      noise.readNoise = true;
    else if (item == "drift")
      noise.drift = true;
    else if (item == "stuck")
      noise.stuckCells = true;
    else if (item == "pcm")
      noise.pcmPreset = noise.programmingNoise = noise.drift = true;
    else
      usageError("--reram-noise takes programming, read, drift, stuck, pcm or none, got '" +
                 item + "'");
    if (comma == std::string::npos)
      break;
    start = comma + 1;
  }
}

void applySwitchPreset(Options &o) {
  const SwitchPreset *preset = nullptr;
  for (const SwitchPreset &p : kSwitchPresets)
    if (o.preset == p.app)
      preset = &p;
  if (!preset)
    usageError("--switch-preset must be swe, covid, wind or weather, got '" + o.preset + "'");
  o.schedule.rule.window = o.window.value_or(preset->window);
  o.schedule.monitorLayer = o.monitorLayer.value_or(preset->monitorLayer);
  o.schedule.rule.rebaselineEachEpoch = preset->rebaselineEachEpoch;
}

Options parseOptions(int argc, char **argv) {
  Options o;
  std::map<std::string, std::string *> strings = {
      {"--data", &o.data},           {"--data-file", &o.dataFile},
      {"--checkpoint", &o.checkpoint}, {"--resume", &o.resume},
      {"--export-params", &o.exportParams}, {"--dump-grads", &o.dumpGrads},
      {"--losses", &o.losses},       {"--timings", &o.timings},
      {"--init-from", &o.initFrom},   {"--switch-log", &o.schedule.logPath},
      {"--switch-preset", &o.preset}, {"--wind-target", &o.windTarget},
      {"--sensitivity", &o.sensitivity}, {"--profile-json", &o.profileJson}};
  std::map<std::string, double *> fractions = {
      {"--switch-loss-threshold", &o.schedule.rule.lossThreshold},
      {"--switch-weight-threshold", &o.schedule.rule.weightThreshold},
      {"--switch-alpha", &o.schedule.rule.alpha},
      {"--switch-energy", &o.schedule.energy}};
  std::map<std::string, int64_t *> integers = {
      {"--steps", &o.steps}, {"--epochs", &o.epochs},
      {"--checkpoint-every", &o.checkpointEvery},
      {"--train-samples", &o.trainSamples}, {"--test-samples", &o.testSamples},
      {"--sensitivity-samples", &o.sensitivitySamples},
      {"--sensitivity-seeds", &o.sensitivitySeeds},
      {"--switch-at", &o.schedule.switchAt}, {"--eval-samples", &o.evalSamples}};
  std::map<std::string, uint64_t *> seeds = {{"--data-seed", &o.dataSeed},
                                             {"--shuffle-seed", &o.shuffleSeed}};
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc)
        usageError(arg + " needs a value");
      return argv[++i];
    };
    if (arg == "--help" || arg == "-h") {
      std::cout << kUsage;
      std::exit(0);
    } else if (strings.count(arg)) {
      *strings[arg] = value();
    } else if (integers.count(arg)) {
      *integers[arg] = integerValue(arg, value());
    } else if (seeds.count(arg)) {
      *seeds[arg] = integerValue(arg, value());
    } else if (fractions.count(arg)) {
      *fractions[arg] = numberValue(arg, value(), /*positive=*/true);
    } else if (arg == "--schedule") {
      std::string kind = value();
      if (kind == "full")
        o.schedule.kind = ScheduleKind::Full;
      else if (kind == "lora")
        o.schedule.kind = ScheduleKind::Lora;
      else if (kind == "hpt")
        o.schedule.kind = ScheduleKind::Hpt;
      else
        usageError("--schedule must be full, lora or hpt, got '" + kind + "'");
    } else if (arg == "--rank") {
      std::string text = value();
      o.schedule.rank = text == "auto" ? -1 : integerValue(arg, text);
      if (o.schedule.rank == 0)
        usageError("--rank needs a positive integer or auto, got '" + text + "'");
    } else if (arg == "--switch-window") {
      o.window = integerValue(arg, value());
      if (*o.window == 0)
        usageError("--switch-window needs a positive integer");
    } else if (arg == "--switch-monitor-layer") {
      std::string text = value();
      o.monitorLayer = text == "last" ? -1 : integerValue(arg, text);
    } else if (arg == "--max-memory") {
      std::string text = value();
      std::optional<uint64_t> bytes = parseByteSize(text);
      if (!bytes)
        usageError("--max-memory needs a size such as 4096, 512M or 16G, got '" + text + "'");
      o.memory.bytes = *bytes;
    } else if (arg == "--no-shuffle") {
      o.shuffle = false;
    } else if (arg == "--no-eval") {
      o.eval = false;
    } else if (arg == "--quiet") {
      o.quiet = true;
    } else if (arg == "--profile") {
      o.profile = true;
    } else if (arg == "--write-bundle") {
      o.writeBundle = value();
    } else if (arg == "--trace") {
      o.trace = value();
    } else if (arg == "--trace-steps") {
      o.traceSteps = integerValue(arg, value());
    } else if (arg == "--profile-csv") {
      o.profileCsv = value();
    } else if (arg == "--hw") {
      o.hardware = value();
    } else if (arg == "--gpu") {
      o.gpu = value();
      if (o.gpu != "auto" && o.gpu != "cuda" && o.gpu != "roofline")
        usageError("--gpu must be auto, cuda or roofline, got '" + o.gpu + "'");
    } else if (arg == "--gpu-mem-limit") {
      const std::string text = value();
      std::optional<uint64_t> bytes = parseByteSize(text);
      if (!bytes || *bytes == 0)
        usageError("--gpu-mem-limit needs a size such as 4096, 512M or 16G, got '" + text + "'");
      o.cuda.memoryLimit = *bytes;
    } else if (arg == "--sim") {
      std::string mode = value();
      if (mode != "functional" && mode != "instructions" && mode != "timing")
        usageError("--sim must be functional, instructions or timing, got '" + mode + "'");
      o.sim = mode == "functional"     ? SimMode::Functional
              : mode == "instructions" ? SimMode::Instructions
                                       : SimMode::Timing;
      o.reram.timingOnly = o.sim == SimMode::Timing;
    } else if (arg == "--reram-noise") {
      o.reramNoise = value();
      parseReramNoise(o.reramNoise, o.reram.noise);
    } else if (arg == "--reram-seed") {
      o.reram.noise.seed = uint64_t(integerValue(arg, value()));
    } else if (arg == "--reram-adc-range") {
      const std::string text = value();
      const double range = numberValue(arg, text, true);
      if (range > 1)
        usageError("--reram-adc-range needs a fraction in (0, 1], got '" + text + "'");
      o.reram.noise.adcRange = range;
    } else if (arg == "--reram-bit-serial") {
      o.reram.noise.bitSerialOnly = true;
    } else if (arg == "--endurance") {
      const std::string mode = value();
      if (mode != "warn" && mode != "error")
        usageError("--endurance must be warn or error, got '" + mode + "'");
      o.reram.endurance = mode == "error" ? EnduranceMode::Error : EnduranceMode::Warn;
    } else if (!arg.empty() && arg[0] == '-') {
      usageError("unknown option '" + arg + "'");
    } else if (o.bundle.empty()) {
      o.bundle = arg;
    } else {
      usageError("more than one bundle given ('" + o.bundle + "', '" + arg + "')");
    }
  }
  if (o.bundle.empty())
    usageError("no bundle given");
  if (!o.writeBundle.empty())
    return o;
  if (o.data != "wind" && o.data != "synthetic")
    usageError("--data must be wind or synthetic");
  if (o.steps == 0 && o.epochs == 0 && o.dumpGrads.empty() && o.sensitivity.empty())
    usageError("give --steps or --epochs");
  if (!o.sensitivity.empty() && o.schedule.kind != ScheduleKind::Lora)
    usageError("--sensitivity measures the LoRA program's frozen weights: give --schedule lora");
  if (o.schedule.switchAt > 0 && o.schedule.kind != ScheduleKind::Hpt)
    usageError("--switch-at forces HpT's switch: give --schedule hpt");
  if (o.sensitivitySamples == 0 || o.sensitivitySeeds == 0)
    usageError("--sensitivity-samples and --sensitivity-seeds need a positive integer");
  if (!o.dataFile.empty() && o.data != "wind")
    usageError("--data-file goes with --data wind");
  if (o.windTarget != "level" && o.windTarget != "change")
    usageError("--wind-target must be level or change, got '" + o.windTarget + "'");
  applySwitchPreset(o);
  if (o.schedule.rule.alpha >= 1 || o.schedule.energy > 1)
    usageError("--switch-alpha and --switch-energy must be at most 1");
  if (!o.resume.empty() && !o.initFrom.empty())
    usageError("--resume and --init-from exclude each other");
  return o;
}

/// Synthetic data shaped like the model's (input, target) arguments.
std::unique_ptr<Dataset> syntheticLike(const Program &program, Split split,
                                       int64_t samples, uint64_t seed) {
  const Shape &input = program.argShapes().at(0), &target = program.argShapes().at(1);
  if (input.size() != 3 || target.size() < 2 || target.size() > 3)
    throw Error("synthetic data needs inputs (1, tokens, features) and targets "
                "(1, tokens[, 1]); the model takes " + shapeText(input) + " and " +
                shapeText(target));
  int64_t tokens = target[1];
  bool featuresFirst = input[1] != tokens;
  int64_t features = featuresFirst ? input[1] : input[2];
  return std::make_unique<SyntheticDataset>(tokens, features, featuresFirst,
                                            target.size() == 3, split, samples, seed);
}

/// One value per step as CSV "step,<column>".
template <typename T>
void writePerStep(const std::string &path, const char *column, const TrainResult &result,
                  const std::vector<T> &values, double factor) {
  FILE *file = std::fopen(path.c_str(), "w");
  if (!file)
    throw Error("cannot write '" + path + "'");
  std::fprintf(file, "step,%s\n", column);
  for (size_t i = 0; i < values.size(); ++i)
    std::fprintf(file, "%lld,%.9g\n", static_cast<long long>(result.firstStep + i + 1),
                 values[i] * factor);
  std::fclose(file);
}

void exportParams(const std::string &path, const ParamStore &params) {
  Archive archive;
  archive.meta = {{"kind", "params"}};
  for (const ParamEntry &param : params.entries())
    archive.add(param.spec.name, param.spec.shape, param.value().data());
  writeArchive(archive, path);
}

/// Mean loss over the first and the last tenth of the run, and the minimum.
void printLossSummary(const TrainResult &result) {
  const std::vector<float> &l = result.losses;
  if (l.empty())
    return;
  size_t window = std::max<size_t>(1, l.size() / 10);
  double first = 0, last = 0;
  for (size_t i = 0; i < window; ++i) {
    first += l[i];
    last += l[l.size() - window + i];
  }
  float best = *std::min_element(l.begin(), l.end());
  std::printf("loss: first %zu steps %.6f, last %zu steps %.6f, min %.6f (%zu steps, "
              "%.2f steps/s)\n",
              window, first / window, window, last / window, best, l.size(),
              l.size() / std::max(result.seconds, 1e-9));
}

/// The GPU's device: CUDA GPU 0 when there is one and the bundle has its
/// kernels (unless --gpu roofline), else the roofline, saying why.
std::unique_ptr<Device> gpuDevice(const Bundle &bundle, const Options &o) {
  const char *fallback = "the ops placed on the gpu run on the host, charged by the hardware "
                         "description's GPU roofline (modelled)";
  auto roofline = [&](const std::string &why) -> std::unique_ptr<Device> {
    if (o.gpu == "cuda")
      throw Error("--gpu cuda: " + why);
    std::fprintf(stderr, "hpt-run: %s: %s\n", why.c_str(), fallback);
    return std::make_unique<RooflineGpuDevice>(bundle);
  };
  if (o.gpu == "roofline")
    return std::make_unique<RooflineGpuDevice>(bundle);
  std::string why;
  std::unique_ptr<CudaDriver> driver = CudaDriver::open(why);
  if (!driver)
    return roofline("no CUDA GPU (" + why + ")");
  const std::string described = driver->gpu().describe();
  const std::string gpu = "CUDA GPU 0 is " + described;
  if (bundle.gpu.kernels.empty() && bundle.gpu.ops.empty())
    return roofline(gpu + ", but the bundle has no GPU kernels (compile it with hpt-opt "
                          "--convert-hpt-to-gpu)");
  try {
    auto device = std::make_unique<CudaDevice>(bundle, std::move(driver), o.cuda);
    std::fprintf(stderr, "hpt-run: the ops placed on the gpu run on CUDA GPU 0, %s, from %s\n",
                 described.c_str(), device->image().c_str());
    return device;
  } catch (const Error &e) {
    return roofline(gpu + ", but it cannot run the bundle's kernels: " + e.what());
  }
}

/// The devices the bundle's placements need.
DeviceSet devicesFor(const Bundle &bundle, const Options &o) {
  DeviceSet devices;
  if (!bundle.systolic.ops.empty())
    devices.add(std::make_unique<SystolicDevice>(bundle, o.sim, o.memory));
  if (!bundle.reram.ops.empty()) {
    ReramOptions reram = o.reram;
    reram.memory = o.memory;
    devices.add(std::make_unique<ReramDevice>(bundle, reram, std::cerr));
  }
  for (const FunctionSpec &fn : bundle.functions)
    for (const OpSpec &op : fn.ops)
      if (op.device.kind == hw::DeviceKind::Gpu && !devices.find(hw::DeviceKind::Gpu))
        devices.add(gpuDevice(bundle, o));
  return devices;
}

/// What the CUDA GPU measured, when it ran the GPU's ops.
void printGpuMeasurements(const DeviceSet &devices) {
  auto *cuda = dynamic_cast<const CudaDevice *>(devices.find(hw::DeviceKind::Gpu));
  if (!cuda)
    return;
  const CudaMeasurements m = cuda->measurements();
  std::printf("gpu (measured, %s): %.1f MiB of GPU memory at most, %llu bytes copied to the "
              "GPU and %llu back",
              cuda->gpu().name.c_str(), double(m.peakBytes) / double(1 << 20),
              static_cast<unsigned long long>(m.bytesToGpu),
              static_cast<unsigned long long>(m.bytesFromGpu));
  if (m.eventSeconds > 0)
    std::printf(", %.3f ms in ops between CUDA events", 1e3 * m.eventSeconds);
  if (m.joules)
    std::printf(", %.1f J over the run (NVML, the whole GPU)\n", *m.joules);
  else
    std::printf(", energy not measured (%s)\n", m.energyUnavailable.c_str());
}

/// The ReRAM cells' wear at the end of a run.
void printReramWear(const DeviceSet &devices) {
  auto *reram = dynamic_cast<const ReramDevice *>(devices.find(hw::DeviceKind::Reram));
  if (!reram)
    return;
  for (const ReramWear &w : reram->wear())
    std::printf("reram %s: %lld cells, %lld programmed, writes per cell max %llu mean %.3f "
                "(endurance %llu), %llu pulses%s\n",
                w.weight.c_str(), static_cast<long long>(w.cells),
                static_cast<long long>(w.written), static_cast<unsigned long long>(w.maxEvents),
                w.meanEvents, static_cast<unsigned long long>(reram->endurance()),
                static_cast<unsigned long long>(w.pulses),
                w.beyondEndurance ? (", " + std::to_string(w.beyondEndurance) +
                                     " cells past endurance").c_str()
                                  : "");
  const std::vector<ReramWear> wear = reram->wear();
  if (wear.size() > 1) {
    ReramWear all;
    double events = 0;
    for (const ReramWear &w : wear) {
      all.cells += w.cells;
      all.written += w.written;
      all.maxEvents = std::max(all.maxEvents, w.maxEvents);
      all.pulses += w.pulses;
      all.beyondEndurance += w.beyondEndurance;
      events += w.meanEvents * double(w.cells);
    }
    std::printf("reram, all %zu weights: %lld cells, %lld programmed, writes per cell max %llu "
                "mean %.3f (endurance %llu), %llu pulses, %llu cells past endurance\n",
                wear.size(), static_cast<long long>(all.cells),
                static_cast<long long>(all.written), static_cast<unsigned long long>(all.maxEvents),
                events / double(std::max<int64_t>(all.cells, 1)),
                static_cast<unsigned long long>(reram->endurance()),
                static_cast<unsigned long long>(all.pulses),
                static_cast<unsigned long long>(all.beyondEndurance));
  }
  const std::vector<double> bounds = reram->lossErrorBounds();
  if (!bounds.empty())
    std::printf("reram: first-order bound on the loss error the crossbars add, first step of the run: %.6g "
                "(%zu steps of this run bounded)\n",
                bounds.front(), bounds.size());
}

/// Which phase trained how long, and when the switch came.
void printScheduleSummary(const Schedule &schedule, ScheduleKind kind) {
  if (kind == ScheduleKind::Full)
    return;
  std::printf("schedule %s:", scheduleName(kind));
  for (const SwitchEvent &event : schedule.events())
    if (event.decision == Decision::Switch)
      std::printf(" switched to LoRA (rank %lld) at iteration %lld (epoch %lld);",
                  static_cast<long long>(schedule.rank()),
                  static_cast<long long>(event.iteration), static_cast<long long>(event.epoch));
  if (kind == ScheduleKind::Hpt && schedule.phase() != Phase::Lora)
    std::printf(" no switch (phase %s);", phaseName(schedule.phase()));
  bool first = true;
  for (const auto &[phase, time] : schedule.phaseTimes()) {
    std::printf("%s %s %lld steps %.1f s (%.1f ms/step)", first ? "" : ";", phaseName(phase),
                static_cast<long long>(time.steps), time.seconds,
                1e3 * time.seconds / std::max<int64_t>(1, time.steps));
    first = false;
  }
  std::printf("\n");
}

/// HpT's comparison: this run beside full-parameter training for the same
/// steps, from the profiled full-parameter step (modelled).
struct Comparison {
  int64_t steps = 0;
  std::string device; ///< where the full program runs
  Profiler::FunctionTotals fullStep; ///< one step (mean of the profiled ones)
  double hybridSeconds = 0, hybridEnergyPj = 0, baselineSeconds = 0, baselineEnergyPj = 0;
};

/// HpT's reported ratios (Dahal et al., IEEE TPDS 2025, abstract; "up to").
constexpr double kPaperSpeedup = 11.9, kPaperEnergyRatio = 12.05;

std::optional<Comparison> compareWithFullTraining(const Bundle &bundle, const Profiler &profiler,
                                                  const TrainResult &result) {
  const std::string &full = bundle.fullProgram().train;
  std::optional<Profiler::FunctionTotals> profiled = profiler.function(full);
  if (!profiler.modelled() || !profiled || profiled->runs == 0 || result.losses.empty())
    return std::nullopt;
  Comparison c;
  c.steps = int64_t(result.losses.size());
  c.device = "host";
  for (const OpSpec &op : bundle.function(full)->ops)
    if (op.device.kind == hw::DeviceKind::Gpu)
      c.device = "gpu";
  const double runs = double(profiled->runs);
  c.fullStep = {1, profiled->seconds / runs, profiled->energyPj / runs, profiled->wallSeconds / runs};
  c.hybridSeconds = profiler.totalSeconds();
  c.hybridEnergyPj = profiler.totalEnergyPj();
  c.baselineSeconds = c.fullStep.seconds * double(c.steps);
  c.baselineEnergyPj = c.fullStep.energyPj * double(c.steps);
  return c;
}

void printComparison(const Comparison &c, const hw::Description &description) {
  std::printf("HpT against full-parameter training on the %s for the same %lld steps (modelled "
              "on '%s'):\n",
              c.device.c_str(), static_cast<long long>(c.steps), description.name.c_str());
  std::printf("  this run:             %10.4f s %12.4f J\n", c.hybridSeconds,
              1e-12 * c.hybridEnergyPj);
  std::printf("  full-parameter only:  %10.4f s %12.4f J  (%lld x the profiled full step, "
              "%.4f ms and %.4f mJ)\n",
              c.baselineSeconds, 1e-12 * c.baselineEnergyPj, static_cast<long long>(c.steps),
              1e3 * c.fullStep.seconds, 1e-9 * c.fullStep.energyPj);
  std::printf("  ratios: %.3fx the speed, %.3fx less energy (HpT reports up to %.1fx and "
              "%.2fx)\n",
              c.baselineSeconds / c.hybridSeconds, c.baselineEnergyPj / c.hybridEnergyPj,
              kPaperSpeedup, kPaperEnergyRatio);
}

/// --profile-json: the profile, the comparison, the wear, the losses and
/// the evaluation of the run.
void writeRunJson(const std::string &path, const Profiler &profiler,
                  const std::optional<Comparison> &comparison, const Schedule &schedule,
                  const DeviceSet &devices, const TrainResult &result,
                  const std::optional<EvalResult> &eval, const Dataset *test,
                  const std::vector<int64_t> &evalSamples) {
  nlohmann::json out = profiler.json();
  nlohmann::json events = nlohmann::json::array();
  for (const SwitchEvent &event : schedule.events())
    if (event.decision == Decision::Switch)
      events.push_back({{"iteration", event.iteration}, {"check", event.check}});
  out["run"] = {{"first_step", result.firstStep},
                {"steps", result.losses.size()},
                {"wall_seconds_measured", result.seconds},
                {"phase_at_end", phaseName(schedule.phase())},
                {"rank", schedule.rank()},
                {"switches", events},
                {"losses", result.losses}};
  if (comparison)
    out["comparison"] = {
        {"steps", comparison->steps},
        {"full_program_device", comparison->device},
        {"full_step_seconds", comparison->fullStep.seconds},
        {"full_step_energy_pj", comparison->fullStep.energyPj},
        {"hybrid_seconds", comparison->hybridSeconds},
        {"hybrid_energy_pj", comparison->hybridEnergyPj},
        {"baseline_seconds", comparison->baselineSeconds},
        {"baseline_energy_pj", comparison->baselineEnergyPj},
        {"speedup", comparison->baselineSeconds / comparison->hybridSeconds},
        {"energy_ratio", comparison->baselineEnergyPj / comparison->hybridEnergyPj},
        {"paper_speedup", kPaperSpeedup},
        {"paper_energy_ratio", kPaperEnergyRatio},
        {"baseline", "modelled: the profiled full-parameter step times the steps of this run"}};
  if (auto *reram = dynamic_cast<const ReramDevice *>(devices.find(hw::DeviceKind::Reram))) {
    nlohmann::json wear = nlohmann::json::array();
    for (const ReramWear &w : reram->wear())
      wear.push_back({{"weight", w.weight}, {"cells", w.cells}, {"programmed", w.written},
                      {"max_writes_per_cell", w.maxEvents}, {"mean_writes_per_cell", w.meanEvents},
                      {"pulses", w.pulses}, {"past_endurance", w.beyondEndurance}});
    // One bound per step that read the crossbars, in the order of this run.
    out["reram"] = {{"endurance", reram->endurance()},
                    {"weights", wear},
                    {"loss_error_bounds", reram->lossErrorBounds()}};
  }
  if (eval) {
    out["eval"] = {{"samples", eval->samples}, {"mean_loss", eval->meanLoss},
                   {"rmse", eval->rmse}, {"unit", test->unit()}};
    if (auto *wind = dynamic_cast<const WindDataset *>(test))
      for (const Baseline &baseline : wind->baselines(evalSamples))
        out["eval"]["baselines"].push_back({{"name", baseline.name}, {"rmse", baseline.rmse}});
  }
  std::ofstream file(path);
  file << out.dump(1) << "\n";
  if (!file)
    throw Error("--profile-json: cannot write '" + path + "'");
}

/// The steps this run trains for from where it starts.
int64_t plannedSteps(const Options &o, const Dataset &train, const JobState &job) {
  const int64_t total = o.steps > 0 ? o.steps : o.epochs * int64_t(train.size());
  return std::max<int64_t>(0, total - job.counters.step);
}

/// --sensitivity: each ReRAM weight's loss increase on held-out data.
int runSensitivity(const Options &o, const Bundle &bundle, Schedule &schedule,
                       const Dataset &heldOut) {
  SensitivityOptions options;
  options.samples = o.sensitivitySamples;
  options.seeds = o.sensitivitySeeds;
  options.reram = o.reram;
  options.reram.memory = o.memory;
  const std::string function = schedule.evalProgram().function().name;
  const Sensitivity result =
      measureSensitivity(bundle, function, schedule.params(), heldOut, options, std::cerr);
  writeSensitivity(result, bundle, o.reramNoise, o.sensitivity);
  std::printf("sensitivity of @%s on %zu held-out samples, noise %s, %zu seed(s); all on the "
              "host: loss %.6f\n",
              function.c_str(), result.samples.size(), o.reramNoise.c_str(),
              result.seeds.size(), result.baselineLoss);
  std::printf("%-28s %-12s %12s %12s %9s %12s\n", "weight on reram", "shape", "loss",
              "increase", "relative", "sensitivity");
  auto row = [&](const std::string &name, const std::string &shape, const WeightSensitivity &s) {
    std::printf("%-28s %-12s %12.6f %12.4g %8.3f%% %12.4g\n", name.c_str(), shape.c_str(),
                s.loss, s.increase, 100 * s.increase / result.baselineLoss, s.sensitivity);
  };
  for (const WeightSensitivity &s : result.weights)
    row(s.param, shapeText(s.shape), s);
  row("(all together)", "-", result.all);
  std::printf("wrote %s\n", o.sensitivity.c_str());
  return 0;
}

int run(const Options &o) {
  Bundle bundle = loadBundle(o.bundle, o.memory);
  if (!o.writeBundle.empty()) {
    writeBundleFile(bundle, o.writeBundle);
    return 0;
  }
  DeviceSet devices = devicesFor(bundle, o);
  ScheduleOptions scheduleOptions = o.schedule;
  scheduleOptions.devices = &devices;
  Schedule schedule(bundle, scheduleOptions, o.memory, std::cerr);
  std::optional<hw::Description> given;
  if (!o.hardware.empty())
    given = orThrow(hw::readDescription(o.hardware));
  const hw::Description *description = bundle.hardware ? &*bundle.hardware
                                                       : given ? &*given : nullptr;
  Profiler profiler(description, o.traceSteps);
  // HpT's schedule is profiled whenever it can be modelled: its comparison
  // with full-parameter training is the point of the run.
  const bool hptComparison = o.schedule.kind == ScheduleKind::Hpt && description;
  if (o.profile || !o.trace.empty() || !o.profileCsv.empty() || !o.profileJson.empty() ||
      hptComparison)
    schedule.observe({[&](const Program &program, int64_t step, Phase phase) {
                        profiler.addRun(program, step, phaseName(phase));
                      },
                      [&](hw::DeviceKind kind, const OpCost &cost, int64_t step) {
                        profiler.addLoad(kind, cost, step);
                      }});

  std::unique_ptr<Dataset> train, test;
  if (o.data == "wind") {
    std::string file = o.dataFile.empty() ? HPT_SOURCE_DIR "/data/wind/MS_winds.dat" : o.dataFile;
    WindTarget target = o.windTarget == "change" ? WindTarget::Change : WindTarget::Level;
    train = std::make_unique<WindDataset>(file, Split::Train, target);
    test = std::make_unique<WindDataset>(file, Split::Test, target);
  } else {
    train = syntheticLike(schedule.trainProgram(), Split::Train, o.trainSamples, o.dataSeed);
    test = syntheticLike(schedule.trainProgram(), Split::Test, o.testSamples, o.dataSeed);
  }
  if (o.schedule.kind == ScheduleKind::Hpt && o.schedule.rule.window > train->size())
    throw Error("--switch-window " + std::to_string(o.schedule.rule.window) +
                " is larger than an epoch (" + std::to_string(train->size()) +
                " training samples): no window would ever complete");
  Trainer trainer(bundle, schedule, *train, test.get());
  std::vector<int64_t> evalSamples;
  if (o.eval && o.evalSamples > 0) {
    if (o.evalSamples > test->size())
      throw Error("--eval-samples " + std::to_string(o.evalSamples) + ": the test split has " +
                  std::to_string(test->size()) + " samples");
    evalSamples = evenlySpaced(test->size(), o.evalSamples);
  }

  JobState job;
  job.shuffleSeed = o.shuffleSeed;
  if (!o.resume.empty()) {
    loadCheckpoint(o.resume, bundle, schedule, job);
    std::printf("resumed from %s at step %lld (epoch %lld, phase %s)\n", o.resume.c_str(),
                static_cast<long long>(job.counters.step),
                static_cast<long long>(job.counters.epoch), phaseName(schedule.phase()));
  }
  if (!o.initFrom.empty())
    schedule.initFrom(readArchive(o.initFrom), o.initFrom);
  if (!o.sensitivity.empty())
    return runSensitivity(o, bundle, schedule, *test);
  if (!o.exportParams.empty())
    exportParams(o.exportParams, schedule.params());
  if (auto *reram = dynamic_cast<const ReramDevice *>(devices.find(hw::DeviceKind::Reram)))
    reram->checkEndurance(plannedSteps(o, *train, job));

  TrainOptions options;
  options.steps = o.steps;
  options.epochs = o.epochs;
  options.shuffle = o.shuffle;
  options.checkpointPath = o.checkpoint;
  options.checkpointEvery = o.checkpointEvery;
  options.progress = !o.quiet;
  options.interactive = isatty(STDERR_FILENO);

  Archive grads;
  if (!o.dumpGrads.empty()) {
    grads.meta = {{"kind", "gradients"}, {"step", job.counters.step + 1}};
    schedule.trainProgram().onGradient = [&](const ParamEntry &param, const float *grad) {
      grads.add(param.spec.name, param.spec.shape, grad);
    };
    if (options.steps == 0 && options.epochs == 0)
      options.steps = job.counters.step + 1;
  }
  TrainResult result = trainer.train(job, options, std::cerr);
  if (!o.dumpGrads.empty()) {
    // Gradients of the first step only.
    Archive first;
    first.meta = grads.meta;
    for (const ParamEntry &param : schedule.params().entries())
      if (const ArchiveTensor *g = grads.find(param.spec.name))
        first.tensors.push_back(*g);
    writeArchive(first, o.dumpGrads);
  }
  if (!o.losses.empty())
    writePerStep(o.losses, "loss", result, result.losses, 1.0);
  if (!o.timings.empty())
    writePerStep(o.timings, "ms", result, result.stepSeconds, 1e3);
  printLossSummary(result);
  printScheduleSummary(schedule, o.schedule.kind);
  printReramWear(devices);
  printGpuMeasurements(devices);
  if (o.profile)
    profiler.printSummary(stdout);
  else if (hptComparison)
    profiler.printRunTable(stdout);
  if (!o.trace.empty())
    profiler.writeTrace(o.trace);
  if (!o.profileCsv.empty())
    profiler.writeCsv(o.profileCsv);
  std::optional<Comparison> comparison;
  if (hptComparison) {
    comparison = compareWithFullTraining(bundle, profiler, result);
    if (comparison)
      printComparison(*comparison, *description);
    else
      std::printf("HpT against full-parameter training: no full-parameter step was profiled "
                  "in this run (resumed after the switch), so there is no baseline\n");
  }

  std::optional<EvalResult> eval;
  if (o.eval) {
    eval = trainer.evaluate(*test, evalSamples);
    std::printf("test: %lld samples, mean loss %.6f, RMSE %.4f %s\n",
                static_cast<long long>(eval->samples), eval->meanLoss, eval->rmse,
                test->unit().c_str());
    if (auto *wind = dynamic_cast<WindDataset *>(test.get()))
      for (const Baseline &baseline : wind->baselines(evalSamples))
        std::printf("  baseline %-22s RMSE %.4f m/s: the model is %s\n", baseline.name.c_str(),
                    baseline.rmse, eval->rmse < baseline.rmse ? "better" : "not better");
  }
  if (!o.profileJson.empty())
    writeRunJson(o.profileJson, profiler, comparison, schedule, devices, result, eval,
                 test.get(), evalSamples);
  return 0;
}
} // namespace

int main(int argc, char **argv) {
  Options options = parseOptions(argc, argv);
  try {
    return run(options);
  } catch (const std::exception &e) {
    std::cerr << "hpt-run: error: " << e.what() << "\n";
    return 1;
  }
}
