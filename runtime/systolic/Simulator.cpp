//===- Simulator.cpp - systolic-array simulator, instruction-level timing --===//

#include "runtime/systolic/Simulator.h"

#include "runtime/core/Error.h"
#include "runtime/host/Kernels.h"
#include "runtime/systolic/FoldKernel.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <numeric>

namespace hpt::systolic {
namespace {

using rt::Error;

int idx(Buffer b) { return static_cast<int>(b); }

int32_t wordToInt(float word) {
  int32_t value;
  std::memcpy(&value, &word, sizeof value);
  return value;
}
float intToWord(int32_t value) {
  float word;
  std::memcpy(&word, &value, sizeof word);
  return word;
}

/// int8 operands multiply and accumulate in int32, wrapping as hardware does.
int32_t macInt32(int32_t acc, int32_t a, int32_t b) {
  uint32_t product = static_cast<uint32_t>(a) * static_cast<uint32_t>(b);
  return static_cast<int32_t>(static_cast<uint32_t>(acc) + product);
}

float addWords(ElementType e, float a, float b) {
  if (e == ElementType::F32)
    return a + b;
  return intToWord(macInt32(wordToInt(a), wordToInt(b), 1));
}

} // namespace

float encodeWord(ElementType e, double value) {
  if (e == ElementType::F32)
    return static_cast<float>(value);
  // NaN reads as 0 and values beyond int32 saturate, as a converter would.
  double rounded = value == value ? std::nearbyint(value) : 0.0;
  return intToWord(static_cast<int32_t>(std::clamp(rounded, double(INT32_MIN), double(INT32_MAX))));
}

double decodeWord(ElementType e, float word) {
  return e == ElementType::F32 ? double(word) : double(wordToInt(word));
}

std::vector<float> encodeWords(ElementType e, const std::vector<double> &values) {
  std::vector<float> words(values.size());
  for (size_t i = 0; i < values.size(); ++i)
    words[i] = encodeWord(e, values[i]);
  return words;
}

std::vector<double> decodeWords(ElementType e, const std::vector<float> &words) {
  std::vector<double> values(words.size());
  for (size_t i = 0; i < words.size(); ++i)
    values[i] = decodeWord(e, words[i]);
  return values;
}

std::string Simulator::where() const {
  return *running.source + ": instruction " + std::to_string(running.index) + " (" +
         name(running.opcode) + ")";
}

double Report::overallUtilizationPct() const {
  if (totalCycles == 0)
    return 0;
  return 100.0 * static_cast<double>(macs) /
         (static_cast<double>(totalCycles) * arrayRows * arrayCols);
}

double Report::mappingEfficiencyPct() const {
  if (folds.empty())
    return 0;
  double sum = 0;
  for (const FoldStats &f : folds)
    sum += f.mappingEfficiency;
  return 100.0 * sum / folds.size();
}

double Report::computeUtilizationPct() const {
  if (folds.empty())
    return 0;
  double sum = 0;
  for (const FoldStats &f : folds)
    sum += f.computeUtilization;
  return 100.0 * sum / folds.size();
}

Report Simulator::run(const Stream &stream, const std::string &source) {
  Unmap unmap{mappings};
  checker = StreamChecker();
  report = Report();
  for (size_t i = 0; i < stream.instructions.size(); ++i) {
    const Instruction &inst = stream.instructions[i];
    running = {&source, i, inst.opcode};
    if (std::string error = checker.check(inst); !error.empty())
      throw Error(where() + ": " + error);
    execute(inst);
  }
  if (std::string error = checker.finish(); !error.empty())
    throw Error(source + ": " + error);
  report.totalCycles = report.cycles == 0 ? 0 : report.cycles - 1;
  return report;
}

void Simulator::checkFunctionalMemory(const Instruction &inst) const {
  std::optional<uint64_t> words = uint64_t(inst.arrayRows) * inst.arrayCols;
  for (int b = 0; b < 3; ++b) {
    words = words ? rt::checkedAdd(*words, inst.sramWords[b]) : std::nullopt;
    if (needsStorage(b, inst))
      words = words ? rt::checkedAdd(*words, inst.dramWords[b]) : std::nullopt;
  }
  limit.check(words ? rt::checkedMul(*words, sizeof(float)) : std::nullopt,
              where() + ": the SRAMs, DRAM regions and accumulators");
}

bool Simulator::needsStorage(int b, const Instruction &config) const {
  uint64_t mapped = 0;
  for (const DramMapping &m : mappings[b])
    mapped += m.words;
  return dram[b].empty() && mapped < config.dramWords[b];
}

void Simulator::checkMappings(const Instruction &inst) const {
  for (int b = 0; b < 3; ++b) {
    std::vector<const DramMapping *> sorted;
    for (const DramMapping &m : mappings[b]) {
      if (m.offset > inst.dramWords[b] || m.words > inst.dramWords[b] - m.offset)
        throw Error(where() + ": " + m.name + " (" + std::to_string(m.words) +
                    " words at offset " + std::to_string(m.offset) + ") does not fit the " +
                    name(static_cast<Buffer>(b)) + " region of " +
                    std::to_string(inst.dramWords[b]) + " words");
      sorted.push_back(&m);
    }
    std::sort(sorted.begin(), sorted.end(),
              [](const DramMapping *x, const DramMapping *y) { return x->offset < y->offset; });
    for (size_t i = 1; i < sorted.size(); ++i)
      if (sorted[i - 1]->offset + sorted[i - 1]->words > sorted[i]->offset)
        throw Error(where() + ": " + sorted[i - 1]->name + " and " + sorted[i]->name +
                    " overlap in the " + name(static_cast<Buffer>(b)) + " region");
  }
}

// The checker has accepted `inst`: what is left is to count and compute.
void Simulator::execute(const Instruction &inst) {
  if (inst.opcode == Opcode::Config)
    return configure(inst);
  countInstruction(inst, config, report);
  switch (inst.opcode) {
  case Opcode::MoveIn: return moveIn(inst);
  case Opcode::MoveOut: return moveOut(inst);
  case Opcode::Preload: return preload(inst);
  case Opcode::Compute: return compute(inst);
  case Opcode::Vector: return vector(inst);
  case Opcode::Fence: return; // in-order machine: every earlier instruction is done
  case Opcode::Config: return;
  }
}

void Simulator::configure(const Instruction &inst) {
  config = inst;
  report.arrayRows = inst.arrayRows;
  report.arrayCols = inst.arrayCols;
  report.element = inst.element;
  if (!functional)
    return;
  for (int b = 0; b < 3; ++b)
    if (ownsDram[b]) // the last stream's unmapped words, not the caller's
      dram[b].clear();
  checkFunctionalMemory(inst);
  checkMappings(inst);
  for (auto &tiles : resident) // new DRAM contents
    tiles.clear();
  for (int b = 0; b < 3; ++b) {
    // Like hardware, the SRAMs keep their contents from stream to stream; a
    // valid stream reads only what it wrote.
    if (sram[b].size() != inst.sramWords[b])
      sram[b].assign(inst.sramWords[b], 0.0f);
    if (!dram[b].empty() && dram[b].size() != inst.dramWords[b])
      throw Error(where() + ": " + name(static_cast<Buffer>(b)) + " DRAM holds " +
                  std::to_string(dram[b].size()) + " elements, CONFIG says " +
                  std::to_string(inst.dramWords[b]));
    ownsDram[b] = needsStorage(b, inst);
    if (ownsDram[b]) // words no mapped tensor holds read as zeros
      dram[b].assign(inst.dramWords[b], 0.0f);
  }
  accumulators.assign(uint64_t(inst.arrayRows) * inst.arrayCols, 0.0f);
}

const DramMapping *Simulator::placeOf(int b, uint64_t address, uint64_t &run) {
  uint64_t next = config.dramWords[b]; // where the next mapping starts
  for (const DramMapping &m : mappings[b]) {
    if (address >= m.offset && address - m.offset < m.words) {
      run = m.offset + m.words - address;
      return &m;
    }
    if (m.offset > address)
      next = std::min(next, m.offset);
  }
  run = next - address;
  return nullptr;
}

// A range may span several tensors (layer norm's gamma and beta in one
// move): each piece goes to its own place.
void Simulator::readDram(int b, uint64_t address, uint64_t count, float *to) {
  while (count) {
    uint64_t run;
    const DramMapping *m = placeOf(b, address, run);
    run = std::min(run, count);
    if (!m) {
      std::memcpy(to, &dram[b][address], run * sizeof(float));
    } else if (!m->transposed) {
      std::memcpy(to, m->data + (address - m->offset), run * sizeof(float));
    } else {
      // Element (i, j) of a batch element is word j·rows + i of its storage:
      // along a row of the view, a stride of `rows`.
      const uint64_t each = m->rows * m->cols, local = address - m->offset;
      uint64_t i = local % each / m->cols, j = local % m->cols;
      const float *base = m->data + local / each * each;
      for (uint64_t k = 0; k < run; ++k) {
        to[k] = base[j * m->rows + i];
        if (++j == m->cols) {
          j = 0;
          if (++i == m->rows) {
            i = 0;
            base += each;
          }
        }
      }
    }
    address += run;
    to += run;
    count -= run;
  }
}

void Simulator::writeDram(int b, uint64_t address, uint64_t count, const float *from,
                          bool accumulate) {
  while (count) {
    uint64_t run;
    const DramMapping *m = placeOf(b, address, run);
    run = std::min(run, count);
    if (m && (!m->writable || m->transposed))
      throw Error(where() + ": writes into " + m->name + ", which the op only reads");
    float *to = m ? m->data + (address - m->offset) : &dram[b][address];
    if (!accumulate)
      std::memcpy(to, from, run * sizeof(float));
    else if (config.element == ElementType::F32)
      for (uint64_t c = 0; c < run; ++c)
        to[c] += from[c];
    else
      for (uint64_t c = 0; c < run; ++c)
        to[c] = addWords(config.element, to[c], from[c]);
    address += run;
    from += run;
    count -= run;
  }
}

bool Simulator::isResident(const Instruction &inst) {
  if (inst.buffer == Buffer::Ofmap) // the array and the vector unit write that SRAM
    return false;
  std::vector<ResidentTile> &tiles = resident[idx(inst.buffer)];
  const uint64_t begin = inst.sramAddress, end = begin + uint64_t(inst.rows) * inst.cols;
  for (const ResidentTile &t : tiles)
    if (t.sramAddress == begin && t.dramAddress == inst.dramAddress && t.stride == inst.stride &&
        t.rows == inst.rows && t.cols == inst.cols)
      return true;
  tiles.erase(std::remove_if(tiles.begin(), tiles.end(),
                             [&](const ResidentTile &t) {
                               return t.sramAddress < end &&
                                      begin < t.sramAddress + uint64_t(t.rows) * t.cols;
                             }),
              tiles.end());
  tiles.push_back({begin, inst.dramAddress, inst.stride, inst.rows, inst.cols});
  return false;
}

void Simulator::moveIn(const Instruction &inst) {
  int b = idx(inst.buffer);
  if (!functional || isResident(inst))
    return;
  float *to = &sram[b][inst.sramAddress];
  if (const DramMapping *m = tileMapping(b, inst)) {
    const uint64_t local = inst.dramAddress - m->offset;
    if (!m->transposed) {
      for (uint32_t r = 0; r < inst.rows; ++r)
        std::memcpy(to + uint64_t(r) * inst.cols, m->data + local + r * inst.stride,
                    inst.cols * sizeof(float));
      return;
    }
    // A tile of consecutive rows of one batch element of the view, inside
    // its rows: tile (r, c) is storage word (j0 + c)·rows + i0 + r.
    const uint64_t each = m->rows * m->cols, j0 = local % m->cols;
    if (inst.stride == m->cols && j0 + inst.cols <= m->cols &&
        local % each / m->cols + inst.rows <= m->rows) {
      const float *base = m->data + local / each * each + local % each / m->cols;
      for (uint32_t c = 0; c < inst.cols; ++c) {
        const float *column = base + (j0 + c) * m->rows;
        for (uint32_t r = 0; r < inst.rows; ++r)
          to[uint64_t(r) * inst.cols + c] = column[r];
      }
      return;
    }
  }
  for (uint32_t r = 0; r < inst.rows; ++r)
    readDram(b, inst.dramAddress + r * inst.stride, inst.cols, to + uint64_t(r) * inst.cols);
}

const DramMapping *Simulator::tileMapping(int b, const Instruction &inst) {
  uint64_t run;
  const DramMapping *m = placeOf(b, inst.dramAddress, run);
  const uint64_t span = (uint64_t(inst.rows) - 1) * inst.stride + inst.cols;
  return m && run >= span ? m : nullptr;
}

void Simulator::moveOut(const Instruction &inst) {
  if (!functional)
    return;
  int b = idx(Buffer::Ofmap);
  const float *from = &sram[b][inst.sramAddress];
  const DramMapping *m = tileMapping(b, inst);
  if (m && m->writable && !m->transposed && config.element == ElementType::F32) {
    float *to = m->data + (inst.dramAddress - m->offset);
    for (uint32_t r = 0; r < inst.rows; ++r, to += inst.stride, from += inst.cols)
      if (inst.accumulate)
        for (uint32_t c = 0; c < inst.cols; ++c)
          to[c] += from[c];
      else
        std::memcpy(to, from, inst.cols * sizeof(float));
    return;
  }
  for (uint32_t r = 0; r < inst.rows; ++r)
    writeDram(b, inst.dramAddress + r * inst.stride, inst.cols, from + uint64_t(r) * inst.cols,
              inst.accumulate);
}

void Simulator::preload(const Instruction &inst) {
  // WS holds filter[K, N] tiles, IS ifmap[M, K] tiles (stored cols x rows).
  int source = idx(inst.buffer);
  uint64_t words = uint64_t(inst.rows) * inst.cols;
  if (functional)
    stationary.assign(sram[source].begin() + inst.sramAddress,
                      sram[source].begin() + inst.sramAddress + words);
}

void Simulator::compute(const Instruction &inst) {
  const uint64_t R = config.arrayRows, C = config.arrayCols, T = inst.streamed;
  const Dataflow df = config.dataflow;
  if (inst.first) {
    fold = FoldStats{inst.rows, inst.cols, 0, 0, 0};
    if (functional && df == Dataflow::OutputStationary)
      std::fill(accumulators.begin(), accumulators.end(), 0.0f);
  }
  const uint64_t rows = inst.rows, cols = inst.cols;
  fold.streamed += T;
  if (functional) {
    if (config.element == ElementType::F32)
      computeFloat(inst);
    else
      computeInt8(inst);
  }
  if (!inst.last)
    return;
  // SCALE-Sim's per-fold compute utilisation divides by T + R + C - 2 (OS)
  // or T + 2R + 2C - 3 (WS/IS): its fold length plus C - 1 for WS/IS.
  uint64_t span = df == Dataflow::OutputStationary ? fold.streamed + R + C - 2
                                                   : fold.streamed + 2 * R + 2 * C - 3;
  fold.mappingEfficiency = double(rows * cols) / double(R * C);
  fold.computeUtilization = double(rows * cols * fold.streamed) / double(R * C * span);
  report.folds.push_back(fold);
}

// fp32: every dataflow's fold step is one small product over its tiles
// (Isa.h's operand view), each output a float chain over the array's rows.
void Simulator::computeFloat(const Instruction &inst) {
  const uint64_t T = inst.streamed, rows = inst.rows, cols = inst.cols;
  switch (config.dataflow) {
  case Dataflow::OutputStationary: {
    // ifmap tile rows x T, filter tile T x cols; the PEs keep the sums,
    // which continue from one chunk of the fold to the next.
    FloatFold f{rows, T, cols, &sram[0][inst.operandAddress[0]], T, 1,
                &sram[1][inst.operandAddress[1]], cols, accumulators.data(), config.arrayCols};
    f.continueChain = true;
    runFoldStep(f);
    if (inst.last)
      for (uint64_t r = 0; r < rows; ++r)
        std::copy_n(&accumulators[r * config.arrayCols], cols,
                    &sram[2][inst.resultAddress + r * cols]);
    return;
  }
  case Dataflow::WeightStationary:
    // ifmap tile T x rows through the filter rows x cols -> ofmap T x cols.
    runFoldStep({T, rows, cols, &sram[0][inst.operandAddress[0]], rows, 1, stationary.data(),
                 cols, &sram[2][inst.resultAddress], cols});
    return;
  case Dataflow::InputStationary:
    // stationary ifmap tile cols(M) x rows(K), filter tile rows x T -> ofmap cols x T.
    runFoldStep({cols, rows, T, stationary.data(), rows, 1, &sram[1][inst.operandAddress[0]], T,
                 &sram[2][inst.resultAddress], T});
    return;
  }
}

// int8 operands multiply and accumulate in int32, wrapping as hardware does.
void Simulator::computeInt8(const Instruction &inst) {
  const uint64_t T = inst.streamed, rows = inst.rows, cols = inst.cols;
  std::vector<int32_t> acc;
  float *out = &sram[2][inst.resultAddress];
  switch (config.dataflow) {
  case Dataflow::OutputStationary: {
    const float *A = &sram[0][inst.operandAddress[0]];
    const float *B = &sram[1][inst.operandAddress[1]];
    acc.resize(cols);
    for (uint64_t r = 0; r < rows; ++r) {
      float *sums = &accumulators[r * config.arrayCols];
      for (uint64_t c = 0; c < cols; ++c)
        acc[c] = wordToInt(sums[c]);
      for (uint64_t t = 0; t < T; ++t)
        for (uint64_t c = 0; c < cols; ++c)
          acc[c] = macInt32(acc[c], wordToInt(A[r * T + t]), wordToInt(B[t * cols + c]));
      for (uint64_t c = 0; c < cols; ++c)
        sums[c] = intToWord(acc[c]);
    }
    if (inst.last)
      for (uint64_t r = 0; r < rows; ++r)
        std::copy_n(&accumulators[r * config.arrayCols], cols, out + r * cols);
    return;
  }
  case Dataflow::WeightStationary: {
    const float *A = &sram[0][inst.operandAddress[0]];
    acc.resize(cols);
    for (uint64_t t = 0; t < T; ++t) {
      std::fill(acc.begin(), acc.end(), 0);
      for (uint64_t r = 0; r < rows; ++r)
        for (uint64_t c = 0; c < cols; ++c)
          acc[c] = macInt32(acc[c], wordToInt(A[t * rows + r]), wordToInt(stationary[r * cols + c]));
      for (uint64_t c = 0; c < cols; ++c)
        out[t * cols + c] = intToWord(acc[c]);
    }
    return;
  }
  case Dataflow::InputStationary: {
    const float *F = &sram[1][inst.operandAddress[0]];
    acc.resize(T);
    for (uint64_t c = 0; c < cols; ++c) {
      std::fill(acc.begin(), acc.end(), 0);
      for (uint64_t r = 0; r < rows; ++r)
        for (uint64_t t = 0; t < T; ++t)
          acc[t] = macInt32(acc[t], wordToInt(stationary[c * rows + r]), wordToInt(F[r * T + t]));
      for (uint64_t t = 0; t < T; ++t)
        out[c * T + t] = intToWord(acc[t]);
    }
    return;
  }
  }
}

//===----------------------------------------------------------------------===//
// The vector unit
//===----------------------------------------------------------------------===//

// The vector unit has one lane per array column and works in place on an
// ofmap-SRAM tile, a row at a time (Timing.h charges its cycles).
void Simulator::vector(const Instruction &inst) {
  if (!functional)
    return;
  const int of = idx(Buffer::Ofmap);
  const VectorOp op = inst.vectorOp;
  const uint64_t words = uint64_t(inst.rows) * inst.cols;
  // Only what the op reads (the checker checked those ranges).
  float *s = sram[of].data();
  VectorData d{s + inst.sramAddress, {}, {}};
  for (uint64_t k = 0; k < operandTiles(op); ++k)
    d.operand[k] = s + inst.operandAddress[0] + k * words;
  const uint64_t pieces = blockPieces(op);
  for (uint64_t k = 0; k < pieces; ++k)
    d.block[k] = s + inst.operandAddress[1] + k * (blockWords(op, inst.cols) / pieces);
  runVector(inst, d);
}

void Simulator::runVector(const Instruction &inst, const VectorData &d) {
  const VectorOp op = inst.vectorOp;
  if (op == VectorOp::Sgd || op == VectorOp::SgdMomentum || op == VectorOp::Adam)
    optimizerStep(inst, d);
  else
    vectorRows(inst, d);
}

// Row by row in double, each result rounded to the machine's word (fp32, or
// an int32 on an int8 machine).
void Simulator::vectorRows(const Instruction &inst, const VectorData &d) {
  const ElementType e = config.element;
  const uint64_t n = inst.cols;
  auto get = [e](float word) { return decodeWord(e, word); };
  auto put = [e](double value) { return encodeWord(e, value); };
  float *const *block = d.block; // null where the op has none
  if (inst.vectorOp == VectorOp::LayerNormGrad && inst.first) {
    std::fill_n(block[1], n, put(0));
    std::fill_n(block[2], n, put(0));
  }
  for (uint64_t r = 0; r < inst.rows; ++r) {
    float *row = d.tile + r * n;
    const float *other = d.operand[0] ? d.operand[0] + r * n : nullptr; // the operand's row
    double a = 0, b = 0; // softmax: max, sum; layer norm: mean, variance
    switch (inst.vectorOp) {
    case VectorOp::Softmax:
      a = get(*std::max_element(row, row + n, [&](float x, float y) { return get(x) < get(y); }));
      for (uint64_t c = 0; c < n; ++c)
        b += std::exp(get(row[c]) - a);
      for (uint64_t c = 0; c < n; ++c)
        row[c] = put(std::exp(get(row[c]) - a) / b);
      break;
    case VectorOp::LayerNorm:
      rowMoments(row, n, a, b);
      for (uint64_t c = 0; c < n; ++c)
        row[c] = put((get(row[c]) - a) / std::sqrt(b + inst.scalar) * get(block[0][c]) +
                     get(block[1][c]));
      break;
    case VectorOp::LayerNormGrad: { // the tile dy, the operand tile x
      rowMoments(other, n, a, b);
      const double rstd = 1 / std::sqrt(b + inst.scalar);
      double sumG = 0, sumGX = 0; // Σ dy·γ, Σ dy·γ·x̂
      for (uint64_t c = 0; c < n; ++c) {
        double g = get(row[c]) * get(block[0][c]), xhat = (get(other[c]) - a) * rstd;
        sumG += g;
        sumGX += g * xhat;
      }
      for (uint64_t c = 0; c < n; ++c) {
        double dy = get(row[c]), xhat = (get(other[c]) - a) * rstd;
        block[1][c] = put(get(block[1][c]) + dy * xhat);
        block[2][c] = put(get(block[2][c]) + dy);
        row[c] = put(rstd * (dy * get(block[0][c]) - sumG / n - xhat * sumGX / n));
      }
      break;
    }
    case VectorOp::Add:
      for (uint64_t c = 0; c < n; ++c)
        row[c] = put(get(row[c]) + get(other[c]));
      break;
    case VectorOp::Mul:
      for (uint64_t c = 0; c < n; ++c)
        row[c] = put(get(row[c]) * get(other[c]));
      break;
    case VectorOp::Scale:
      for (uint64_t c = 0; c < n; ++c)
        row[c] = put(get(row[c]) * inst.scalar);
      break;
    case VectorOp::Relu:
      for (uint64_t c = 0; c < n; ++c)
        row[c] = put(std::max(get(row[c]), 0.0));
      break;
    case VectorOp::AddRow:
      for (uint64_t c = 0; c < n; ++c)
        row[c] = put(get(row[c]) + get(block[0][c]));
      break;
    case VectorOp::Gelu:
      for (uint64_t c = 0; c < n; ++c) {
        double x = get(row[c]);
        row[c] = put(0.5 * x * (1 + std::erf(x / std::sqrt(2.0))));
      }
      break;
    case VectorOp::ReluGrad: // the tile dy, the operand tile x
      for (uint64_t c = 0; c < n; ++c)
        row[c] = get(other[c]) > 0 ? row[c] : put(0);
      break;
    case VectorOp::GeluGrad: // d/dx x·Φ(x) = Φ(x) + x·φ(x)
      for (uint64_t c = 0; c < n; ++c) {
        double x = get(other[c]);
        double cdf = 0.5 * (1 + std::erf(x / std::sqrt(2.0)));
        double pdf = std::exp(-0.5 * x * x) / std::sqrt(2 * M_PI);
        row[c] = put(get(row[c]) * (cdf + x * pdf));
      }
      break;
    case VectorOp::SoftmaxGrad: // dx = y·(dy − Σ dy·y), the operand tile y
      for (uint64_t c = 0; c < n; ++c)
        a += get(row[c]) * get(other[c]);
      for (uint64_t c = 0; c < n; ++c)
        row[c] = put(get(other[c]) * (get(row[c]) - a));
      break;
    case VectorOp::Sgd:
    case VectorOp::SgdMomentum:
    case VectorOp::Adam:
      return; // optimizerStep
    }
  }
}

void Simulator::rowMoments(const float *row, uint64_t n, double &mean, double &variance) const {
  mean = variance = 0;
  for (uint64_t c = 0; c < n; ++c)
    mean += decodeWord(config.element, row[c]) / n;
  for (uint64_t c = 0; c < n; ++c) {
    double d = decodeWord(config.element, row[c]) - mean;
    variance += d * d / n;
  }
}

// The optimizer steps, in fp32 as the coefficient formulas of Isa.h say (the
// checker refuses them on an int8 machine): those are the host kernels'
// formulas, so the unit runs them (runtime/host/Kernels.h) on its tiles.
void Simulator::optimizerStep(const Instruction &inst, const VectorData &d) {
  const int64_t words = int64_t(inst.rows) * inst.cols;
  const float *k = d.block[0];
  switch (inst.vectorOp) {
  case VectorOp::Sgd:
    return rt::sgdUpdate(d.tile, d.operand[0], nullptr, words,
                         rt::SgdCoefficients{k[kSgdNegLr], 0, 0, k[kSgdWeightDecay], false, false});
  case VectorOp::SgdMomentum:
    return rt::sgdUpdate(
        d.tile, d.operand[0], d.operand[1], words,
        rt::SgdCoefficients{k[kMomentumNegLr], k[kMomentumMomentum],
                            k[kMomentumOneMinusDampening], k[kMomentumWeightDecay],
                            k[kMomentumNesterov] != 0, k[kMomentumFirst] != 0});
  case VectorOp::Adam:
    return rt::adamUpdate(d.tile, d.operand[0], d.operand[1], d.operand[2], words,
                          rt::AdamCoefficients{k[kAdamBeta1], k[kAdamOneMinusBeta1],
                                               k[kAdamBeta2], k[kAdamOneMinusBeta2],
                                               k[kAdamNegStepSize], k[kAdamSqrtBias2],
                                               k[kAdamEps], k[kAdamDecay], k[kAdamL2]});
  default:
    return;
  }
}

} // namespace hpt::systolic
