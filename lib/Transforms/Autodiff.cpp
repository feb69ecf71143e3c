//===- Autodiff.cpp - build a training step by reverse-mode AD ------------===//

#include "hpt/Transforms/Passes.h"
#include "hpt/Transforms/Patterns.h"

#include "dialects/hpt/HptOps.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/Transforms/WalkPatternRewriteDriver.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/MapVector.h"

namespace hpt {
#define GEN_PASS_DEF_HPTAUTODIFF
#include "hpt/Transforms/Passes.h.inc"
} // namespace hpt

using namespace mlir;
using namespace hpt;

namespace {
/// Gradients of values, added up when a value feeds several ops.
class GradientMap {
public:
  explicit GradientMap(OpBuilder &builder) : builder(builder) {}

  Value get(Value value) const { return grads.lookup(value); }

  void accumulate(Value value, Value grad, Location loc) {
    Value &slot = grads[value];
    slot = slot ? AddOp::create(builder, loc, slot, grad).getResult() : grad;
  }

private:
  OpBuilder &builder;
  DenseMap<Value, Value> grads;
};

struct HptAutodiffPass : hpt::impl::HptAutodiffBase<HptAutodiffPass> {
  using Base::Base;

  void runOnOperation() override;

private:
  LogicalResult checkOptions(ModuleOp module);
  DenseSet<Value> valuesNeedingGradients(func::FuncOp train, ModuleOp module);
  LogicalResult backward(Block &body, Value loss, const DenseSet<Value> &active,
                         OpBuilder &builder, GradientMap &grads);
  Value learningRate(OpBuilder &builder, Location loc);
  void emitUpdate(OpBuilder &builder, Location loc, FlatSymbolRefAttr param,
                  Value grad, Value lr);
};
} // namespace

LogicalResult HptAutodiffPass::checkOptions(ModuleOp module) {
  if (optimizer != "sgd" && optimizer != "adam" && optimizer != "adamw")
    return mlir::emitError(module.getLoc(), "hpt-autodiff: optimizer must be sgd, adam or adamw, got '")
           << optimizer << "'";
  if (lrSchedule != "constant" && lrSchedule != "step")
    return mlir::emitError(module.getLoc(), "hpt-autodiff: lr-schedule must be constant or step, got '")
           << lrSchedule << "'";
  if (module.lookupSymbol(trainName))
    return mlir::emitError(module.getLoc(), "hpt-autodiff: the module already has a symbol @")
           << trainName;
  return success();
}

/// Values that depend on a parameter the function trains: only they get
/// gradients.
DenseSet<Value> HptAutodiffPass::valuesNeedingGradients(func::FuncOp train,
                                                        ModuleOp module) {
  DenseSet<Value> active;
  for (Operation &op : train.getBody().front()) {
    bool needs = false;
    if (auto read = dyn_cast<GetParamOp>(op)) {
      auto param = module.lookupSymbol<ParamOp>(read.getNameAttr());
      needs = param && isTrainedBy(train, param);
    } else {
      needs = llvm::any_of(op.getOperands(),
                           [&](Value operand) { return active.contains(operand); });
    }
    if (needs)
      active.insert(op.result_begin(), op.result_end());
  }
  return active;
}

LogicalResult HptAutodiffPass::backward(Block &body, Value loss,
                                        const DenseSet<Value> &active,
                                        OpBuilder &builder, GradientMap &grads) {
  Operation *root = loss.getDefiningOp();
  // The backward ops go into the same block: walk a snapshot of the forward.
  SmallVector<Operation *> forwardOps;
  for (Operation &op : body.without_terminator())
    forwardOps.push_back(&op);
  for (Operation *opPtr : llvm::reverse(forwardOps)) {
    Operation &op = *opPtr;
    if (isa<GetParamOp>(op))
      continue;
    SmallVector<Value> resultGrads;
    for (Value result : op.getResults())
      resultGrads.push_back(grads.get(result));
    bool reached = &op == root || llvm::any_of(resultGrads, [](Value g) { return g; });
    if (!reached)
      continue;
    auto differentiable = dyn_cast<AutodiffOpInterface>(op);
    if (!differentiable)
      return op.emitOpError("has no gradient rule (AutodiffOpInterface); "
                            "hpt-autodiff cannot differentiate through it");
    SmallVector<bool> wanted;
    for (Value operand : op.getOperands())
      wanted.push_back(active.contains(operand));
    SmallVector<Value> operandGrads;
    if (failed(differentiable.buildGradients(builder, resultGrads, wanted,
                                             operandGrads)))
      return failure();
    for (auto [operand, grad] : llvm::zip_equal(op.getOperands(), operandGrads))
      if (grad)
        grads.accumulate(operand, grad, op.getLoc());
  }
  return success();
}

Value HptAutodiffPass::learningRate(OpBuilder &builder, Location loc) {
  auto scalar = RankedTensorType::get({}, builder.getF32Type());
  if (lrSchedule == "step")
    return StepLrOp::create(builder, loc, scalar, builder.getF64FloatAttr(lr),
                            builder.getI64IntegerAttr(stepSize),
                            builder.getF64FloatAttr(gamma));
  return ConstantLrOp::create(builder, loc, scalar, builder.getF64FloatAttr(lr));
}

void HptAutodiffPass::emitUpdate(OpBuilder &builder, Location loc,
                                 FlatSymbolRefAttr param, Value grad, Value lr) {
  auto f64 = [&](double value) { return builder.getF64FloatAttr(value); };
  if (optimizer == "sgd")
    SgdUpdateOp::create(builder, loc, param, grad, lr, f64(momentum), f64(dampening),
                        f64(weightDecay), nesterov ? builder.getUnitAttr() : UnitAttr());
  else if (optimizer == "adam")
    AdamUpdateOp::create(builder, loc, param, grad, lr, f64(beta1), f64(beta2),
                         f64(eps), f64(weightDecay));
  else
    AdamWUpdateOp::create(builder, loc, param, grad, lr, f64(beta1), f64(beta2),
                          f64(eps), f64(weightDecay));
}

void HptAutodiffPass::runOnOperation() {
  ModuleOp module = getOperation();
  if (failed(checkOptions(module)))
    return signalPassFailure();
  auto forward = module.lookupSymbol<func::FuncOp>(forwardName);
  if (!forward) {
    mlir::emitError(module.getLoc(), "hpt-autodiff: no function @") << forwardName << " to differentiate";
    return signalPassFailure();
  }
  auto resultTypes = forward.getFunctionType().getResults();
  auto lossType = resultTypes.empty() ? RankedTensorType()
                                      : dyn_cast<RankedTensorType>(resultTypes[0]);
  if (!lossType || lossType.getRank() != 0) {
    forward.emitOpError("must return the loss, a 0-d tensor, as result 0");
    return signalPassFailure();
  }

  // The training step starts as a copy of the forward function, with
  // attention expanded so that every op has its own gradient rule.
  OpBuilder moduleBuilder(forward);
  moduleBuilder.setInsertionPointAfter(forward);
  auto train = cast<func::FuncOp>(moduleBuilder.clone(*forward));
  train.setName(trainName);
  // The step keeps what it trains; the LoRA description stays with the
  // forward function, which the step now names.
  for (StringRef name : {kLoraAttrName, kLoraBaseAttrName, kAdaptersAttrName})
    train->removeAttr(name);
  train->setAttr(kTrainStepOfAttrName, FlatSymbolRefAttr::get(forward.getSymNameAttr()));
  // No folding or dead-code removal here: the step computes exactly what the
  // forward function does.
  RewritePatternSet patterns(&getContext());
  populateDecomposeAttentionPatterns(patterns);
  walkAndApplyPatterns(train, std::move(patterns));

  Block &body = train.getBody().front();
  Operation *terminator = body.getTerminator();
  Value loss = terminator->getOperand(0);
  // Differentiation starts from d(loss)/d(loss) = 1, which only a loss op
  // (hpt.mse_loss) knows how to seed.
  if (!isa_and_nonnull<MseLossOp>(loss.getDefiningOp())) {
    forward.emitOpError("must return the value of a loss op (hpt.mse_loss) as "
                        "result 0");
    return signalPassFailure();
  }
  DenseSet<Value> active = valuesNeedingGradients(train, module);
  if (!active.contains(loss)) {
    forward.emitOpError("has a loss that depends on no trainable parameter");
    return signalPassFailure();
  }

  OpBuilder builder(terminator);
  GradientMap grads(builder);
  if (failed(backward(body, loss, active, builder, grads)))
    return signalPassFailure();

  // One update per trainable parameter that received a gradient, in the
  // order the parameters are declared.
  llvm::MapVector<StringAttr, Value> paramGrads;
  for (auto read : body.getOps<GetParamOp>())
    if (Value grad = grads.get(read.getResult())) {
      Value &slot = paramGrads[read.getNameAttr().getAttr()];
      slot = slot ? AddOp::create(builder, read.getLoc(), slot, grad).getResult() : grad;
    }
  Value lrValue = learningRate(builder, train.getLoc());
  for (ParamOp param : module.getOps<ParamOp>()) {
    auto it = paramGrads.find(param.getSymNameAttr());
    if (it != paramGrads.end())
      emitUpdate(builder, param.getLoc(), FlatSymbolRefAttr::get(it->first),
                 it->second, lrValue);
  }
}
