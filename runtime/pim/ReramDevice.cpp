//===- ReramDevice.cpp - ReRAM crossbars as an hpt-run device -------------===//

#include "runtime/pim/ReramDevice.h"

#include "hardware/Checksum.h"
#include "hardware/Cost.h"

#include "runtime/core/Archive.h"
#include "runtime/core/Error.h"

#include <algorithm>
#include <ostream>

namespace hpt::rt {
namespace {

std::string opWhere(const FunctionSpec &fn, size_t index) {
  const OpSpec &op = fn.ops[index];
  return "function '" + fn.name + "': ops[" + std::to_string(index) + "] (" + op.op +
         (op.loc.empty() ? "" : " at " + op.loc) + ")";
}

/// The matrix a weight's crossbars store, from its parameter's value.
std::vector<float> storedMatrix(const ReramWeight &w, const float *param) {
  std::vector<float> stored(size_t(w.rows * w.cols));
  if (!w.transposedParam) {
    std::copy(param, param + w.rows * w.cols, stored.begin());
    return stored;
  }
  // The parameter is cols x rows.
  for (int64_t r = 0; r < w.rows; ++r)
    for (int64_t c = 0; c < w.cols; ++c)
      stored[r * w.cols + c] = param[c * w.rows + r];
  return stored;
}

/// Adds `value` to the component `name` (several weights written at once
/// charge one entry).
template <typename T>
void addComponent(std::vector<std::pair<const char *, T>> &components, const char *name,
                  T value) {
  for (auto &[key, sum] : components)
    if (std::string(key) == name) {
      sum += value;
      return;
    }
  components.emplace_back(name, value);
}

} // namespace

ReramDevice::ReramDevice(const Bundle &bundle, const ReramOptions &options, std::ostream &log)
    : bundle(bundle), options(options), log(log) {
  if (!bundle.hardware || !bundle.hardware->reram)
    throw Error(bundle.path + ": ops are placed on reram, but the bundle's hardware "
                              "description has no reram section");
  model = *bundle.hardware->reram;
  weights.resize(bundle.reram.weights.size());
  writtenFrom.resize(bundle.reram.weights.size());
  warned.assign(bundle.reram.weights.size(), false);
  tracks.resize(bundle.reram.weights.size());
  // Each cell's state: its level, target, stuck flag, counters; and the
  // stored matrix each weight was written from.
  const hw::pim::CrossbarGeometry geometry = hw::pim::geometryOf(model);
  uint64_t bytes = 0;
  for (const ReramWeight &w : bundle.reram.weights) {
    const uint64_t values = uint64_t(w.rows) * uint64_t(w.cols);
    const uint64_t cells = values * uint64_t(geometry.slices() * geometry.polarity());
    bytes += cells * (sizeof(float) * 2 + 2 + sizeof(uint32_t) + sizeof(uint64_t)) +
             values * (sizeof(float) + sizeof(int32_t));
  }
  options.memory.check(bytes, bundle.path + ": the ReRAM cells' state");
}

ReramDevice::~ReramDevice() = default;

uint64_t ReramDevice::endurance() const { return uint64_t(model.endurance.value); }

void ReramDevice::accept(const FunctionSpec &fn, size_t index, const std::string &where) const {
  if (!bundle.reram.find(fn.name, index))
    throw Error(where + ": placed on reram, but the reram section has no read for it");
}

void ReramDevice::program(size_t index, const float *param, OpCost &cost) {
  const ReramWeight &w = bundle.reram.weights[index];
  std::vector<float> stored = storedMatrix(w, param);
  if (weights[index] && stored == writtenFrom[index])
    return;
  if (!weights[index]) {
    // Each parameter's cells draw their own noise, the same whichever other
    // weights the bundle puts on ReRAM (a sensitivity measured alone holds).
    pim::Nonidealities noise = options.noise;
    noise.seed ^= hw::fnv1a64(w.param);
    weights[index] = std::make_unique<pim::ProgrammedWeight>(model, w.rows, w.cols, noise,
                                                             "weight '" + w.name + "'");
  }
  const pim::WriteResult written =
      weights[index]->write(stored.data(), endurance(),
                            options.endurance == EnduranceMode::Error,
                            bundle.path + ": weight '" + w.name + "' (parameter '" + w.param + "')");
  if (written.beyondEndurance > 0 && !warned[index]) {
    log << "hpt-run: warning: " << bundle.path << ": weight '" << w.name << "': "
        << written.beyondEndurance << " cells programmed past their endurance of " << endurance()
        << " events (reram.endurance; --endurance error refuses such writes)\n";
    warned[index] = true;
  }
  writtenFrom[index] = std::move(stored);
  cost.seconds += written.latency_ns * 1e-9;
  addComponent(cost.energy, "write", written.energy_pJ);
  addComponent(cost.counts, "cells_written", uint64_t(written.cells));
  addComponent(cost.counts, "write_pulses", uint64_t(written.pulses));
}

OpCost ReramDevice::run(const FunctionSpec &fn, size_t index, const Tensors &tensors) {
  const ReramOp *read = bundle.reram.find(fn.name, index);
  if (!read)
    throw Error(opWhere(fn, index) + ": placed on reram without a read");
  const OpSpec &op = fn.ops[index];
  OpCost cost;
  program(read->weight, tensors.ptr[op.operands[1]], cost);
  pim::ProgrammedWeight &weight = *weights[read->weight];
  const Shape &inputShape = tensors.shapes[op.operands[0]];
  const int64_t length = inputShape.back();
  const int64_t vectors = length == 0 ? 0 : numElements(inputShape) / length;
  const int64_t outLength = read->transposed ? weight.tiling().rows : weight.tiling().cols;
  const bool biased = op.op == "linear" && op.operands.size() == 3;
  if (!options.timingOnly)
    readInto(*read, op, vectors, outLength, tensors);
  // The bias is added digitally as the results leave the tile.
  const uint64_t bias = biased ? uint64_t(outLength) * sizeof(float) : 0;
  const hw::pim::ReramCost readCost =
      hw::pim::readCost(model, weight.tiling(), vectors, read->transposed);
  const hw::Estimate charged = hw::reramEstimate(readCost);
  cost.seconds += charged.seconds;
  cost.energy.insert(cost.energy.end(), charged.energy.begin(), charged.energy.end());
  cost.counts.push_back({"conversions", uint64_t(readCost.conversions)});
  cost.bytesIn = uint64_t(numElements(inputShape)) * sizeof(float) + bias;
  cost.bytesOut = uint64_t(vectors * outLength) * sizeof(float);
  // The drift clock runs in simulated time since programming.
  weight.setElapsed(weight.elapsedSeconds() + cost.seconds);
  return cost;
}

void ReramDevice::readInto(const ReramOp &read, const OpSpec &op, int64_t vectors,
                           int64_t outLength, const Tensors &tensors) {
  pim::ProgrammedWeight &weight = *weights[read.weight];
  const float *x = tensors.ptr[op.operands[0]];
  float *out = tensors.ptr[op.results[0]];
  pim::ReadStats stats;
  if (read.transposed) {
    weight.transposed(x, vectors, out, &stats);
    trackTransposed(read.weight, x, vectors);
  } else {
    weight.forward(x, vectors, out, &stats);
    trackForward(read.weight, x, vectors);
  }
  if (op.op == "linear" && op.operands.size() == 3) {
    const float *b = tensors.ptr[op.operands[2]];
    for (int64_t r = 0; r < vectors; ++r)
      for (int64_t c = 0; c < outLength; ++c)
        out[r * outLength + c] += b[c];
  }
}

OpCost ReramDevice::load(const FunctionSpec &fn, const ParamValues &paramValue) {
  OpCost cost;
  std::vector<bool> read(bundle.reram.weights.size(), false);
  for (const auto &[key, op] : bundle.reram.ops)
    if (key.first == fn.name)
      read[op.weight] = true;
  for (size_t w = 0; w < read.size(); ++w)
    if (read[w])
      program(w, paramValue(bundle.reram.weights[w].param), cost);
  return cost;
}

void ReramDevice::trackForward(size_t index, const float *x, int64_t vectors) {
  // |x·S − read| ≤ Σ_k (|S_kn|·e_x + (|x_k| + e_x)·e_w) + ADC · s_x·s_w, with
  // e = scale / 2 (the quantisation of x per row and of S per tensor).
  const pim::ProgrammedWeight &weight = *weights[index];
  const std::vector<float> &stored = writtenFrom[index];
  const int64_t rows = weight.tiling().rows, cols = weight.tiling().cols;
  const double top = double((int64_t(1) << (int64_t(model.inputBits.value) - 1)) - 1);
  const double sw = weight.weightScale(), ew = sw / 2;
  const double adc = weight.adcErrorBound(false);
  std::vector<double> columnAbs(size_t(cols), 0.0);
  for (int64_t k = 0; k < rows; ++k)
    for (int64_t n = 0; n < cols; ++n)
      columnAbs[n] += std::abs(stored[k * cols + n]);
  BoundTrack &track = tracks[index];
  track.outputBound.assign(size_t(vectors * cols), 0.0f);
  for (int64_t r = 0; r < vectors; ++r) {
    double absSum = 0, largest = 0;
    for (int64_t k = 0; k < rows; ++k) {
      absSum += std::abs(x[r * rows + k]);
      largest = std::max(largest, double(std::abs(x[r * rows + k])));
    }
    const double sx = largest / top, ex = sx / 2;
    for (int64_t n = 0; n < cols; ++n)
      track.outputBound[r * cols + n] = float(columnAbs[n] * ex + (absSum + double(rows) * ex) * ew +
                                              adc * sx * sw);
  }
  if (!track.consumed) // the last step's product never met its gradient
    ++stepMissing[size_t(track.reads - 1)];
  ++track.reads;
  track.consumed = false;
  if (stepBounds.size() < size_t(track.reads)) {
    stepBounds.resize(size_t(track.reads), 0.0);
    stepMissing.resize(size_t(track.reads), 0);
  }
}

void ReramDevice::trackTransposed(size_t index, const float *delta, int64_t vectors) {
  BoundTrack &track = tracks[index];
  if (track.consumed || track.outputBound.size() != size_t(vectors) * size_t(bundle.reram.weights[index].cols))
    return; // a transposed read without the forward one it belongs to
  double sum = 0;
  for (size_t i = 0; i < track.outputBound.size(); ++i)
    sum += std::abs(double(delta[i])) * double(track.outputBound[i]);
  stepBounds[size_t(track.reads - 1)] += sum;
  track.consumed = true;
}

std::vector<double> ReramDevice::lossErrorBounds() const {
  std::vector<double> complete;
  for (size_t step = 0; step < stepBounds.size(); ++step) {
    int64_t missing = stepMissing[step];
    for (const BoundTrack &t : tracks)
      missing += t.reads == int64_t(step) + 1 && !t.consumed;
    if (missing > 0)
      break;
    complete.push_back(stepBounds[step]);
  }
  return complete;
}

void ReramDevice::checkEndurance(int64_t steps) const {
  for (size_t i = 0; i < bundle.reram.weights.size(); ++i) {
    const ReramWeight &w = bundle.reram.weights[i];
    bool trained = false;
    for (const auto &[key, op] : bundle.reram.ops) {
      if (op.weight != i)
        continue;
      for (const OpSpec &update : bundle.function(key.first)->ops)
        trained |= update.op.size() > 7 &&
                   update.op.compare(update.op.size() - 7, 7, "_update") == 0 &&
                   update.attrs.value("param", "") == w.param;
    }
    uint64_t before = 0;
    if (weights[i])
      for (uint32_t e : weights[i]->cellEvents())
        before = std::max<uint64_t>(before, e);
    const uint64_t planned = before + (trained ? uint64_t(steps) : 1);
    if (planned <= endurance())
      continue;
    const std::string message =
        bundle.path + ": weight '" + w.name + "' (parameter '" + w.param + "') could be written up to " +
        std::to_string(planned) + " times per cell (" + std::to_string(before) + " so far, " +
        (trained ? "once per step: its program trains it" : "once") + "), past the endurance of " +
        std::to_string(endurance()) + " events (reram.endurance)";
    if (options.endurance == EnduranceMode::Error)
      throw Error(message + "; --endurance error refuses the run before it starts");
    log << "hpt-run: warning: " << message << "\n";
  }
}

std::vector<ReramWear> ReramDevice::wear() const {
  std::vector<ReramWear> out;
  for (size_t i = 0; i < weights.size(); ++i) {
    if (!weights[i])
      continue;
    ReramWear w;
    w.weight = bundle.reram.weights[i].name;
    const std::vector<uint32_t> &events = weights[i]->cellEvents();
    w.cells = int64_t(events.size());
    double sum = 0;
    for (uint32_t e : events) {
      w.written += e > 0;
      w.maxEvents = std::max<uint64_t>(w.maxEvents, e);
      w.beyondEndurance += e > endurance();
      sum += e;
    }
    w.meanEvents = events.empty() ? 0 : sum / double(events.size());
    for (uint64_t p : weights[i]->cellPulseCounts())
      w.pulses += p;
    out.push_back(std::move(w));
  }
  return out;
}

void ReramDevice::saveState(Archive &archive) const {
  nlohmann::json programmed = nlohmann::json::array();
  for (size_t i = 0; i < weights.size(); ++i) {
    if (!weights[i])
      continue;
    const std::string &name = bundle.reram.weights[i].name;
    programmed.push_back(name);
    weights[i]->save(archive, "reram:" + name);
    archive.add("reram:" + name + ".written_from",
                {bundle.reram.weights[i].rows, bundle.reram.weights[i].cols},
                writtenFrom[i].data());
  }
  archive.meta["reram_programmed"] = programmed;
}

void ReramDevice::restoreState(const Archive &archive, const std::string &origin) {
  auto listed = archive.meta.find("reram_programmed");
  if (listed == archive.meta.end())
    return; // written before anything was programmed
  if (!listed->is_array())
    throw Error(origin + ": 'reram_programmed' is not a list of weights");
  for (const nlohmann::json &name : *listed) {
    auto it = std::find_if(bundle.reram.weights.begin(), bundle.reram.weights.end(),
                           [&](const ReramWeight &w) { return name.is_string() && w.name == name; });
    if (it == bundle.reram.weights.end())
      throw Error(origin + ": holds ReRAM cells of weight " + name.dump() + ", which " +
                  bundle.path + " does not have");
    const size_t index = size_t(it - bundle.reram.weights.begin());
    const std::string prefix = "reram:" + it->name;
    const ArchiveTensor *from = archive.find(prefix + ".written_from");
    if (!from || from->data.size() != size_t(it->rows * it->cols))
      throw Error(origin + ": has no value for what weight '" + it->name + "' holds");
    auto weight = std::make_unique<pim::ProgrammedWeight>(model, it->rows, it->cols,
                                                          options.noise, "weight '" + it->name + "'");
    weight->restore(archive, prefix, origin);
    weights[index] = std::move(weight);
    writtenFrom[index] = from->data;
  }
}

} // namespace hpt::rt
