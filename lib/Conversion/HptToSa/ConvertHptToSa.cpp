//===- ConvertHptToSa.cpp - tiled GEMMs to sa instruction streams ---------===//

#include "hpt/Transforms/Passes.h"

#include "hpt/Systolic/GemmOps.h"
#include "hpt/Systolic/IsaOps.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/Twine.h"

namespace hpt {
#define GEN_PASS_DEF_CONVERTHPTTOSA
#include "hpt/Transforms/Passes.h.inc"
} // namespace hpt

using namespace mlir;
using namespace hpt;
namespace isa = hpt::systolic;

namespace {
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
    llvm::StringMap<int64_t> streamsPerFunction;
    for (Operation *op : tiled) {
      auto array = dyn_cast<sa::ArrayAttr>(op->getAttr("sa.array"));
      std::optional<isa::Plan> planned;
      if (array)
        planned = planFor(op, machineFor(array));
      if (!planned) {
        op->emitOpError("has an sa.array but is not an op the array runs");
        return signalPassFailure();
      }
      const isa::Plan &plan = *planned;
      if (!plan) {
        op->emitOpError("cannot run on its array: ") << plan.error();
        return signalPassFailure();
      }
      // Streams are numbered per function, in op order: @train_step_0, ...
      auto fn = op->getParentOfType<func::FuncOp>();
      StringRef owner = fn ? fn.getName() : StringRef("module");
      std::string name = (owner + "_" + llvm::Twine(streamsPerFunction[owner]++)).str();
      auto stream = sa::StreamOp::create(builder, op->getLoc(), name);
      symbols.insert(stream);
      OpBuilder body = OpBuilder::atBlockBegin(&stream.getBody().emplaceBlock());
      for (const isa::Instruction &instruction : plan->instructions)
        emitInstruction(body, op->getLoc(), instruction);
      op->removeAttr("sa.array");
      op->removeAttr("sa.folds");
      op->setAttr("sa.stream", FlatSymbolRefAttr::get(stream.getSymNameAttr()));
    }
  }
};
} // namespace
