//===- SaDialect.cpp - the systolic-array instruction dialect -------------===//

#include "dialects/sa/SaIsa.h"

#include "hardware/systolic/Check.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace hpt::sa;
namespace systolic = hpt::systolic;

#include "dialects/sa/SaDialect.cpp.inc"
#include "dialects/sa/SaEnums.cpp.inc"

#define GET_ATTRDEF_CLASSES
#include "dialects/sa/SaAttrs.cpp.inc"

void SaDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "dialects/sa/SaOps.cpp.inc"
      >();
  addAttributes<
#define GET_ATTRDEF_LIST
#include "dialects/sa/SaAttrs.cpp.inc"
      >();
}

//===----------------------------------------------------------------------===//
// Streams: each op read as its instruction and checked by the instruction
// set's one rule (hardware/systolic/Check.h), the rule the simulator applies.
//===----------------------------------------------------------------------===//

namespace {
systolic::Instruction tile(systolic::Opcode opcode, uint64_t sram, uint32_t rows, uint32_t cols) {
  systolic::Instruction i;
  i.opcode = opcode;
  i.sramAddress = sram;
  i.rows = rows;
  i.cols = cols;
  return i;
}

} // namespace

systolic::Instruction hpt::sa::instructionOf(Operation &op) {
  if (auto config = dyn_cast<ConfigOp>(op)) {
    systolic::Instruction i;
    i.opcode = systolic::Opcode::Config;
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
  if (auto move = dyn_cast<MoveInOp>(op)) {
    systolic::Instruction i = tile(systolic::Opcode::MoveIn, move.getSram(), move.getRows(), move.getCols());
    i.buffer = toIsa(move.getBuffer());
    i.dramAddress = move.getDram();
    i.stride = move.getStride();
    return i;
  }
  if (auto move = dyn_cast<MoveOutOp>(op)) {
    systolic::Instruction i = tile(systolic::Opcode::MoveOut, move.getSram(), move.getRows(), move.getCols());
    i.buffer = systolic::Buffer::Ofmap;
    i.dramAddress = move.getDram();
    i.stride = move.getStride();
    i.accumulate = move.getAccumulate();
    return i;
  }
  if (auto preload = dyn_cast<PreloadOp>(op)) {
    systolic::Instruction i =
        tile(systolic::Opcode::Preload, preload.getSram(), preload.getRows(), preload.getCols());
    i.buffer = toIsa(preload.getBuffer());
    return i;
  }
  if (auto compute = dyn_cast<ComputeOp>(op)) {
    systolic::Instruction i = tile(systolic::Opcode::Compute, 0, compute.getRows(), compute.getCols());
    i.streamed = compute.getStreamed();
    i.operandAddress[0] = compute.getStreamedAddress();
    i.operandAddress[1] = compute.getStationaryAddress();
    i.resultAddress = compute.getResult();
    i.first = compute.getFirst();
    i.last = compute.getLast();
    return i;
  }
  if (auto vector = dyn_cast<VectorOp>(op)) {
    systolic::Instruction i = tile(systolic::Opcode::Vector, vector.getSram(), vector.getRows(), vector.getCols());
    i.vectorOp = toIsa(vector.getKind());
    i.operandAddress[0] = vector.getSource2();
    i.operandAddress[1] = vector.getBlock();
    i.first = vector.getFirst();
    i.scalar = vector.getScalar().convertToFloat();
    return i;
  }
  return systolic::Instruction{}; // sa.fence
}

LogicalResult StreamOp::verifyRegions() {
  systolic::StreamChecker checker;
  for (Operation &op : getBody().front())
    if (std::string error = checker.check(instructionOf(op)); !error.empty())
      return op.emitOpError(error);
  if (std::string error = checker.finish(); !error.empty())
    return emitOpError(error);
  return success();
}

#define GET_OP_CLASSES
#include "dialects/sa/SaOps.cpp.inc"
