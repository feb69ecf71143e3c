//===- IsaOps.cpp - sa ops <-> simulator instructions ---------------------===//

#include "hpt/Systolic/IsaOps.h"

using namespace mlir;
namespace isa = hpt::systolic;

namespace hpt {

using sa::toIsa;
using sa::toOp;

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
                         i.operandAddress[0], i.operandAddress[1], i.first,
                         llvm::APFloat(i.scalar));
    return;
  case isa::Opcode::Fence:
    sa::FenceOp::create(b, loc);
    return;
  }
}

isa::Stream instructionsOf(sa::StreamOp stream) {
  isa::Stream result;
  for (Operation &op : stream.getBody().front())
    result.instructions.push_back(sa::instructionOf(op));
  return result;
}

} // namespace hpt
