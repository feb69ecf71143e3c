//===- Place.cpp - place hpt ops on devices by op class -------------------===//

#include "hpt/Transforms/Passes.h"

#include "dialects/hpt/HptOps.h"
#include "hpt/Analysis/Hardware.h"
#include "hpt/Systolic/GemmOps.h"
#include "hpt/Transforms/Placement.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

namespace hpt {
#define GEN_PASS_DEF_HPTPLACE
#include "hpt/Transforms/Passes.h.inc"
} // namespace hpt

using namespace mlir;
using namespace hpt;

namespace {

/// The option a class of ops is placed by.
enum class OpClass { Gemm, Vector, Optimizer, Other };

OpClass classify(Operation *op) {
  if (isa<LinearOp, MatmulOp, BatchMatmulOp>(op))
    return OpClass::Gemm;
  if (isa<LayerNormOp, LayerNormGradOp, SoftmaxOp, SoftmaxGradOp, ReluOp, ReluGradOp, GeluOp,
          GeluGradOp, ScaleOp, DropoutOp, AddOp, MseLossOp, MseLossGradOp, ReduceRowsOp>(op))
    return OpClass::Vector;
  if (isa<SgdUpdateOp, AdamUpdateOp, AdamWUpdateOp>(op))
    return OpClass::Optimizer;
  return OpClass::Other;
}

void refuse(DeviceKind kind, Operation *op) {
  if (kind == DeviceKind::reram) {
    op->emitError("hpt-place: cannot run on reram (gemm=reram): ReRAM crossbars hold only "
                  "weights the function does not train, and this product's operand 1 is "
                  "not one");
    return;
  }
  op->emitError("hpt-place: the systolic array cannot run ")
      << op->getName() << " (" << kSystolicOps << "); give unsupported=host to leave such "
      << "ops on the host";
}

struct HptPlacePass : hpt::impl::HptPlaceBase<HptPlacePass> {
  using Base::Base;

  DeviceKind deviceOf(OpClass opClass) const {
    switch (opClass) {
    case OpClass::Gemm:
      return gemm;
    case OpClass::Vector:
      return vector;
    case OpClass::Optimizer:
      return optimizer;
    case OpClass::Other:
      return other;
    }
    llvm_unreachable("every op class has an option");
  }

  LogicalResult checkOptions() {
    for (auto [name, kind] : {std::pair{"vector", DeviceKind(vector)},
                              std::pair{"optimizer", DeviceKind(optimizer)},
                              std::pair{"other", DeviceKind(other)}})
      if (kind == DeviceKind::reram)
        return emitError(getOperation().getLoc(), "hpt-place: option '")
               << name << "=reram': ReRAM crossbars run only matrix products with a "
               << "frozen weight";
    return hw.empty() ? success() : checkAgainstHardware();
  }

  /// Every device an option names exists in the description.
  LogicalResult checkAgainstHardware() {
    FailureOr<hw::Description> description = loadHardware(hw, "hpt-place", getOperation());
    if (failed(description))
      return failure();
    for (auto [name, kind] : {std::pair{"gemm", DeviceKind(gemm)},
                              std::pair{"vector", DeviceKind(vector)},
                              std::pair{"optimizer", DeviceKind(optimizer)},
                              std::pair{"other", DeviceKind(other)}})
      if (description->instances(hardwareKind(kind)) == 0)
        return emitError(getOperation().getLoc(), "hpt-place: option '")
               << name << "=" << stringifyDeviceKind(kind) << "': " << hw
               << " describes no " << stringifyDeviceKind(kind) << " device";
    return recordHardware(getOperation(), *description, "hpt-place");
  }

  void runOnOperation() override {
    if (failed(checkOptions()))
      return signalPassFailure();
    MLIRContext *context = &getContext();
    WalkResult result = getOperation().walk([&](func::FuncOp function) {
      return function.walk([&](Operation *op) {
        if (!isa<HptDialect>(op->getDialect()))
          return WalkResult::advance();
        OpClass opClass = classify(op);
        DeviceKind kind = deviceOf(opClass);
        if (!canRun(kind, op, function)) {
          if (unsupported == UnsupportedPlacement::host) {
            kind = DeviceKind::host;
          } else {
            refuse(kind, op);
            return WalkResult::interrupt();
          }
        }
        op->setAttr(kDeviceAttrName, DeviceAttr::get(context, kind, std::nullopt));
        return WalkResult::advance();
      });
    });
    if (result.wasInterrupted())
      signalPassFailure();
  }
};

} // namespace
