//===- ConvertHptToSa.cpp - tiled GEMMs to sa instruction streams ---------===//

#include "hpt/Transforms/Passes.h"

#include "hpt/Systolic/GemmOps.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "llvm/ADT/Twine.h"

namespace hpt {
#define GEN_PASS_DEF_CONVERTHPTTOSA
#include "hpt/Transforms/Passes.h.inc"
} // namespace hpt

using namespace mlir;
using namespace hpt;
namespace isa = hpt::systolic;

namespace {
sa::Dataflow dialectDataflow(isa::Dataflow flow) {
  switch (flow) {
  case isa::Dataflow::OutputStationary:
    return sa::Dataflow::os;
  case isa::Dataflow::WeightStationary:
    return sa::Dataflow::ws;
  case isa::Dataflow::InputStationary:
    return sa::Dataflow::is;
  }
  return sa::Dataflow::os;
}

sa::Buffer dialectBuffer(isa::Buffer buffer) {
  switch (buffer) {
  case isa::Buffer::Ifmap:
    return sa::Buffer::ifmap;
  case isa::Buffer::Filter:
    return sa::Buffer::filter;
  case isa::Buffer::Ofmap:
    return sa::Buffer::ofmap;
  }
  return sa::Buffer::ifmap;
}

/// One instruction as its sa op (the planner emits no vector or fence ops).
void emit(OpBuilder &b, Location loc, const isa::Instruction &i, isa::Dataflow flow) {
  switch (i.opcode) {
  case isa::Opcode::Config:
    sa::ConfigOp::create(b, loc, dialectDataflow(i.dataflow), i.arrayRows, i.arrayCols,
                         i.sramWords[0], i.sramWords[1], i.sramWords[2], i.dramWords[0],
                         i.dramWords[1], i.dramWords[2], sa::ElementType::f32, i.bandwidth);
    return;
  case isa::Opcode::MoveIn:
    sa::MoveInOp::create(b, loc, dialectBuffer(i.buffer), i.dramAddress, i.sramAddress,
                         i.rows, i.cols, i.stride);
    return;
  case isa::Opcode::MoveOut:
    sa::MoveOutOp::create(b, loc, i.dramAddress, i.sramAddress, i.rows, i.cols, i.stride,
                          i.accumulate);
    return;
  case isa::Opcode::Preload:
    sa::PreloadOp::create(b, loc,
                          flow == isa::Dataflow::WeightStationary ? sa::Buffer::filter
                                                                  : sa::Buffer::ifmap,
                          i.sramAddress, i.rows, i.cols);
    return;
  case isa::Opcode::Compute:
    sa::ComputeOp::create(b, loc, i.streamed, i.rows, i.cols, i.operandAddress[0],
                          i.operandAddress[1], i.resultAddress, i.first, i.last);
    return;
  case isa::Opcode::Vector:
  case isa::Opcode::Fence:
    sa::FenceOp::create(b, loc);
    return;
  }
}

struct ConvertHptToSaPass : hpt::impl::ConvertHptToSaBase<ConvertHptToSaPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    OpBuilder builder(module.getContext());
    builder.setInsertionPointToEnd(module.getBody());
    SymbolTable symbols(module);
    SmallVector<Operation *> tiled;
    module.walk([&](Operation *op) {
      if (op->hasAttr("sa.array"))
        tiled.push_back(op);
    });
    for (auto [index, op] : llvm::enumerate(tiled)) {
      auto array = dyn_cast<sa::ArrayAttr>(op->getAttr("sa.array"));
      std::optional<isa::GemmShape> gemm = systolicGemm(op);
      if (!array || !gemm) {
        op->emitOpError("has an sa.array but is not a GEMM the array runs");
        return signalPassFailure();
      }
      isa::Machine machine = machineFor(array);
      isa::Plan plan = isa::planGemm(*gemm, machine);
      if (!plan.error.empty()) {
        op->emitOpError("cannot run on its array: ") << plan.error;
        return signalPassFailure();
      }
      auto fn = op->getParentOfType<func::FuncOp>();
      std::string name = (fn ? fn.getName() : StringRef("module")).str() + "_" +
                         std::to_string(index);
      auto stream = sa::StreamOp::create(builder, op->getLoc(), name);
      symbols.insert(stream);
      OpBuilder body = OpBuilder::atBlockBegin(&stream.getBody().emplaceBlock());
      for (const isa::Instruction &instruction : plan.stream.instructions)
        emit(body, op->getLoc(), instruction, machine.dataflow);
      op->removeAttr("sa.array");
      op->removeAttr("sa.folds");
      op->setAttr("sa.stream", FlatSymbolRefAttr::get(stream.getSymNameAttr()));
    }
  }
};
} // namespace
