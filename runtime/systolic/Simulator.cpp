//===- Simulator.cpp - systolic-array simulator, instruction-level timing --===//

#include "runtime/systolic/Simulator.h"

#include "runtime/core/Error.h"
#include "runtime/host/Avx512.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <numeric>

namespace hpt::systolic {
namespace {

using rt::Error;

int idx(Buffer b) { return static_cast<int>(b); }

/// An int32 register loaded from an SRAM word: NaN reads as 0 and values
/// beyond int32 saturate (SRAM words of an int8 machine stay in range; only a
/// hand-written stream can put others there).
int32_t toInt32(double x) {
  if (!(x == x))
    return 0;
  return static_cast<int32_t>(std::clamp(x, double(INT32_MIN), double(INT32_MAX)));
}
/// int8 operands multiply and accumulate in int32, wrapping as hardware does.
int32_t macInt32(int32_t acc, double a, double b) {
  uint32_t product = static_cast<uint32_t>(toInt32(a)) * static_cast<uint32_t>(toInt32(b));
  return static_cast<int32_t>(static_cast<uint32_t>(acc) + product);
}

/// `count` words of an SRAM as fp32 operands.
void toFloats(const double *from, size_t count, std::vector<float> &to) {
  to.resize(count);
  for (size_t i = 0; i < count; ++i)
    to[i] = static_cast<float>(from[i]);
}

double addElements(ElementType e, double a, double b) {
  if (e == ElementType::F32)
    return static_cast<float>(static_cast<float>(a) + static_cast<float>(b));
  return macInt32(toInt32(a), b, 1.0);
}

} // namespace

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
  checker = StreamChecker();
  report = Report();
  for (size_t i = 0; i < stream.instructions.size(); ++i) {
    const Instruction &inst = stream.instructions[i];
    where = source + ": instruction " + std::to_string(i) + " (" + name(inst.opcode) + ")";
    if (std::string error = checker.check(inst); !error.empty())
      throw Error(where + ": " + error);
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
    if (dram[b].empty())
      words = words ? rt::checkedAdd(*words, inst.dramWords[b]) : std::nullopt;
  }
  limit.check(words ? rt::checkedMul(*words, sizeof(double)) : std::nullopt,
              where + ": the SRAMs, DRAM regions and accumulators");
}

// The checker has accepted `inst`: what is left is to count and compute.
void Simulator::execute(const Instruction &inst) {
  if (inst.opcode == Opcode::Config)
    return configure(inst);
  report.cycles += instructionCycles(inst, config);
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
  checkFunctionalMemory(inst);
  for (int b = 0; b < 3; ++b) {
    // Like hardware, the SRAMs keep their contents from stream to stream; a
    // valid stream reads only what it wrote.
    if (sram[b].size() != inst.sramWords[b])
      sram[b].assign(inst.sramWords[b], 0.0);
    if (dram[b].empty())
      dram[b].assign(inst.dramWords[b], 0.0);
    else if (dram[b].size() != inst.dramWords[b])
      throw Error(where + ": " + name(static_cast<Buffer>(b)) + " DRAM holds " +
                  std::to_string(dram[b].size()) + " elements, CONFIG says " +
                  std::to_string(inst.dramWords[b]));
  }
  accumulators.assign(uint64_t(inst.arrayRows) * inst.arrayCols, 0.0);
}

void Simulator::moveIn(const Instruction &inst) {
  int b = idx(inst.buffer);
  uint64_t words = uint64_t(inst.rows) * inst.cols;
  report.dramReads[b] += words;
  report.sramWrites[b] += words;
  if (!functional)
    return;
  for (uint32_t r = 0; r < inst.rows; ++r)
    std::memcpy(&sram[b][inst.sramAddress + uint64_t(r) * inst.cols],
                &dram[b][inst.dramAddress + r * inst.stride], inst.cols * sizeof(double));
}

void Simulator::moveOut(const Instruction &inst) {
  int b = idx(Buffer::Ofmap);
  uint64_t words = uint64_t(inst.rows) * inst.cols;
  report.sramReads[b] += words;
  report.dramWrites[b] += words;
  if (!functional)
    return;
  for (uint32_t r = 0; r < inst.rows; ++r)
    for (uint32_t c = 0; c < inst.cols; ++c) {
      double v = sram[b][inst.sramAddress + uint64_t(r) * inst.cols + c];
      double &d = dram[b][inst.dramAddress + r * inst.stride + c];
      d = inst.accumulate ? addElements(config.element, d, v) : v;
    }
}

void Simulator::preload(const Instruction &inst) {
  // WS holds filter[K, N] tiles, IS ifmap[M, K] tiles (stored cols x rows).
  int source = idx(inst.buffer);
  uint64_t words = uint64_t(inst.rows) * inst.cols;
  report.sramReads[source] += words;
  if (functional) {
    stationary.assign(sram[source].begin() + inst.sramAddress,
                      sram[source].begin() + inst.sramAddress + words);
    toFloats(stationary.data(), words, stationaryFloat);
  }
}

void Simulator::compute(const Instruction &inst) {
  const uint64_t R = config.arrayRows, C = config.arrayCols, T = inst.streamed;
  const Dataflow df = config.dataflow;
  if (inst.first) {
    fold = FoldStats{inst.rows, inst.cols, 0, 0, 0};
    if (functional && df == Dataflow::OutputStationary)
      std::fill(accumulators.begin(), accumulators.end(), 0.0);
  }
  const uint64_t rows = inst.rows, cols = inst.cols;
  switch (df) {
  case Dataflow::OutputStationary:
    report.sramReads[0] += T * rows;
    report.sramReads[1] += T * cols;
    // SCALE-Sim counts R + C more ofmap writes per OS fold (its ofmap demand
    // matrix is padded to the full array); we count as it does.
    if (inst.last)
      report.sramWrites[2] += rows * cols + R + C;
    break;
  case Dataflow::WeightStationary:
    report.sramReads[0] += T * rows;
    report.sramWrites[2] += T * cols;
    break;
  case Dataflow::InputStationary:
    report.sramReads[1] += T * rows;
    report.sramWrites[2] += T * cols;
    break;
  }
  report.macs += T * rows * cols;
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

namespace {
/// One fp32 fold step: out[i, :n] = init[i, :n] + Σ_k a[i, k]·b[k, :n] for
/// i < m, each output element one chain of multiply-adds over k in order, as
/// a PE row computes it (fused on AVX-512, so the last bit can differ from the
/// portable path). `init` may be null (zeros) or `out` itself. Rows are
/// independent, so a large step is split over the cores.
struct FloatFold {
  uint64_t m, k, n;
  const float *a; ///< m x k
  const float *b; ///< k x n
  const double *init;
  double *out; ///< m x n
};

void foldRowPortable(const FloatFold &f, float *line, uint64_t i) {
  for (uint64_t j = 0; j < f.n; ++j)
    line[j] = f.init ? static_cast<float>(f.init[i * f.n + j]) : 0.0f;
  for (uint64_t kk = 0; kk < f.k; ++kk) {
    const float x = f.a[i * f.k + kk], *row = f.b + kk * f.n;
    for (uint64_t j = 0; j < f.n; ++j)
      line[j] += x * row[j];
  }
  for (uint64_t j = 0; j < f.n; ++j)
    f.out[i * f.n + j] = line[j];
}

/// The same chains, 16 columns per register, four registers at a time held
/// across the whole k loop.
HPT_AVX512 void foldRowAvx512(const FloatFold &f, uint64_t i) {
  const float *a = f.a + i * f.k;
  for (uint64_t j0 = 0; j0 < f.n; j0 += 64) {
    __m512 acc[4];
    __mmask16 mask[4];
    for (int q = 0; q < 4; ++q) {
      int64_t left = int64_t(f.n) - int64_t(j0) - 16 * q;
      mask[q] = left >= 16 ? __mmask16(0xffff) : left > 0 ? __mmask16((1u << left) - 1) : 0;
      float start[16] = {};
      if (f.init)
        for (int e = 0; e < 16 && e < left; ++e)
          start[e] = static_cast<float>(f.init[i * f.n + j0 + 16 * q + e]);
      acc[q] = _mm512_loadu_ps(start);
    }
    for (uint64_t kk = 0; kk < f.k; ++kk) {
      const __m512 x = _mm512_set1_ps(a[kk]);
      const float *row = f.b + kk * f.n + j0;
      for (int q = 0; q < 4; ++q)
        if (mask[q])
          acc[q] = _mm512_fmadd_ps(x, _mm512_maskz_loadu_ps(mask[q], row + 16 * q), acc[q]);
    }
    for (int q = 0; q < 4; ++q) {
      float result[16];
      _mm512_storeu_ps(result, acc[q]);
      for (int e = 0; e < 16 && uint64_t(j0 + 16 * q + e) < f.n; ++e)
        f.out[i * f.n + j0 + 16 * q + e] = result[e];
    }
  }
}

/// Steps below this many MACs run on one core: splitting them costs more
/// than it saves.
constexpr uint64_t kParallelMacs = 1 << 20;

void foldPortable(const FloatFold &f) {
#pragma omp parallel if (f.m * f.k * f.n >= kParallelMacs)
  {
    std::vector<float> line(f.n);
#pragma omp for schedule(static)
    for (uint64_t i = 0; i < f.m; ++i)
      foldRowPortable(f, line.data(), i);
  }
}

void foldAvx512(const FloatFold &f) {
#pragma omp parallel for schedule(static) if (f.m * f.k * f.n >= kParallelMacs)
  for (uint64_t i = 0; i < f.m; ++i)
    foldRowAvx512(f, i);
}

void runFoldStep(const FloatFold &f) {
  if (rt::cpuHasAvx512f())
    foldAvx512(f);
  else
    foldPortable(f);
}

} // namespace

// fp32: every dataflow's fold step is one small product over its tiles
// (Isa.h's operand view), each output a float chain over the array's rows.
void Simulator::computeFloat(const Instruction &inst) {
  const uint64_t T = inst.streamed, rows = inst.rows, cols = inst.cols;
  switch (config.dataflow) {
  case Dataflow::OutputStationary: {
    // ifmap tile rows x T, filter tile T x cols; the PEs keep the sums,
    // which continue from one chunk of the fold to the next.
    toFloats(&sram[0][inst.operandAddress[0]], rows * T, tileA);
    toFloats(&sram[1][inst.operandAddress[1]], T * cols, tileB);
    partial.resize(rows * cols);
    for (uint64_t r = 0; r < rows; ++r)
      std::copy_n(&accumulators[r * config.arrayCols], cols, &partial[r * cols]);
    runFoldStep({rows, T, cols, tileA.data(), tileB.data(), partial.data(), partial.data()});
    for (uint64_t r = 0; r < rows; ++r)
      std::copy_n(&partial[r * cols], cols, &accumulators[r * config.arrayCols]);
    if (inst.last)
      std::copy_n(partial.data(), rows * cols, &sram[2][inst.resultAddress]);
    return;
  }
  case Dataflow::WeightStationary:
    // ifmap tile T x rows through the filter rows x cols -> ofmap T x cols.
    toFloats(&sram[0][inst.operandAddress[0]], T * rows, tileA);
    runFoldStep({T, rows, cols, tileA.data(), stationaryFloat.data(), nullptr,
                 &sram[2][inst.resultAddress]});
    return;
  case Dataflow::InputStationary:
    // stationary ifmap tile cols(M) x rows(K), filter tile rows x T -> ofmap cols x T.
    toFloats(&sram[1][inst.operandAddress[0]], rows * T, tileB);
    runFoldStep({cols, rows, T, stationaryFloat.data(), tileB.data(), nullptr,
                 &sram[2][inst.resultAddress]});
    return;
  }
}

// int8 operands multiply and accumulate in int32, wrapping as hardware does.
void Simulator::computeInt8(const Instruction &inst) {
  const uint64_t T = inst.streamed, rows = inst.rows, cols = inst.cols;
  std::vector<int32_t> acc;
  switch (config.dataflow) {
  case Dataflow::OutputStationary: {
    const double *A = &sram[0][inst.operandAddress[0]];
    const double *B = &sram[1][inst.operandAddress[1]];
    acc.resize(cols);
    for (uint64_t r = 0; r < rows; ++r) {
      double *sums = &accumulators[r * config.arrayCols];
      for (uint64_t c = 0; c < cols; ++c)
        acc[c] = static_cast<int32_t>(sums[c]);
      for (uint64_t t = 0; t < T; ++t)
        for (uint64_t c = 0; c < cols; ++c)
          acc[c] = macInt32(acc[c], A[r * T + t], B[t * cols + c]);
      for (uint64_t c = 0; c < cols; ++c)
        sums[c] = acc[c];
    }
    if (inst.last)
      for (uint64_t r = 0; r < rows; ++r)
        for (uint64_t c = 0; c < cols; ++c)
          sram[2][inst.resultAddress + r * cols + c] = accumulators[r * config.arrayCols + c];
    return;
  }
  case Dataflow::WeightStationary: {
    const double *A = &sram[0][inst.operandAddress[0]];
    acc.resize(cols);
    for (uint64_t t = 0; t < T; ++t) {
      std::fill(acc.begin(), acc.end(), 0);
      for (uint64_t r = 0; r < rows; ++r)
        for (uint64_t c = 0; c < cols; ++c)
          acc[c] = macInt32(acc[c], A[t * rows + r], stationary[r * cols + c]);
      for (uint64_t c = 0; c < cols; ++c)
        sram[2][inst.resultAddress + t * cols + c] = acc[c];
    }
    return;
  }
  case Dataflow::InputStationary: {
    const double *F = &sram[1][inst.operandAddress[0]];
    acc.resize(T);
    for (uint64_t c = 0; c < cols; ++c) {
      std::fill(acc.begin(), acc.end(), 0);
      for (uint64_t r = 0; r < rows; ++r)
        for (uint64_t t = 0; t < T; ++t)
          acc[t] = macInt32(acc[t], stationary[c * rows + r], F[r * T + t]);
      for (uint64_t t = 0; t < T; ++t)
        sram[2][inst.resultAddress + c * T + t] = acc[t];
    }
    return;
  }
  }
}

//===----------------------------------------------------------------------===//
// The vector unit
//===----------------------------------------------------------------------===//

namespace {
double roundTo(ElementType e, double x) {
  return e == ElementType::F32 ? static_cast<float>(x) : std::nearbyint(x);
}
} // namespace

// The vector unit has one lane per array column and works in place on an
// ofmap-SRAM tile, a row at a time (Timing.h charges its cycles).
void Simulator::vector(const Instruction &inst) {
  int of = idx(Buffer::Ofmap);
  uint64_t words = uint64_t(inst.rows) * inst.cols, passes = vectorPasses(inst.vectorOp);
  report.sramReads[of] += passes * words + secondOperandWords(inst);
  report.sramWrites[of] += words;
  report.vectorElementOps += passes * words;
  if (functional)
    vectorData(inst);
}

void Simulator::vectorData(const Instruction &inst) {
  std::vector<double> &s = sram[idx(Buffer::Ofmap)];
  const ElementType e = config.element;
  // Only ops with a second operand name one (vector() checked its range).
  const double *second =
      secondOperandWords(inst) ? s.data() + inst.operandAddress[0] : nullptr;
  for (uint32_t r = 0; r < inst.rows; ++r) {
    double *row = s.data() + inst.sramAddress + uint64_t(r) * inst.cols;
    double a = 0, b = 0; // softmax: max, sum; layer norm: mean, variance
    switch (inst.vectorOp) {
    case VectorOp::Softmax:
      a = *std::max_element(row, row + inst.cols);
      for (uint32_t c = 0; c < inst.cols; ++c)
        b += std::exp(row[c] - a);
      for (uint32_t c = 0; c < inst.cols; ++c)
        row[c] = roundTo(e, std::exp(row[c] - a) / b);
      break;
    case VectorOp::LayerNorm:
      for (uint32_t c = 0; c < inst.cols; ++c)
        a += row[c] / inst.cols;
      for (uint32_t c = 0; c < inst.cols; ++c)
        b += (row[c] - a) * (row[c] - a) / inst.cols;
      for (uint32_t c = 0; c < inst.cols; ++c)
        row[c] = roundTo(e, (row[c] - a) / std::sqrt(b + inst.scalar) * second[c] +
                                second[inst.cols + c]);
      break;
    case VectorOp::Add:
      for (uint32_t c = 0; c < inst.cols; ++c)
        row[c] = roundTo(e, row[c] + second[uint64_t(r) * inst.cols + c]);
      break;
    case VectorOp::Scale:
      for (uint32_t c = 0; c < inst.cols; ++c)
        row[c] = roundTo(e, row[c] * inst.scalar);
      break;
    case VectorOp::Relu:
      for (uint32_t c = 0; c < inst.cols; ++c)
        row[c] = std::max(row[c], 0.0);
      break;
    case VectorOp::AddRow:
      for (uint32_t c = 0; c < inst.cols; ++c)
        row[c] = roundTo(e, row[c] + second[c]);
      break;
    case VectorOp::Gelu:
      for (uint32_t c = 0; c < inst.cols; ++c)
        row[c] = roundTo(e, 0.5 * row[c] * (1 + std::erf(row[c] / std::sqrt(2.0))));
      break;
    case VectorOp::ReluGrad: { // the tile is dy, the second tile x
      const double *x = second + uint64_t(r) * inst.cols;
      for (uint32_t c = 0; c < inst.cols; ++c)
        row[c] = x[c] > 0 ? row[c] : 0.0;
      break;
    }
    case VectorOp::GeluGrad: { // d/dx x·Φ(x) = Φ(x) + x·φ(x)
      const double *x = second + uint64_t(r) * inst.cols;
      for (uint32_t c = 0; c < inst.cols; ++c) {
        double cdf = 0.5 * (1 + std::erf(x[c] / std::sqrt(2.0)));
        double pdf = std::exp(-0.5 * x[c] * x[c]) / std::sqrt(2 * M_PI);
        row[c] = roundTo(e, row[c] * (cdf + x[c] * pdf));
      }
      break;
    }
    case VectorOp::SoftmaxGrad: { // dx = y·(dy − Σ dy·y), the second tile y
      const double *y = second + uint64_t(r) * inst.cols;
      for (uint32_t c = 0; c < inst.cols; ++c)
        a += row[c] * y[c];
      for (uint32_t c = 0; c < inst.cols; ++c)
        row[c] = roundTo(e, y[c] * (row[c] - a));
      break;
    }
    }
  }
}

} // namespace hpt::systolic
