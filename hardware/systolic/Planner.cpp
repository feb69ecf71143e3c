//===- Planner.cpp - GEMMs and vector work as systolic streams -------------===//

#include "hardware/systolic/Planner.h"

#include "hardware/systolic/Check.h"

#include <algorithm>
#include <array>

namespace hpt::systolic {
namespace {

/// ⌈a / b⌉ for b > 0, without the overflow of (a + b - 1) / b.
unsigned __int128 ceilDiv(uint64_t a, uint64_t b) { return a / b + (a % b != 0); }

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
    i.buffer = Buffer::Ofmap;
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
/// A vector-unit pass over a rows x cols tensor in the ofmap DRAM region,
/// followed there by the op's operand tensors (operandTiles of them, same
/// shape) and its block (blockWords: gamma and beta, a bias, coefficients).
/// The block stays at the start of the ofmap SRAM; the rows stream through
/// the two halves of the rest in chunks, a chunk's operand tiles right after
/// its tile.
struct RowPass {
  VectorOp op;
  float scalar;
  uint64_t rows, cols;
  uint64_t tiles() const { return operandTiles(op); }
  uint64_t block() const { return blockWords(op, cols); }
};

/// Rows per chunk (a chunk and its operand tiles fill half of what the
/// block leaves), or why not even one row fits.
hw::Expected<uint64_t> chunkRows(const RowPass &pass, const Machine &machine) {
  const uint64_t block = pass.block();
  const uint64_t capacity = machine.sramWords[static_cast<int>(Buffer::Ofmap)];
  const uint64_t half = (capacity > block ? (capacity - block) / 2 : 0) / (1 + pass.tiles());
  if (pass.cols > half)
    return hw::fail("a " + std::to_string(pass.cols) + "-word row" +
                    (pass.tiles() ? " (and one of each operand tile)" : "") +
                    " does not fit half of the ofmap SRAM (" + std::to_string(half) +
                    " words per row after a " + std::to_string(block) + "-word block)");
  return half / pass.cols;
}

/// Instructions appendRowPass emits.
unsigned __int128 rowPassInstructions(const RowPass &pass, uint64_t chunk) {
  const unsigned __int128 chunks = ceilDiv(pass.rows, chunk);
  return (pass.block() ? 1 : 0) + (writesBlock(pass.op) ? 1 : 0) +
         chunks * (3 + pass.tiles() + stateTiles(pass.op));
}

void appendRowPass(Builder &b, const RowPass &pass, uint64_t chunk) {
  const uint64_t elements = pass.rows * pass.cols, tiles = pass.tiles(), block = pass.block();
  const uint64_t blockAt = (1 + tiles) * elements; // in DRAM
  // Layer norm's gradient reads gamma only: its sums start from zero.
  const uint64_t blockRead = writesBlock(pass.op) ? pass.cols : block;
  if (block)
    b.moveIn(Buffer::Ofmap, blockAt, 1, blockRead, blockRead, 0);
  b.sram[2] = PingPong{(1 + tiles) * chunk * pass.cols, 0};
  // Steps are clamped to what is left, so no index wraps around.
  for (uint64_t r0 = 0; r0 < pass.rows; r0 += std::min(chunk, pass.rows - r0)) {
    const uint64_t rows = std::min(chunk, pass.rows - r0), words = rows * pass.cols;
    const uint64_t at = block + b.sram[2].next();
    for (uint64_t k = 0; k <= tiles; ++k)
      b.moveIn(Buffer::Ofmap, k * elements + r0 * pass.cols, rows, pass.cols, pass.cols,
               at + k * words);
    Instruction op;
    op.opcode = Opcode::Vector;
    op.vectorOp = pass.op;
    op.sramAddress = at;
    op.rows = rows;
    op.cols = pass.cols;
    op.operandAddress[0] = tiles ? at + words : 0;
    op.operandAddress[1] = 0;
    op.first = r0 == 0 && writesBlock(pass.op);
    op.scalar = pass.scalar;
    b.stream.instructions.push_back(op);
    b.moveOut(r0 * pass.cols, rows, pass.cols, pass.cols, at, false);
    for (uint64_t k = tiles + 1 - stateTiles(pass.op); k <= tiles && stateTiles(pass.op); ++k)
      b.moveOut(k * elements + r0 * pass.cols, rows, pass.cols, pass.cols, at + k * words,
                false);
  }
  if (writesBlock(pass.op)) // layer norm's gradient: dgamma and dbeta follow gamma
    b.moveOut(blockAt + pass.cols, 1, 2 * pass.cols, 2 * pass.cols, pass.cols, false);
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
RowPass biasPass(const GemmShape &gemm) { return {VectorOp::AddRow, 0, gemm.M, gemm.N}; }

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
    for (uint64_t c0 = 0; c0 < Sc; c0 += std::min(C, Sc - c0)) {
      for (uint64_t r0 = 0; r0 < Sr; r0 += std::min(R, Sr - r0)) {
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
        for (uint64_t t0 = 0; t0 < T; t0 += std::min(chunk, T - t0)) {
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
  if (gemm.bias) // planGemm checked that its rows fit
    appendRowPass(b, biasPass(gemm), *chunkRows(biasPass(gemm), machine));
  return b.stream;
}

/// The instructions of the stream of `gemm`, as lowerGemm emits them: per
/// fold, the stationary moves (WS, IS: MOVEIN and PRELOAD; OS: the final
/// MOVEOUT) and three per chunk; folds come in at most four shapes (full or
/// ragged rows and columns). Zero when a fold's tile does not fit (the
/// lowering then reports that).
unsigned __int128 instructionCount(const GemmShape &gemm, const Machine &machine) {
  using Wide = unsigned __int128;
  const auto [Sr, Sc, T] = operandView(gemm, machine.dataflow);
  const uint64_t R = machine.arrayRows, C = machine.arrayCols;
  const uint64_t rowShapes[2][2] = {{R, Sr / R}, {Sr % R, uint64_t(Sr % R ? 1 : 0)}};
  const uint64_t colShapes[2][2] = {{C, Sc / C}, {Sc % C, uint64_t(Sc % C ? 1 : 0)}};
  const Wide stationary = machine.dataflow == Dataflow::OutputStationary ? 1 : 2;
  Wide perBatch = 0;
  for (const auto &[rows, rowFolds] : rowShapes)
    for (const auto &[cols, colFolds] : colShapes) {
      if (rowFolds == 0 || colFolds == 0)
        continue;
      const uint64_t chunk = chunkLines(machine, rows, cols);
      if (chunk == 0)
        return 0;
      perBatch += Wide(rowFolds) * colFolds * (stationary + 3 * ceilDiv(T, chunk));
    }
  Wide bias = 0;
  if (gemm.bias) // planGemm checked that its rows fit
    bias = rowPassInstructions(biasPass(gemm), *chunkRows(biasPass(gemm), machine));
  return 1 + Wide(std::max<uint64_t>(gemm.batch, 1)) * perBatch + bias;
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
  if (gemm.bias)
    if (hw::Expected<uint64_t> chunk = chunkRows(biasPass(gemm), machine); !chunk)
      return hw::fail(chunk.error());
  const Wide instructions = instructionCount(gemm, machine);
  if (instructions * sizeof(Instruction) > maxStreamBytes)
    return hw::fail("the stream would hold " +
                    (instructions > UINT64_MAX ? std::string("2^64")
                                               : std::to_string(uint64_t(instructions))) +
                    " instructions, more than the limit of " + std::to_string(maxStreamBytes) +
                    " bytes allows");
  return lowerGemm(gemm, machine);
}

Plan planVector(const VectorShape &v, const Machine &machine, uint64_t maxStreamBytes) {
  if (v.rows == 0 || v.cols == 0 || machine.arrayRows == 0 || machine.arrayCols == 0)
    return hw::fail("dimensions and array size must be positive");
  const RowPass pass{v.op, v.scalar, v.rows, v.cols};
  if (v.op == VectorOp::AddRow)
    return hw::fail("add_row is planned as a linear layer's bias (planGemm)");
  hw::Expected<uint64_t> chunk = chunkRows(pass, machine);
  if (!chunk)
    return hw::fail(chunk.error());
  using Wide = unsigned __int128;
  const Wide words = Wide(v.rows) * v.cols * (1 + pass.tiles()) + pass.block();
  if (words > UINT64_MAX)
    return hw::fail("the tensors have more elements than fit 64 bits");
  const Wide instructions = 1 + rowPassInstructions(pass, *chunk);
  if (instructions * sizeof(Instruction) > maxStreamBytes)
    return hw::fail("the stream would hold " + std::to_string(uint64_t(instructions)) +
                    " instructions, more than the limit of " + std::to_string(maxStreamBytes) +
                    " bytes allows");
  Builder b;
  // The vector unit reads neither ifmap nor filter DRAM (one word each).
  b.stream.instructions.push_back(configFor(machine, {1, 1, uint64_t(words)}));
  appendRowPass(b, pass, *chunk);
  return b.stream;
}

std::vector<Slot> planSlots(const PlanSpec &spec) {
  if (const auto *g = std::get_if<GemmShape>(&spec)) {
    const uint64_t batch = std::max<uint64_t>(g->batch, 1);
    std::vector<Slot> slots = {{Buffer::Ifmap, 0, batch * g->M * g->K},
                               {Buffer::Filter, 0, batch * g->K * g->N},
                               {Buffer::Ofmap, 0, batch * g->M * g->N}};
    if (g->bias)
      slots.push_back({Buffer::Ofmap, g->M * g->N, g->N});
    return slots;
  }
  const auto &v = std::get<VectorShape>(spec);
  const uint64_t elements = v.rows * v.cols, tiles = operandTiles(v.op);
  std::vector<Slot> slots;
  for (uint64_t k = 0; k <= tiles; ++k)
    slots.push_back({Buffer::Ofmap, k * elements, elements});
  const uint64_t pieces = blockPieces(v.op);
  for (uint64_t k = 0; k < pieces; ++k) {
    const uint64_t words = blockWords(v.op, v.cols) / pieces;
    slots.push_back({Buffer::Ofmap, (1 + tiles) * elements + k * words, words});
  }
  return slots;
}

Machine machineOf(const Instruction &config) {
  Machine machine;
  machine.dataflow = config.dataflow;
  machine.element = config.element;
  machine.arrayRows = config.arrayRows;
  machine.arrayCols = config.arrayCols;
  for (int i = 0; i < 3; ++i)
    machine.sramWords[i] = config.sramWords[i];
  return machine;
}

Plan planOf(const PlanSpec &spec, const Machine &machine, uint64_t maxStreamBytes) {
  if (const auto *gemm = std::get_if<GemmShape>(&spec))
    return planGemm(*gemm, machine, maxStreamBytes);
  return planVector(std::get<VectorShape>(spec), machine, maxStreamBytes);
}

} // namespace hpt::systolic
