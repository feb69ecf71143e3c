//===- Simulator.cpp - systolic-array simulator, instruction-level timing --===//

#include "runtime/systolic/Simulator.h"

#include "runtime/core/Error.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <numeric>

namespace hpt::systolic {
namespace {

using rt::Error;

int idx(Buffer b) { return static_cast<int>(b); }

// The element type's arithmetic: fp32 rounds every product and sum to float;
// int8 operands multiply and accumulate in int32 (wrapping, as hardware does).
template <typename Acc> Acc mac(Acc acc, double a, double b);
template <> float mac<float>(float acc, double a, double b) {
  return acc + static_cast<float>(a) * static_cast<float>(b);
}
/// An int32 register loaded from an SRAM word: NaN reads as 0 and values
/// beyond int32 saturate (SRAM words of an int8 machine stay in range; only a
/// hand-written stream can put others there).
int32_t toInt32(double x) {
  if (!(x == x))
    return 0;
  return static_cast<int32_t>(std::clamp(x, double(INT32_MIN), double(INT32_MAX)));
}
template <> int32_t mac<int32_t>(int32_t acc, double a, double b) {
  uint32_t product = static_cast<uint32_t>(toInt32(a)) * static_cast<uint32_t>(toInt32(b));
  return static_cast<int32_t>(static_cast<uint32_t>(acc) + product);
}

double addElements(ElementType e, double a, double b) {
  if (e == ElementType::F32)
    return static_cast<float>(static_cast<float>(a) + static_cast<float>(b));
  return mac<int32_t>(toInt32(a), b, 1.0);
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
      computeData<float>(inst);
    else
      computeData<int32_t>(inst);
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

template <typename Acc> void Simulator::computeData(const Instruction &inst) {
  const uint64_t T = inst.streamed, rows = inst.rows, cols = inst.cols;
  std::vector<Acc> line;
  switch (config.dataflow) {
  case Dataflow::OutputStationary: {
    // ifmap tile rows x T, filter tile T x cols; the PEs keep the sums.
    const double *A = &sram[0][inst.operandAddress[0]];
    const double *B = &sram[1][inst.operandAddress[1]];
    line.resize(cols);
    for (uint64_t r = 0; r < rows; ++r) {
      double *acc = &accumulators[r * config.arrayCols];
      for (uint64_t c = 0; c < cols; ++c)
        line[c] = static_cast<Acc>(acc[c]);
      for (uint64_t t = 0; t < T; ++t)
        for (uint64_t c = 0; c < cols; ++c)
          line[c] = mac<Acc>(line[c], A[r * T + t], B[t * cols + c]);
      for (uint64_t c = 0; c < cols; ++c)
        acc[c] = line[c];
    }
    if (inst.last)
      for (uint64_t r = 0; r < rows; ++r)
        for (uint64_t c = 0; c < cols; ++c)
          sram[2][inst.resultAddress + r * cols + c] = accumulators[r * config.arrayCols + c];
    return;
  }
  case Dataflow::WeightStationary: {
    // ifmap tile T x rows through filter rows x cols -> ofmap T x cols;
    // partial sums flow down the rows in order.
    const double *A = &sram[0][inst.operandAddress[0]];
    line.resize(cols);
    for (uint64_t t = 0; t < T; ++t) {
      std::fill(line.begin(), line.end(), Acc(0));
      for (uint64_t r = 0; r < rows; ++r)
        for (uint64_t c = 0; c < cols; ++c)
          line[c] = mac<Acc>(line[c], A[t * rows + r], stationary[r * cols + c]);
      for (uint64_t c = 0; c < cols; ++c)
        sram[2][inst.resultAddress + t * cols + c] = line[c];
    }
    return;
  }
  case Dataflow::InputStationary: {
    // stationary ifmap tile cols(M) x rows(K), filter tile rows x T -> ofmap cols x T.
    const double *F = &sram[1][inst.operandAddress[0]];
    line.resize(T);
    for (uint64_t c = 0; c < cols; ++c) {
      std::fill(line.begin(), line.end(), Acc(0));
      for (uint64_t r = 0; r < rows; ++r)
        for (uint64_t t = 0; t < T; ++t)
          line[t] = mac<Acc>(line[t], stationary[c * rows + r], F[r * T + t]);
      for (uint64_t t = 0; t < T; ++t)
        sram[2][inst.resultAddress + c * T + t] = line[t];
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
    }
  }
}

} // namespace hpt::systolic
