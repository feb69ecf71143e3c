//===- PrintModelStats.cpp - print parameter and FLOP counts --------------===//

#include "hpt/Transforms/Passes.h"

#include "hpt/Analysis/ModelStats.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

namespace hpt {
#define GEN_PASS_DEF_HPTPRINTMODELSTATS
#include "hpt/Transforms/Passes.h.inc"
} // namespace hpt

using namespace mlir;
using namespace hpt;

namespace {
struct HptPrintModelStatsPass
    : hpt::impl::HptPrintModelStatsBase<HptPrintModelStatsPass> {
  using Base::Base;

  void runOnOperation() override {
    if (format != "text" && format != "json") {
      mlir::emitError(getOperation().getLoc(), "hpt-print-model-stats: format must be text or "
                               "json, got '")
          << format << "'";
      return signalPassFailure();
    }
    FailureOr<ModelStats> stats = computeModelStats(getOperation(), function);
    if (failed(stats))
      return signalPassFailure();
    if (format == "text" && failed(printLoraPrograms()))
      return signalPassFailure();
    if (format == "json")
      printModelStatsJson(*stats, llvm::outs());
    else
      printModelStatsText(*stats, llvm::outs());
    llvm::outs().flush();
    markAllAnalysesPreserved();
  }

private:
  /// The model line of each LoRA program built on `function` (hpt-lora).
  LogicalResult printLoraPrograms() {
    ModuleOp module = getOperation();
    for (auto func : module.getOps<func::FuncOp>()) {
      auto base = func->getAttrOfType<FlatSymbolRefAttr>(kLoraBaseAttrName);
      if (!base || base.getValue() != function)
        continue;
      FailureOr<ModelStats> lora = computeModelStats(module, func.getName());
      if (failed(lora))
        return failure();
      printModelLine(*lora, llvm::outs());
    }
    return success();
  }
};
} // namespace
