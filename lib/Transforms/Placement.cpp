//===- Placement.cpp - where an hpt op may run ------------------------------===//

#include "hpt/Transforms/Placement.h"

#include "hpt/Systolic/GemmOps.h"

#include "mlir/IR/SymbolTable.h"

using namespace mlir;

namespace hpt {

bool readsFrozenWeight(Operation *product, func::FuncOp function) {
  if (!isa<LinearOp, MatmulOp>(product))
    return false;
  auto read = product->getOperand(1).getDefiningOp<GetParamOp>();
  if (!read)
    return false;
  auto param = SymbolTable::lookupNearestSymbolFrom<ParamOp>(read, read.getNameAttr());
  return param && !isTrainedBy(function, param);
}

std::optional<FrozenRead> frozenReadOf(Operation *product) {
  if (!isa<LinearOp, MatmulOp>(product))
    return std::nullopt;
  auto read = product->getOperand(1).getDefiningOp<GetParamOp>();
  ParamOp param =
      read ? SymbolTable::lookupNearestSymbolFrom<ParamOp>(read, read.getNameAttr()) : ParamOp();
  if (!param)
    return std::nullopt;
  if (auto matmul = dyn_cast<MatmulOp>(product)) {
    if (matmul.getTransposeLhs())
      return std::nullopt;
    return FrozenRead{param, matmul.getTransposeRhs()};
  }
  return FrozenRead{param, true}; // y = x·Wᵀ
}

bool canRun(DeviceKind kind, Operation *op, func::FuncOp function) {
  switch (kind) {
  case DeviceKind::reram:
    return readsFrozenWeight(op, function) && frozenReadOf(op);
  case DeviceKind::systolic:
    return systolicGemm(op) || systolicVector(op);
  case DeviceKind::host:
  case DeviceKind::gpu:
    return true;
  }
  llvm_unreachable("every device kind is listed");
}

} // namespace hpt
