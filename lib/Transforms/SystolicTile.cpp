//===- SystolicTile.cpp - choose the array for each GEMM ------------------===//

#include "hpt/Transforms/Passes.h"

#include "hpt/Systolic/GemmOps.h"

namespace hpt {
#define GEN_PASS_DEF_HPTSYSTOLICTILE
#include "hpt/Transforms/Passes.h.inc"
} // namespace hpt

using namespace mlir;
using namespace hpt;

namespace {
struct HptSystolicTilePass : hpt::impl::HptSystolicTileBase<HptSystolicTilePass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    std::optional<sa::Dataflow> flow = sa::symbolizeDataflow(dataflow);
    if (!flow || rows <= 0 || cols <= 0 || ifmapKb <= 0 || filterKb <= 0 || ofmapKb <= 0) {
      module.emitError("hpt-systolic-tile: needs dataflow os, ws or is and positive "
                       "rows, cols and SRAM sizes");
      return signalPassFailure();
    }
    // SCALE-Sim counts one SRAM word per byte.
    auto array = sa::ArrayAttr::get(&getContext(), *flow, rows, cols, ifmapKb * 1024,
                                    filterKb * 1024, ofmapKb * 1024);
    systolic::Machine machine = machineFor(array);
    WalkResult result = module.walk([&](Operation *op) {
      std::optional<systolic::Plan> planned = planFor(op, machine);
      if (!planned)
        return WalkResult::advance();
      const systolic::Plan &plan = *planned;
      if (!plan.error.empty()) {
        op->emitOpError("cannot run on the ")
            << static_cast<int64_t>(rows) << " x " << static_cast<int64_t>(cols) << " "
            << dataflow.getValue() << " array: " << plan.error;
        return WalkResult::interrupt();
      }
      int64_t folds = llvm::count_if(plan.stream.instructions, [](const auto &i) {
        return i.opcode == systolic::Opcode::Compute && i.first;
      });
      op->setAttr("sa.array", array);
      op->setAttr("sa.folds", IntegerAttr::get(IntegerType::get(&getContext(), 64), folds));
      return WalkResult::advance();
    });
    if (result.wasInterrupted())
      signalPassFailure();
  }
};
} // namespace
