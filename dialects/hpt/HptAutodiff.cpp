//===- HptAutodiff.cpp - reverse-mode derivatives of the hpt ops ----------===//
//
// Each forward op's AutodiffOpInterface: the ops that turn the gradients of
// its results into the gradients of its operands. Matrix products become
// matrix products (so the backward GEMMs are visible to later passes),
// nonlinearities become their *_grad ops.
//
//===----------------------------------------------------------------------===//

#include "dialects/hpt/HptOps.h"

#include "mlir/IR/Builders.h"

using namespace mlir;
using namespace hpt;

namespace {
/// The single result gradient of a one-result op (null: none reached it).
Value onlyGradient(ArrayRef<Value> resultGradients) {
  return resultGradients.empty() ? Value() : resultGradients.front();
}

/// Prepares `operandGradients` with one null entry per operand.
void resetGradients(Operation *op, SmallVectorImpl<Value> &operandGradients) {
  operandGradients.assign(op->getNumOperands(), Value());
}

RankedTensorType withShape(Value like, ArrayRef<int64_t> shape) {
  auto type = cast<RankedTensorType>(like.getType());
  return RankedTensorType::get(shape, type.getElementType());
}

/// `value` as a [rows, last] matrix (no op when it already is one).
Value asMatrix(OpBuilder &b, Location loc, Value value) {
  auto type = cast<RankedTensorType>(value.getType());
  if (type.getRank() == 2)
    return value;
  int64_t last = type.getShape().back();
  auto matrix = withShape(value, {type.getNumElements() / last, last});
  return ReshapeOp::create(b, loc, matrix, value);
}

Value reshapeLike(OpBuilder &b, Location loc, Value value, Value like) {
  if (value.getType() == like.getType())
    return value;
  return ReshapeOp::create(b, loc, like.getType(), value);
}

/// Gradients of C = op(A)·op(B) for hpt.matmul and hpt.batch_matmul:
///   C = A·B:     dA = dC·Bᵀ      dB = Aᵀ·dC
///   C = A·Bᵀ:    dA = dC·B       dB = dCᵀ·A
///   C = Aᵀ·B:    dA = B·dCᵀ      dB = A·dC
///   C = Aᵀ·Bᵀ:   dA = Bᵀ·dCᵀ     dB = dCᵀ·Aᵀ
template <typename ProductOp>
LogicalResult productGradients(ProductOp op, OpBuilder &b, Value dc,
                               ArrayRef<bool> wanted,
                               SmallVectorImpl<Value> &grads) {
  resetGradients(op, grads);
  if (!dc)
    return success();
  Location loc = op.getLoc();
  Value a = op.getLhs(), bm = op.getRhs();
  bool ta = op.getTransposeLhs(), tb = op.getTransposeRhs();
  if (wanted[0])
    grads[0] = ta ? ProductOp::create(b, loc, bm, dc, /*lhs=*/tb, /*rhs=*/true)
                  : ProductOp::create(b, loc, dc, bm, /*lhs=*/false, /*rhs=*/!tb);
  if (wanted[1])
    grads[1] = tb ? ProductOp::create(b, loc, dc, a, /*lhs=*/true, /*rhs=*/ta)
                  : ProductOp::create(b, loc, a, dc, /*lhs=*/!ta, /*rhs=*/false);
  return success();
}

/// For ops whose gradient passes through to operand 0 after `transform`.
template <typename Fn>
LogicalResult unaryGradient(Operation *op, ArrayRef<Value> resultGradients,
                            ArrayRef<bool> wanted,
                            SmallVectorImpl<Value> &grads, Fn transform) {
  resetGradients(op, grads);
  Value dy = onlyGradient(resultGradients);
  if (dy && wanted[0])
    grads[0] = transform(dy);
  return success();
}
} // namespace

LogicalResult LinearOp::buildGradients(OpBuilder &b, ArrayRef<Value> resultGradients,
                                       ArrayRef<bool> wanted,
                                       SmallVectorImpl<Value> &grads) {
  resetGradients(*this, grads);
  Value dy = onlyGradient(resultGradients);
  if (!dy)
    return success();
  Location loc = getLoc();
  Value dy2 = asMatrix(b, loc, dy);
  if (wanted[0]) {
    Value dx = MatmulOp::create(b, loc, dy2, getWeight(), false, false);
    grads[0] = reshapeLike(b, loc, dx, getInput());
  }
  if (wanted[1])
    grads[1] = MatmulOp::create(b, loc, dy2, asMatrix(b, loc, getInput()),
                                /*transpose_lhs=*/true, /*transpose_rhs=*/false);
  if (getBias() && wanted[2])
    grads[2] = ReduceRowsOp::create(b, loc, dy);
  return success();
}

LogicalResult MatmulOp::buildGradients(OpBuilder &b, ArrayRef<Value> resultGradients,
                                       ArrayRef<bool> wanted,
                                       SmallVectorImpl<Value> &grads) {
  return productGradients(*this, b, onlyGradient(resultGradients), wanted, grads);
}

LogicalResult BatchMatmulOp::buildGradients(OpBuilder &b,
                                            ArrayRef<Value> resultGradients,
                                            ArrayRef<bool> wanted,
                                            SmallVectorImpl<Value> &grads) {
  return productGradients(*this, b, onlyGradient(resultGradients), wanted, grads);
}

LogicalResult SelfAttentionOp::buildGradients(OpBuilder &, ArrayRef<Value>,
                                              ArrayRef<bool>,
                                              SmallVectorImpl<Value> &) {
  // Its gradient is that of its expansion; hpt-autodiff expands it first.
  return emitOpError("is differentiated through its expansion: run "
                     "hpt-decompose-attention first");
}

LogicalResult LayerNormOp::buildGradients(OpBuilder &b,
                                          ArrayRef<Value> resultGradients,
                                          ArrayRef<bool> wanted,
                                          SmallVectorImpl<Value> &grads) {
  resetGradients(*this, grads);
  Value dy = onlyGradient(resultGradients);
  if (!dy || !llvm::is_contained(wanted, true))
    return success();
  auto grad = LayerNormGradOp::create(b, getLoc(), dy, getInput(), getGamma(),
                                      getEpsAttr());
  for (auto [index, value] : llvm::enumerate(grad.getResults()))
    if (wanted[index])
      grads[index] = value;
  return success();
}

LogicalResult SoftmaxOp::buildGradients(OpBuilder &b, ArrayRef<Value> resultGradients,
                                        ArrayRef<bool> wanted,
                                        SmallVectorImpl<Value> &grads) {
  return unaryGradient(*this, resultGradients, wanted, grads, [&](Value dy) {
    return SoftmaxGradOp::create(b, getLoc(), dy, getResult(), getAxis());
  });
}

LogicalResult ReluOp::buildGradients(OpBuilder &b, ArrayRef<Value> resultGradients,
                                     ArrayRef<bool> wanted,
                                     SmallVectorImpl<Value> &grads) {
  return unaryGradient(*this, resultGradients, wanted, grads, [&](Value dy) {
    return ReluGradOp::create(b, getLoc(), dy, getInput());
  });
}

LogicalResult GeluOp::buildGradients(OpBuilder &b, ArrayRef<Value> resultGradients,
                                     ArrayRef<bool> wanted,
                                     SmallVectorImpl<Value> &grads) {
  return unaryGradient(*this, resultGradients, wanted, grads, [&](Value dy) {
    return GeluGradOp::create(b, getLoc(), dy, getInput(), getApproximate());
  });
}

LogicalResult ScaleOp::buildGradients(OpBuilder &b, ArrayRef<Value> resultGradients,
                                      ArrayRef<bool> wanted,
                                      SmallVectorImpl<Value> &grads) {
  return unaryGradient(*this, resultGradients, wanted, grads, [&](Value dy) {
    return ScaleOp::create(b, getLoc(), dy, getFactorAttr());
  });
}

LogicalResult DropoutOp::buildGradients(OpBuilder &b, ArrayRef<Value> resultGradients,
                                        ArrayRef<bool> wanted,
                                        SmallVectorImpl<Value> &grads) {
  // The mask is a function of (seed, step, element): the same op applied to
  // the gradient drops and scales exactly the elements the forward did.
  return unaryGradient(*this, resultGradients, wanted, grads, [&](Value dy) {
    return DropoutOp::create(b, getLoc(), dy, getPAttr(), getSeedAttr());
  });
}

LogicalResult PositionalEncodingOp::buildGradients(OpBuilder &,
                                                   ArrayRef<Value> resultGradients,
                                                   ArrayRef<bool> wanted,
                                                   SmallVectorImpl<Value> &grads) {
  return unaryGradient(*this, resultGradients, wanted, grads,
                       [](Value dy) { return dy; });
}

LogicalResult AddOp::buildGradients(OpBuilder &, ArrayRef<Value> resultGradients,
                                    ArrayRef<bool> wanted,
                                    SmallVectorImpl<Value> &grads) {
  resetGradients(*this, grads);
  Value dy = onlyGradient(resultGradients);
  for (unsigned i = 0; dy && i < 2; ++i)
    if (wanted[i])
      grads[i] = dy;
  return success();
}

LogicalResult ConcatOp::buildGradients(OpBuilder &b, ArrayRef<Value> resultGradients,
                                       ArrayRef<bool> wanted,
                                       SmallVectorImpl<Value> &grads) {
  resetGradients(*this, grads);
  Value dy = onlyGradient(resultGradients);
  if (!dy)
    return success();
  int64_t rank = getType().getRank();
  int64_t axis = static_cast<int64_t>(getAxis());
  axis = axis < 0 ? axis + rank : axis;
  int64_t offset = 0;
  for (auto [index, input] : llvm::enumerate(getInputs())) {
    int64_t size = cast<RankedTensorType>(input.getType()).getDimSize(axis);
    if (wanted[index])
      grads[index] = SliceOp::create(b, getLoc(), dy, axis, offset, size);
    offset += size;
  }
  return success();
}

LogicalResult ReshapeOp::buildGradients(OpBuilder &b, ArrayRef<Value> resultGradients,
                                        ArrayRef<bool> wanted,
                                        SmallVectorImpl<Value> &grads) {
  return unaryGradient(*this, resultGradients, wanted, grads, [&](Value dy) {
    return reshapeLike(b, getLoc(), dy, getInput());
  });
}

LogicalResult TransposeOp::buildGradients(OpBuilder &b,
                                          ArrayRef<Value> resultGradients,
                                          ArrayRef<bool> wanted,
                                          SmallVectorImpl<Value> &grads) {
  return unaryGradient(*this, resultGradients, wanted, grads, [&](Value dy) {
    SmallVector<int64_t> inverse(getPermutation().size());
    for (auto [index, axis] : llvm::enumerate(getPermutation()))
      inverse[axis] = index;
    return TransposeOp::create(b, getLoc(), dy, inverse).getResult();
  });
}

LogicalResult MseLossOp::buildGradients(OpBuilder &b, ArrayRef<Value> resultGradients,
                                        ArrayRef<bool> wanted,
                                        SmallVectorImpl<Value> &grads) {
  resetGradients(*this, grads);
  if (onlyGradient(resultGradients))
    return emitOpError("is used inside the graph; a loss must be the root that "
                       "hpt-autodiff differentiates");
  if (wanted[0])
    grads[0] = MseLossGradOp::create(b, getLoc(), getPrediction(), getTarget());
  return success();
}
