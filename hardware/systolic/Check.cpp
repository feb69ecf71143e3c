//===- Check.cpp - the rules of the systolic instruction set ---------------===//

#include "hardware/systolic/Check.h"

#include "hardware/Sizes.h"

#include <optional>

namespace hpt::systolic {
namespace {

using hw::checkedAdd;
using hw::checkedMul;

int idx(Buffer b) { return static_cast<int>(b); }

/// Empty when [address, address + words) lies in `capacity` words;
/// nothing for `words` means more than 2^64.
std::string inRange(uint64_t address, std::optional<uint64_t> words, uint64_t capacity,
                    const std::string &what) {
  if (!words)
    return what + " at " + std::to_string(address) + " spans more than 2^64 words";
  if (*words <= capacity && address <= capacity - *words)
    return "";
  std::optional<uint64_t> end = checkedAdd(address, *words);
  return what + " [" + std::to_string(address) + ", " +
         (end ? std::to_string(*end) : "+" + std::to_string(*words)) +
         ") is out of range (capacity " + std::to_string(capacity) + " words)";
}

/// A DRAM tile of rows x cols with row stride `stride` spans
/// (rows - 1)·stride + cols words.
std::optional<uint64_t> tileSpan(const Instruction &inst) {
  std::optional<uint64_t> rowStarts = checkedMul(uint64_t(inst.rows) - 1, inst.stride);
  return rowStarts ? checkedAdd(*rowStarts, inst.cols) : std::nullopt;
}

std::string sram(Buffer b) { return std::string(name(b)) + " SRAM"; }

} // namespace

uint64_t operandTiles(VectorOp op) {
  switch (op) {
  case VectorOp::Add:
  case VectorOp::Mul:
  case VectorOp::ReluGrad:
  case VectorOp::GeluGrad:
  case VectorOp::SoftmaxGrad:
  case VectorOp::LayerNormGrad:
  case VectorOp::Sgd:
    return 1;
  case VectorOp::SgdMomentum:
    return 2;
  case VectorOp::Adam:
    return 3;
  default:
    return 0;
  }
}

uint64_t blockWords(VectorOp op, uint64_t cols) {
  switch (op) {
  case VectorOp::AddRow: return cols;
  case VectorOp::LayerNorm: return 2 * cols;
  case VectorOp::LayerNormGrad: return 3 * cols;
  case VectorOp::Sgd: return kSgdWords;
  case VectorOp::SgdMomentum: return kSgdMomentumWords;
  case VectorOp::Adam: return kAdamWords;
  default: return 0;
  }
}

uint64_t blockPieces(VectorOp op) {
  switch (op) {
  case VectorOp::LayerNorm: return 2;
  case VectorOp::LayerNormGrad: return 3;
  default: return blockWords(op, 1) ? 1 : 0;
  }
}

uint64_t stateTiles(VectorOp op) {
  return op == VectorOp::Adam ? 2 : op == VectorOp::SgdMomentum ? 1 : 0;
}

bool needsFp32(VectorOp op) {
  return op == VectorOp::LayerNormGrad || op == VectorOp::Sgd || op == VectorOp::SgdMomentum ||
         op == VectorOp::Adam;
}

bool writesBlock(VectorOp op) { return op == VectorOp::LayerNormGrad; }

std::string StreamChecker::check(const Instruction &inst) {
  std::string error;
  if (inst.opcode == Opcode::Config)
    error = checkConfig(inst);
  else if (!configured)
    error = "runs before any CONFIG";
  else {
    switch (inst.opcode) {
    case Opcode::MoveIn: error = checkMove(inst, inst.buffer); break;
    case Opcode::MoveOut: error = checkMove(inst, Buffer::Ofmap); break;
    case Opcode::Preload: error = checkPreload(inst); break;
    case Opcode::Compute: error = checkCompute(inst); break;
    case Opcode::Vector: error = checkVector(inst); break;
    case Opcode::Fence:
    case Opcode::Config: break;
    }
  }
  if (error.empty() && inst.opcode != Opcode::Config)
    error = checkReads(inst);
  if (error.empty())
    advance(inst);
  return error;
}

std::string StreamChecker::written(Buffer b, uint64_t at, uint64_t words,
                                   const char *what) const {
  const std::map<uint64_t, uint64_t> &ranges = writtenWords[idx(b)];
  auto it = ranges.upper_bound(at); // the first range starting after `at`
  if (words == 0 || (it != ranges.begin() && std::prev(it)->second >= at + words))
    return "";
  return std::string("reads ") + what + " [" + std::to_string(at) + ", " +
         std::to_string(at + words) + ") of the " + sram(b) +
         ", which the stream has not written";
}

void StreamChecker::markWritten(Buffer b, uint64_t at, uint64_t words) {
  std::map<uint64_t, uint64_t> &ranges = writtenWords[idx(b)];
  uint64_t start = at, end = at + words;
  auto it = ranges.upper_bound(start);
  if (it != ranges.begin() && std::prev(it)->second >= start)
    --it;
  while (it != ranges.end() && it->first <= end) { // merge what touches [start, end)
    start = std::min(start, it->first);
    end = std::max(end, it->second);
    it = ranges.erase(it);
  }
  ranges.emplace(start, end);
}

// The words each instruction reads (its ranges are already checked).
std::string StreamChecker::checkReads(const Instruction &inst) const {
  const uint64_t tile = uint64_t(inst.rows) * inst.cols, T = inst.streamed;
  switch (inst.opcode) {
  case Opcode::MoveOut:
    return written(Buffer::Ofmap, inst.sramAddress, tile, "its tile");
  case Opcode::Preload:
    return written(inst.buffer, inst.sramAddress, tile, "its tile");
  case Opcode::Compute:
    switch (current.dataflow) {
    case Dataflow::OutputStationary: {
      std::string error = written(Buffer::Ifmap, inst.operandAddress[0], inst.rows * T, "ifmap tile");
      return error.empty() ? written(Buffer::Filter, inst.operandAddress[1], T * inst.cols,
                                     "filter tile")
                           : error;
    }
    case Dataflow::WeightStationary:
      return written(Buffer::Ifmap, inst.operandAddress[0], T * inst.rows, "ifmap tile");
    case Dataflow::InputStationary:
      return written(Buffer::Filter, inst.operandAddress[0], inst.rows * T, "filter tile");
    }
    return "";
  case Opcode::Vector: {
    const VectorOp op = inst.vectorOp;
    std::string error = written(Buffer::Ofmap, inst.sramAddress, tile, "its tile");
    if (error.empty())
      error = written(Buffer::Ofmap, inst.operandAddress[0], operandTiles(op) * tile,
                      "operand tiles");
    // Layer norm's gradient with `first` reads gamma only: its sums start at zero.
    const uint64_t block = writesBlock(op) && inst.first ? inst.cols : blockWords(op, inst.cols);
    if (error.empty())
      error = written(Buffer::Ofmap, inst.operandAddress[1], block, "block");
    return error;
  }
  default:
    return "";
  }
}

std::string StreamChecker::finish() const {
  return inFold ? "the stream ends inside a fold (no COMPUTE with last=1)" : "";
}

std::string StreamChecker::checkConfig(const Instruction &inst) const {
  if (inFold)
    return "CONFIG inside a fold";
  if (inst.arrayRows == 0 || inst.arrayCols == 0)
    return "array dimensions must be positive";
  for (int b = 0; b < 3; ++b)
    if (inst.sramWords[b] == 0)
      return sram(static_cast<Buffer>(b)) + " has no capacity";
  return "";
}

std::string StreamChecker::checkMove(const Instruction &inst, Buffer buffer) const {
  if (inst.rows == 0 || inst.cols == 0 || inst.stride < inst.cols)
    return "tile needs rows, cols > 0 and stride >= cols";
  std::string error = inRange(inst.dramAddress, tileSpan(inst), current.dramWords[idx(buffer)],
                              std::string(name(buffer)) + " DRAM tile");
  if (error.empty())
    error = inRange(inst.sramAddress, uint64_t(inst.rows) * inst.cols,
                    current.sramWords[idx(buffer)], sram(buffer) + " tile");
  return error;
}

std::string StreamChecker::checkPreload(const Instruction &inst) const {
  Buffer stationary;
  if (!stationaryBuffer(current.dataflow, stationary))
    return "output-stationary folds have no PRELOAD";
  if (inFold)
    return "PRELOAD inside a fold";
  if (inst.buffer != stationary)
    return std::string("preloads from ") + name(inst.buffer) + ", but the " +
           name(current.dataflow) + " dataflow keeps " + name(stationary) + " stationary";
  if (inst.rows == 0 || inst.cols == 0 || inst.rows > current.arrayRows ||
      inst.cols > current.arrayCols)
    return "tile " + std::to_string(inst.rows) + "x" + std::to_string(inst.cols) +
           " does not fit the " + std::to_string(current.arrayRows) + "x" +
           std::to_string(current.arrayCols) + " array";
  return inRange(inst.sramAddress, uint64_t(inst.rows) * inst.cols,
                 current.sramWords[idx(stationary)], sram(stationary) + " tile");
}

std::string StreamChecker::checkCompute(const Instruction &inst) const {
  const uint64_t R = current.arrayRows, C = current.arrayCols;
  if (inst.rows == 0 || inst.cols == 0 || inst.rows > R || inst.cols > C || inst.streamed == 0)
    return "needs 0 < rows <= " + std::to_string(R) + ", 0 < cols <= " + std::to_string(C) +
           " and stream > 0";
  const bool sameTile = tileRows == inst.rows && tileCols == inst.cols;
  if (inst.first) {
    if (inFold)
      return "first=1 inside an unfinished fold";
    if (current.dataflow != Dataflow::OutputStationary && (!preloaded || !sameTile))
      return "no PRELOAD of a " + std::to_string(inst.rows) + "x" + std::to_string(inst.cols) +
             " tile before this fold";
  } else if (!inFold || !sameTile) {
    return "continues no fold of this shape (missing first=1)";
  }
  return checkComputeOperands(inst);
}

// SCALE-Sim's operand view (Isa.h): OS streams an ifmap rows x T and a filter
// T x cols tile into a rows x cols result; WS streams ifmap T x rows, IS
// filter T x rows, into T x cols results.
std::string StreamChecker::checkComputeOperands(const Instruction &inst) const {
  const uint64_t rows = inst.rows, cols = inst.cols, T = inst.streamed;
  std::optional<uint64_t> rowsT = checkedMul(rows, T), colsT = checkedMul(cols, T);
  const uint64_t *words = current.sramWords;
  std::string error;
  switch (current.dataflow) {
  case Dataflow::OutputStationary:
    error = inRange(inst.operandAddress[0], rowsT, words[0], "ifmap tile");
    if (error.empty())
      error = inRange(inst.operandAddress[1], colsT, words[1], "filter tile");
    if (error.empty())
      error = inRange(inst.resultAddress, rows * cols, words[2], "ofmap tile");
    return error;
  case Dataflow::WeightStationary:
  case Dataflow::InputStationary: {
    bool ws = current.dataflow == Dataflow::WeightStationary;
    error = inRange(inst.operandAddress[0], rowsT, words[ws ? 0 : 1],
                    ws ? "ifmap tile" : "filter tile");
    if (error.empty())
      error = inRange(inst.resultAddress, colsT, words[2], "ofmap tile");
    return error;
  }
  }
  return error;
}

std::string StreamChecker::checkVector(const Instruction &inst) const {
  if (inFold)
    return "VECTOR inside a fold";
  if (inst.rows == 0 || inst.cols == 0)
    return "tile needs rows, cols > 0";
  if (current.element != ElementType::F32 && needsFp32(inst.vectorOp))
    return std::string(name(inst.vectorOp)) + " runs on an fp32 array only";
  const uint64_t capacity = current.sramWords[idx(Buffer::Ofmap)];
  std::string error =
      inRange(inst.sramAddress, uint64_t(inst.rows) * inst.cols, capacity, "ofmap SRAM tile");
  if (uint64_t tiles = operandTiles(inst.vectorOp); error.empty() && tiles)
    error = inRange(inst.operandAddress[0], checkedMul(tiles, uint64_t(inst.rows) * inst.cols),
                    capacity, "ofmap SRAM operand tiles");
  if (uint64_t block = blockWords(inst.vectorOp, inst.cols); error.empty() && block)
    error = inRange(inst.operandAddress[1], block, capacity, "ofmap SRAM block");
  return error;
}

void StreamChecker::advance(const Instruction &inst) {
  switch (inst.opcode) {
  case Opcode::Config:
    current = inst;
    configured = true;
    preloaded = false;
    for (auto &ranges : writtenWords)
      ranges.clear();
    return;
  case Opcode::MoveIn:
    markWritten(inst.buffer, inst.sramAddress, uint64_t(inst.rows) * inst.cols);
    return;
  case Opcode::Vector:
    markWritten(Buffer::Ofmap, inst.sramAddress, uint64_t(inst.rows) * inst.cols);
    if (writesBlock(inst.vectorOp))
      markWritten(Buffer::Ofmap, inst.operandAddress[1] + inst.cols, 2 * uint64_t(inst.cols));
    return;
  case Opcode::Preload:
    preloaded = true;
    tileRows = inst.rows;
    tileCols = inst.cols;
    return;
  case Opcode::Compute:
    if (current.dataflow != Dataflow::OutputStationary)
      markWritten(Buffer::Ofmap, inst.resultAddress, inst.streamed * inst.cols);
    else if (inst.last)
      markWritten(Buffer::Ofmap, inst.resultAddress, uint64_t(inst.rows) * inst.cols);
    if (inst.first) {
      inFold = true;
      tileRows = inst.rows;
      tileCols = inst.cols;
    }
    if (inst.last)
      inFold = preloaded = false;
    return;
  default:
    return;
  }
}

} // namespace hpt::systolic
