//===- SystolicTile.cpp - choose the array for each GEMM ------------------===//

#include "hpt/Transforms/Passes.h"

#include "hpt/Analysis/Hardware.h"
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

  /// The array: the description's systolic section when `hw` names one,
  /// with every option given on the command line taking precedence.
  FailureOr<sa::ArrayAttr> chooseArray() {
    ModuleOp module = getOperation();
    int64_t r = rows, c = cols, kb[3] = {ifmapKb, filterKb, ofmapKb};
    sa::Dataflow flow = dataflow;
    sa::ElementType element = sa::ElementType::f32;
    if (!hw.empty()) {
      FailureOr<hw::Description> description = loadHardware(hw, "hpt-systolic-tile", module);
      if (failed(description))
        return failure();
      if (!description->systolic)
        return mlir::emitError(module.getLoc(), "hpt-systolic-tile: ") << hw << " has no systolic section";
      if (failed(recordHardware(module, *description, "hpt-systolic-tile")))
        return failure();
      systolic::Machine machine = description->systolic->machine();
      if (!rows.hasValue()) r = machine.arrayRows;
      if (!cols.hasValue()) c = machine.arrayCols;
      if (!dataflow.hasValue()) flow = sa::toOp(machine.dataflow);
      element = sa::toOp(machine.element);
      const Option<int64_t> *sizes[3] = {&ifmapKb, &filterKb, &ofmapKb};
      for (int b = 0; b < 3; ++b)
        if (!sizes[b]->hasValue())
          kb[b] = machine.sramWords[b] / 1024;
    }
    if (r <= 0 || c <= 0 || kb[0] <= 0 || kb[1] <= 0 || kb[2] <= 0)
      return mlir::emitError(module.getLoc(), "hpt-systolic-tile: needs positive rows, cols and SRAM sizes");
    // SCALE-Sim counts one SRAM word per byte.
    return sa::ArrayAttr::get(&getContext(), flow, r, c, kb[0] * 1024, kb[1] * 1024,
                              kb[2] * 1024, element);
  }

  void runOnOperation() override {
    FailureOr<sa::ArrayAttr> chosen = chooseArray();
    if (failed(chosen))
      return signalPassFailure();
    sa::ArrayAttr array = *chosen;
    systolic::Machine machine = machineFor(array);
    WalkResult result = getOperation().walk([&](Operation *op) {
      // An op placed elsewhere keeps its place (no placement: any op the array runs).
      if (auto device = op->getAttrOfType<DeviceAttr>(kDeviceAttrName))
        if (device.getKind() != DeviceKind::systolic)
          return WalkResult::advance();
      std::optional<systolic::Plan> planned = planFor(op, machine);
      if (!planned)
        return WalkResult::advance();
      if (machine.element == systolic::ElementType::I8 && !systolicGemm(op)) {
        op->emitOpError("cannot run on an int8 array: it runs matrix products only");
        return WalkResult::interrupt();
      }
      const systolic::Plan &plan = *planned;
      if (!plan) {
        op->emitOpError("cannot run on the ")
            << array.getRows() << " x " << array.getCols() << " "
            << sa::stringifyDataflow(array.getDataflow()) << " array: " << plan.error();
        return WalkResult::interrupt();
      }
      int64_t folds = llvm::count_if(plan->instructions, [](const auto &i) {
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
