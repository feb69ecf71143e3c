//===- IsaOps.cpp - sa ops <-> simulator instructions ---------------------===//

#include "hpt/Systolic/IsaOps.h"

using namespace mlir;
namespace isa = hpt::systolic;

namespace hpt {

namespace {
// The dialect's enums and the simulator's list their cases in the same order.
sa::Dataflow toOp(isa::Dataflow flow) { return static_cast<sa::Dataflow>(flow); }
isa::Dataflow toIsa(sa::Dataflow flow) { return static_cast<isa::Dataflow>(flow); }
sa::Buffer toOp(isa::Buffer buffer) { return static_cast<sa::Buffer>(buffer); }
isa::Buffer toIsa(sa::Buffer buffer) { return static_cast<isa::Buffer>(buffer); }
sa::ElementType toOp(isa::ElementType element) {
  return static_cast<sa::ElementType>(element);
}
isa::ElementType toIsa(sa::ElementType element) {
  return static_cast<isa::ElementType>(element);
}
sa::VectorKind toOp(isa::VectorOp op) { return static_cast<sa::VectorKind>(op); }
isa::VectorOp toIsa(sa::VectorKind kind) { return static_cast<isa::VectorOp>(kind); }

isa::Instruction tile(isa::Opcode opcode, uint64_t sram, uint32_t rows, uint32_t cols) {
  isa::Instruction i;
  i.opcode = opcode;
  i.sramAddress = sram;
  i.rows = rows;
  i.cols = cols;
  return i;
}

isa::Instruction instructionOf(Operation &op) {
  if (auto config = dyn_cast<sa::ConfigOp>(op)) {
    isa::Instruction i;
    i.opcode = isa::Opcode::Config;
    i.dataflow = toIsa(config.getDataflow());
    i.element = toIsa(config.getElement());
    i.arrayRows = config.getRows();
    i.arrayCols = config.getCols();
    i.sramWords[0] = config.getIfmapWords();
    i.sramWords[1] = config.getFilterWords();
    i.sramWords[2] = config.getOfmapWords();
    i.dramWords[0] = config.getIfmapDramWords();
    i.dramWords[1] = config.getFilterDramWords();
    i.dramWords[2] = config.getOfmapDramWords();
    i.bandwidth = config.getBandwidth();
    return i;
  }
  if (auto move = dyn_cast<sa::MoveInOp>(op)) {
    isa::Instruction i = tile(isa::Opcode::MoveIn, move.getSram(), move.getRows(), move.getCols());
    i.buffer = toIsa(move.getBuffer());
    i.dramAddress = move.getDram();
    i.stride = move.getStride();
    return i;
  }
  if (auto move = dyn_cast<sa::MoveOutOp>(op)) {
    isa::Instruction i = tile(isa::Opcode::MoveOut, move.getSram(), move.getRows(), move.getCols());
    i.buffer = isa::Buffer::Ofmap;
    i.dramAddress = move.getDram();
    i.stride = move.getStride();
    i.accumulate = move.getAccumulate();
    return i;
  }
  if (auto preload = dyn_cast<sa::PreloadOp>(op)) {
    isa::Instruction i =
        tile(isa::Opcode::Preload, preload.getSram(), preload.getRows(), preload.getCols());
    i.buffer = toIsa(preload.getBuffer());
    return i;
  }
  if (auto compute = dyn_cast<sa::ComputeOp>(op)) {
    isa::Instruction i = tile(isa::Opcode::Compute, 0, compute.getRows(), compute.getCols());
    i.streamed = compute.getStreamed();
    i.operandAddress[0] = compute.getStreamedAddress();
    i.operandAddress[1] = compute.getStationaryAddress();
    i.resultAddress = compute.getResult();
    i.first = compute.getFirst();
    i.last = compute.getLast();
    return i;
  }
  if (auto vector = dyn_cast<sa::VectorOp>(op)) {
    isa::Instruction i = tile(isa::Opcode::Vector, vector.getSram(), vector.getRows(), vector.getCols());
    i.vectorOp = toIsa(vector.getKind());
    i.operandAddress[0] = vector.getSource2();
    i.scalar = vector.getScalar().convertToFloat();
    return i;
  }
  return isa::Instruction{}; // sa.fence
}
} // namespace

void emitInstruction(OpBuilder &b, Location loc, const isa::Instruction &i) {
  switch (i.opcode) {
  case isa::Opcode::Config:
    sa::ConfigOp::create(b, loc, toOp(i.dataflow), i.arrayRows, i.arrayCols, i.sramWords[0],
                         i.sramWords[1], i.sramWords[2], i.dramWords[0], i.dramWords[1],
                         i.dramWords[2], toOp(i.element), i.bandwidth);
    return;
  case isa::Opcode::MoveIn:
    sa::MoveInOp::create(b, loc, toOp(i.buffer), i.dramAddress, i.sramAddress, i.rows, i.cols,
                         i.stride);
    return;
  case isa::Opcode::MoveOut:
    sa::MoveOutOp::create(b, loc, i.dramAddress, i.sramAddress, i.rows, i.cols, i.stride,
                          i.accumulate);
    return;
  case isa::Opcode::Preload:
    sa::PreloadOp::create(b, loc, toOp(i.buffer), i.sramAddress, i.rows, i.cols);
    return;
  case isa::Opcode::Compute:
    sa::ComputeOp::create(b, loc, i.streamed, i.rows, i.cols, i.operandAddress[0],
                          i.operandAddress[1], i.resultAddress, i.first, i.last);
    return;
  case isa::Opcode::Vector:
    sa::VectorOp::create(b, loc, toOp(i.vectorOp), i.sramAddress, i.rows, i.cols,
                         i.operandAddress[0], llvm::APFloat(i.scalar));
    return;
  case isa::Opcode::Fence:
    sa::FenceOp::create(b, loc);
    return;
  }
}

isa::Stream instructionsOf(sa::StreamOp stream) {
  isa::Stream result;
  for (Operation &op : stream.getBody().front())
    result.instructions.push_back(instructionOf(op));
  return result;
}

} // namespace hpt
