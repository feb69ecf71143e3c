//===- Planner.cpp - GEMMs and vector work as systolic streams -------------===//

#include "hardware/systolic/Planner.h"

#include "hardware/systolic/Check.h"

#include <algorithm>
#include <array>

namespace hpt::systolic {
namespace {

/// Hands out the two halves of one SRAM in turn, so the next tile loads
/// while the array works on the current one.
struct PingPong {
  uint64_t half = 0;
  uint64_t turn = 0;
  uint64_t next() { return (turn++ % 2) * half; }
};

/// The CONFIG of `machine` with the given DRAM regions (ifmap, filter, ofmap).
Instruction configFor(const Machine &machine, const std::array<uint64_t, 3> &dramWords) {
  Instruction config;
  config.opcode = Opcode::Config;
  config.dataflow = machine.dataflow;
  config.element = machine.element;
  config.arrayRows = machine.arrayRows;
  config.arrayCols = machine.arrayCols;
  for (int i = 0; i < 3; ++i) {
    config.sramWords[i] = machine.sramWords[i];
    config.dramWords[i] = dramWords[i];
  }
  return config;
}

struct Builder {
  Stream stream;
  PingPong sram[3];
  uint64_t dramBase[3] = {0, 0, 0}; ///< the current batch element's DRAM offsets

  void moveIn(Buffer b, uint64_t dram, uint64_t rows, uint64_t cols, uint64_t stride,
              uint64_t sramAddress) {
    Instruction i;
    i.opcode = Opcode::MoveIn;
    i.buffer = b;
    i.dramAddress = dramBase[static_cast<int>(b)] + dram;
    i.sramAddress = sramAddress;
    i.rows = rows;
    i.cols = cols;
    i.stride = stride;
    stream.instructions.push_back(i);
  }
  void moveOut(uint64_t dram, uint64_t rows, uint64_t cols, uint64_t stride,
               uint64_t sramAddress, bool accumulate) {
    Instruction i;
    i.opcode = Opcode::MoveOut;
    i.dramAddress = dramBase[static_cast<int>(Buffer::Ofmap)] + dram;
    i.sramAddress = sramAddress;
    i.rows = rows;
    i.cols = cols;
    i.stride = stride;
    i.accumulate = accumulate;
    stream.instructions.push_back(i);
  }
  void preload(Buffer b, uint64_t sramAddress, uint64_t rows, uint64_t cols) {
    Instruction i;
    i.opcode = Opcode::Preload;
    i.buffer = b;
    i.sramAddress = sramAddress;
    i.rows = rows;
    i.cols = cols;
    stream.instructions.push_back(i);
  }
  void compute(uint64_t T, uint64_t rows, uint64_t cols, uint64_t op0, uint64_t op1,
               uint64_t result, bool first, bool last) {
    Instruction i;
    i.opcode = Opcode::Compute;
    i.streamed = T;
    i.rows = rows;
    i.cols = cols;
    i.operandAddress[0] = op0;
    i.operandAddress[1] = op1;
    i.resultAddress = result;
    i.first = first;
    i.last = last;
    stream.instructions.push_back(i);
  }
};

} // namespace

namespace {
/// A vector-unit pass over rows x cols ofmap DRAM words, which stream through
/// the halves of the ofmap SRAM in chunks after `operandRows` rows of a second
/// operand (layer norm's gamma and beta, a bias): that operand follows the
/// tensor in DRAM and stays at the start of the SRAM.
struct RowPass {
  VectorOp op;
  float scalar;
  uint64_t rows, cols, operandRows;
};

/// Rows per chunk (a chunk fills half of what the operand leaves; a binary
/// op's chunk holds both tiles), or why not even one row fits.
hw::Expected<uint64_t> chunkRows(const RowPass &pass, const Machine &machine) {
  const uint64_t operand = pass.operandRows * pass.cols;
  const uint64_t capacity = machine.sramWords[static_cast<int>(Buffer::Ofmap)];
  const uint64_t half =
      (capacity > operand ? (capacity - operand) / 2 : 0) / (isBinary(pass.op) ? 2 : 1);
  if (pass.cols > half)
    return hw::fail("a " + std::to_string(pass.cols) +
                    "-word row does not fit half of the ofmap SRAM (" + std::to_string(half) +
                    " words after " + std::to_string(operand) + " for " +
                    (pass.op == VectorOp::AddRow ? "the bias" : "gamma and beta") + ")");
  return half / pass.cols;
}

/// Instructions appendRowPass emits.
unsigned __int128 rowPassInstructions(const RowPass &pass, uint64_t chunk) {
  return (pass.operandRows ? 1 : 0) + (isBinary(pass.op) ? 4 : 3) *
                                          ((unsigned __int128)(pass.rows + chunk - 1) / chunk);
}

/// A binary op's second tensor follows the first in the ofmap region; each
/// chunk of it sits right after the chunk of the first in the SRAM.
void appendRowPass(Builder &b, const RowPass &pass, uint64_t chunk) {
  const uint64_t operand = pass.operandRows * pass.cols;
  const bool binary = isBinary(pass.op);
  const uint64_t elements = pass.rows * pass.cols;
  if (operand)
    b.moveIn(Buffer::Ofmap, elements, pass.operandRows, pass.cols, pass.cols, 0);
  b.sram[2] = PingPong{(binary ? 2 : 1) * chunk * pass.cols, 0};
  for (uint64_t r0 = 0; r0 < pass.rows; r0 += chunk) {
    const uint64_t rows = std::min(chunk, pass.rows - r0);
    const uint64_t at = operand + b.sram[2].next();
    b.moveIn(Buffer::Ofmap, r0 * pass.cols, rows, pass.cols, pass.cols, at);
    if (binary)
      b.moveIn(Buffer::Ofmap, elements + r0 * pass.cols, rows, pass.cols, pass.cols,
               at + chunk * pass.cols);
    Instruction op;
    op.opcode = Opcode::Vector;
    op.vectorOp = pass.op;
    op.sramAddress = at;
    op.rows = rows;
    op.cols = pass.cols;
    // The second operand: a binary op's tile, or the rows at the SRAM's start.
    op.operandAddress[0] = binary ? at + chunk * pass.cols : 0;
    op.scalar = pass.scalar;
    b.stream.instructions.push_back(op);
    b.moveOut(r0 * pass.cols, rows, pass.cols, pass.cols, at, false);
  }
}

} // namespace

namespace {
/// The operand view of a GEMM (Isa.h): S_r x S_c elements mapped on the
/// array, T lines streamed through it.
struct OperandView {
  uint64_t Sr, Sc, T;
};

OperandView operandView(const GemmShape &gemm, Dataflow df) {
  return {df == Dataflow::OutputStationary ? gemm.M : gemm.K,
          df == Dataflow::InputStationary ? gemm.M : gemm.N,
          df == Dataflow::OutputStationary   ? gemm.K
          : df == Dataflow::WeightStationary ? gemm.M
                                             : gemm.N};
}

/// How many streamed lines of a rows x cols fold fit half of each SRAM a
/// chunk uses (0: not even one).
uint64_t chunkLines(const Machine &machine, uint64_t rows, uint64_t cols) {
  const uint64_t halfIf = machine.sramWords[0] / 2, halfFi = machine.sramWords[1] / 2,
                 halfOf = machine.sramWords[2] / 2;
  switch (machine.dataflow) {
  case Dataflow::OutputStationary:
    return std::min(halfIf / rows, halfFi / cols);
  case Dataflow::WeightStationary:
    return std::min(halfIf / rows, halfOf / cols);
  case Dataflow::InputStationary:
    return std::min(halfFi / rows, halfOf / cols);
  }
  return 0;
}

/// The vector pass that adds a linear layer's bias to its M x N result.
RowPass biasPass(const GemmShape &gemm) { return {VectorOp::AddRow, 0, gemm.M, gemm.N, 1}; }

hw::Expected<Stream> lowerGemm(const GemmShape &gemm, const Machine &machine) {
  const uint64_t M = gemm.M, N = gemm.N, K = gemm.K;
  const uint64_t R = machine.arrayRows, C = machine.arrayCols;
  const Dataflow df = machine.dataflow;
  Builder b;
  const uint64_t batch = std::max<uint64_t>(gemm.batch, 1);
  // A bias row follows the result in the ofmap region.
  b.stream.instructions.push_back(
      configFor(machine, {batch * M * K, batch * K * N, batch * M * N + (gemm.bias ? N : 0)}));
  for (int i = 0; i < 3; ++i)
    b.sram[i].half = machine.sramWords[i] / 2;

  const auto [Sr, Sc, T] = operandView(gemm, df);
  const uint64_t halfIf = b.sram[0].half, halfFi = b.sram[1].half, halfOf = b.sram[2].half;
  auto tooBig = [&](const char *sramName, uint64_t need, uint64_t half) {
    return hw::fail("a " + std::to_string(need) + "-word tile does not fit half of the " +
                      sramName + " SRAM (" + std::to_string(half) + " words of " +
                      std::to_string(2 * half) + ")");
  };

  // Batched GEMMs run one after the other, each on its own slice of DRAM.
  for (uint64_t item = 0; item < batch; ++item) {
    b.dramBase[0] = item * M * K;
    b.dramBase[1] = item * K * N;
    b.dramBase[2] = item * M * N;
    for (uint64_t c0 = 0; c0 < Sc; c0 += C) {
      for (uint64_t r0 = 0; r0 < Sr; r0 += R) {
        const uint64_t rows = std::min(R, Sr - r0), cols = std::min(C, Sc - c0);
        const uint64_t chunk = chunkLines(machine, rows, cols);
        if (df == Dataflow::OutputStationary) {
          if (rows * cols > halfOf) return tooBig("ofmap", rows * cols, halfOf);
          if (chunk == 0) return tooBig(halfIf / rows == 0 ? "ifmap" : "filter", std::max(rows, cols), std::min(halfIf, halfFi));
        } else {
          bool ws = df == Dataflow::WeightStationary;
          uint64_t stationaryHalf = ws ? halfFi : halfIf, streamHalf = ws ? halfIf : halfFi;
          if (rows * cols > stationaryHalf)
            return tooBig(ws ? "filter" : "ifmap", rows * cols, stationaryHalf);
          if (chunk == 0) return tooBig(streamHalf / rows == 0 ? (ws ? "ifmap" : "filter") : "ofmap",
                                       std::max(rows, cols), std::min(streamHalf, halfOf));
          uint64_t at = b.sram[ws ? 1 : 0].next();
          if (ws) // filter[K-range, N-range]
            b.moveIn(Buffer::Filter, r0 * N + c0, rows, cols, N, at);
          else // ifmap[M-range, K-range]: cols x rows
            b.moveIn(Buffer::Ifmap, c0 * K + r0, cols, rows, K, at);
          b.preload(ws ? Buffer::Filter : Buffer::Ifmap, at, rows, cols);
        }
        uint64_t ofmapAt = 0;
        for (uint64_t t0 = 0; t0 < T; t0 += chunk) {
          const uint64_t tc = std::min(chunk, T - t0);
          const bool first = t0 == 0, last = t0 + tc == T;
          switch (df) {
          case Dataflow::OutputStationary: {
            uint64_t ifAt = b.sram[0].next(), fiAt = b.sram[1].next();
            b.moveIn(Buffer::Ifmap, r0 * K + t0, rows, tc, K, ifAt);
            b.moveIn(Buffer::Filter, t0 * N + c0, tc, cols, N, fiAt);
            if (first) ofmapAt = b.sram[2].next();
            b.compute(tc, rows, cols, ifAt, fiAt, ofmapAt, first, last);
            if (last) b.moveOut(r0 * N + c0, rows, cols, N, ofmapAt, false);
            break;
          }
          case Dataflow::WeightStationary: {
            uint64_t ifAt = b.sram[0].next(), ofAt = b.sram[2].next();
            b.moveIn(Buffer::Ifmap, t0 * K + r0, tc, rows, K, ifAt);
            b.compute(tc, rows, cols, ifAt, 0, ofAt, first, last);
            // Row folds split K: later ones add their partial sums in DRAM.
            b.moveOut(t0 * N + c0, tc, cols, N, ofAt, r0 > 0);
            break;
          }
          case Dataflow::InputStationary: {
            uint64_t fiAt = b.sram[1].next(), ofAt = b.sram[2].next();
            b.moveIn(Buffer::Filter, r0 * N + t0, rows, tc, N, fiAt);
            b.compute(tc, rows, cols, fiAt, 0, ofAt, first, last);
            b.moveOut(c0 * N + t0, cols, tc, N, ofAt, r0 > 0);
            break;
          }
          }
        }
      }
    }
  }
  if (gemm.bias) {
    const RowPass pass = biasPass(gemm);
    hw::Expected<uint64_t> chunk = chunkRows(pass, machine);
    if (!chunk)
      return hw::fail(chunk.error());
    appendRowPass(b, pass, *chunk);
  }
  return b.stream;
}

/// At least as many instructions as the stream of `gemm` will hold (exact
/// when no fold is ragged): folds x (stationary moves + chunks x per-chunk
/// moves), as lowerGemm emits them. Zero when the first fold's
/// tile does not fit (the lowering then reports that).
unsigned __int128 instructionBound(const GemmShape &gemm, const Machine &machine) {
  const auto [Sr, Sc, T] = operandView(gemm, machine.dataflow);
  // The first fold is the widest, so its chunks are the shortest.
  const uint64_t chunk = chunkLines(machine, std::min<uint64_t>(machine.arrayRows, Sr),
                                    std::min<uint64_t>(machine.arrayCols, Sc));
  if (chunk == 0)
    return 0;
  using Wide = unsigned __int128;
  const Wide folds = Wide((Sr + machine.arrayRows - 1) / machine.arrayRows) *
                     ((Sc + machine.arrayCols - 1) / machine.arrayCols);
  const Wide chunks = (T + chunk - 1) / chunk;
  const Wide perFold = 2 + 3 * chunks; // OS: MOVEOUT per fold; WS/IS: MOVEIN + PRELOAD
  const Wide bias = gemm.bias ? rowPassInstructions(biasPass(gemm), 1) : 0;
  return 1 + Wide(std::max<uint64_t>(gemm.batch, 1)) * folds * perFold + bias;
}
} // namespace

Plan planGemm(const GemmShape &gemm, const Machine &machine, uint64_t maxStreamBytes) {
  if (gemm.M == 0 || gemm.N == 0 || gemm.K == 0 || machine.arrayRows == 0 ||
      machine.arrayCols == 0)
    return hw::fail("dimensions and array size must be positive");
  if (gemm.bias && gemm.batch > 1)
    return hw::fail("a bias is added to single products only");
  using Wide = unsigned __int128;
  const Wide batch = std::max<uint64_t>(gemm.batch, 1);
  for (Wide words : {batch * gemm.M * gemm.K, batch * gemm.K * gemm.N, batch * gemm.M * gemm.N + gemm.N})
    if (words > UINT64_MAX)
      return hw::fail("the operands have more elements than fit 64 bits");
  const Wide instructions = instructionBound(gemm, machine);
  if (instructions * sizeof(Instruction) > maxStreamBytes)
    return hw::fail("the stream would hold at least " +
                    (instructions > UINT64_MAX ? std::string("2^64")
                                               : std::to_string(uint64_t(instructions))) +
                    " instructions, more than the limit of " + std::to_string(maxStreamBytes) +
                    " bytes allows");
  return lowerGemm(gemm, machine);
}

Plan planVector(const VectorShape &v, const Machine &machine, uint64_t maxStreamBytes) {
  if (v.rows == 0 || v.cols == 0 || machine.arrayRows == 0 || machine.arrayCols == 0)
    return hw::fail("dimensions and array size must be positive");
  const RowPass pass{v.op, v.scalar, v.rows, v.cols, v.op == VectorOp::LayerNorm ? 2u : 0u};
  if (v.op == VectorOp::AddRow)
    return hw::fail("add_row is planned as a linear layer's bias (planGemm)");
  hw::Expected<uint64_t> chunk = chunkRows(pass, machine);
  if (!chunk)
    return hw::fail(chunk.error());
  using Wide = unsigned __int128;
  const Wide tensors = Wide(v.rows) * v.cols * (isBinary(v.op) ? 2 : 1);
  if (tensors + pass.operandRows * v.cols > UINT64_MAX)
    return hw::fail("the tensor has more elements than fit 64 bits");
  const Wide instructions = 1 + rowPassInstructions(pass, *chunk);
  if (instructions * sizeof(Instruction) > maxStreamBytes)
    return hw::fail("the stream would hold " + std::to_string(uint64_t(instructions)) +
                    " instructions, more than the limit of " + std::to_string(maxStreamBytes) +
                    " bytes allows");
  Builder b;
  // The vector unit reads neither ifmap nor filter DRAM (one word each).
  b.stream.instructions.push_back(configFor(
      machine, {1, 1, uint64_t(tensors) + pass.operandRows * v.cols}));
  appendRowPass(b, pass, *chunk);
  return b.stream;
}

} // namespace hpt::systolic
