//===- HptOps.cpp - hpt operations ----------------------------------------===//

#include "dialects/hpt/HptOps.h"
#include "dialects/hpt/HptShapes.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/OpImplementation.h"

#include <cmath>

using namespace mlir;
using namespace hpt;
namespace shapes = hpt::shapes;

#include "dialects/hpt/HptInterfaces.cpp.inc"

//===----------------------------------------------------------------------===//
// Shared helpers
//===----------------------------------------------------------------------===//

namespace {
// Vector FLOPs per element; docs/dialects/hpt.md lists the same table.
constexpr int64_t kSoftmaxFlopsPerElement = 5;   // max, sub, exp, sum, div
constexpr int64_t kLayerNormFlopsPerElement = 8; // mean, sub, sq, sum, norm, ·γ, +β
constexpr int64_t kGeluFlopsPerElement = 8;      // erf/tanh polynomial + muls
constexpr int64_t kMseFlopsPerElement = 3;       // sub, square, sum

int64_t numElements(Type type) {
  return shapes::numElements(cast<ShapedType>(type).getShape());
}

shapes::ShapeRef shapeOf(Value value) {
  return cast<ShapedType>(value.getType()).getShape();
}

/// Checks that every operand is a ranked tensor with the element type of the
/// first one; the result of inference takes that element type.
FailureOr<Type> commonElementType(std::optional<Location> loc, StringRef opName,
                                  ValueRange operands) {
  Type element;
  for (Value operand : operands) {
    auto type = dyn_cast<RankedTensorType>(operand.getType());
    if (!type)
      return emitOptionalError(loc, "'", opName, "' op expects ranked tensors, got ",
                               operand.getType());
    if (!element)
      element = type.getElementType();
    else if (type.getElementType() != element)
      return emitOptionalError(loc, "'", opName,
                               "' op operands must share one element type, got ",
                               element, " and ", type.getElementType());
  }
  return element;
}

/// Turns the outcome of a shape rule into the inferred result type, or into a
/// diagnostic at the op's location.
LogicalResult inferTensor(std::optional<Location> loc, StringRef opName,
                          ValueRange operands,
                          llvm::function_ref<llvm::Expected<shapes::Shape>()> rule,
                          SmallVectorImpl<Type> &inferred) {
  FailureOr<Type> element = commonElementType(loc, opName, operands);
  if (failed(element))
    return failure();
  llvm::Expected<shapes::Shape> shape = rule();
  if (!shape)
    return emitOptionalError(loc, "'", opName, "' op ",
                             llvm::toString(shape.takeError()));
  inferred.push_back(RankedTensorType::get(*shape, *element));
  return success();
}

FlopCount vectorWork(Type type, int64_t flopsPerElement) {
  return {0, numElements(type) * flopsPerElement};
}

/// 2·m·n·k for a (batched) product with result `resultType`, where k is the
/// contracted size.
int64_t productFlops(Type resultType, int64_t k) {
  return 2 * numElements(resultType) * k;
}

int64_t contractedSize(Value lhs, bool transposeLhs) {
  shapes::ShapeRef shape = shapeOf(lhs);
  return transposeLhs ? shape[shape.size() - 2] : shape.back();
}
} // namespace

//===----------------------------------------------------------------------===//
// ParamOp / GetParamOp
//===----------------------------------------------------------------------===//

LogicalResult
GetParamOp::verifySymbolUses(SymbolTableCollection &symbolTable) {
  auto param = symbolTable.lookupNearestSymbolFrom<ParamOp>(*this, getNameAttr());
  if (!param)
    return emitOpError("'@") << getName() << "' does not name an hpt.param";
  if (param.getType() != getType())
    return emitOpError("result type ")
               .append(getType(), " differs from the type ", param.getType(),
                       " of parameter @", getName())
               .attachNote(param.getLoc())
           << "parameter declared here";
  return success();
}

//===----------------------------------------------------------------------===//
// Linear algebra
//===----------------------------------------------------------------------===//

LogicalResult LinearOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &inferred) {
  Value bias = adaptor.getBias();
  return inferTensor(
      loc, getOperationName(), adaptor.getOperands(),
      [&] {
        std::optional<shapes::ShapeRef> biasShape;
        if (bias)
          biasShape = shapeOf(bias);
        return shapes::linear(shapeOf(adaptor.getInput()),
                              shapeOf(adaptor.getWeight()), biasShape);
      },
      inferred);
}

FlopCount LinearOp::getFlopCount() {
  int64_t in = shapeOf(getWeight())[1];
  return {productFlops(getType(), in), getBias() ? numElements(getType()) : 0};
}

namespace {
using ProductRule = llvm::Expected<shapes::Shape> (*)(shapes::ShapeRef,
                                                      shapes::ShapeRef, bool, bool);

/// Result type of hpt.matmul / hpt.batch_matmul, whose adaptors share accessors.
template <typename Adaptor>
LogicalResult inferProduct(std::optional<Location> loc, StringRef opName,
                           Adaptor adaptor, ProductRule rule,
                           SmallVectorImpl<Type> &inferred) {
  return inferTensor(
      loc, opName, adaptor.getOperands(),
      [&] {
        return rule(shapeOf(adaptor.getLhs()), shapeOf(adaptor.getRhs()),
                    adaptor.getTransposeLhs(), adaptor.getTransposeRhs());
      },
      inferred);
}

template <typename ProductOp>
FlopCount productFlopCount(ProductOp op) {
  return {productFlops(op.getType(), contractedSize(op.getLhs(), op.getTransposeLhs())),
          0};
}
} // namespace

LogicalResult MatmulOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &inferred) {
  return inferProduct(loc, getOperationName(), adaptor, shapes::matmul, inferred);
}

FlopCount MatmulOp::getFlopCount() { return productFlopCount(*this); }

LogicalResult BatchMatmulOp::inferReturnTypes(MLIRContext *,
                                              std::optional<Location> loc,
                                              Adaptor adaptor,
                                              SmallVectorImpl<Type> &inferred) {
  return inferProduct(loc, getOperationName(), adaptor, shapes::batchMatmul,
                      inferred);
}

FlopCount BatchMatmulOp::getFlopCount() { return productFlopCount(*this); }

//===----------------------------------------------------------------------===//
// SelfAttentionOp
//===----------------------------------------------------------------------===//

LogicalResult SelfAttentionOp::inferReturnTypes(MLIRContext *,
                                                std::optional<Location> loc,
                                                Adaptor adaptor,
                                                SmallVectorImpl<Type> &inferred) {
  return inferTensor(
      loc, getOperationName(), adaptor.getOperands(),
      [&] {
        SmallVector<shapes::ShapeRef, 8> projections;
        for (Value operand : adaptor.getOperands().drop_front())
          projections.push_back(shapeOf(operand));
        return shapes::selfAttention(shapeOf(adaptor.getInput()), projections,
                                     adaptor.getHeads(), adaptor.getHeadDim());
      },
      inferred);
}

FlopCount SelfAttentionOp::getFlopCount() {
  shapes::ShapeRef shape = shapeOf(getInput());
  int64_t batch = shape[0], tokens = shape[1], width = shape[2];
  int64_t rows = batch * tokens;
  int64_t scores = batch * getHeads() * tokens * tokens;
  FlopCount count;
  // Q, K, V and O projections with their biases.
  count.matmul += 4 * 2 * rows * width * width;
  count.vector += 4 * rows * width;
  // Q·Kᵀ and A·V, head by head.
  count.matmul += 2 * (2 * scores * getHeadDim());
  // Scaling by 1/√head_dim, then the softmax.
  count.vector += scores * (1 + kSoftmaxFlopsPerElement);
  return count;
}

//===----------------------------------------------------------------------===//
// Normalisation and activations
//===----------------------------------------------------------------------===//

LogicalResult LayerNormOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &inferred) {
  if (!(adaptor.getEps().convertToDouble() > 0.0))
    return emitOptionalError(loc, "'", getOperationName(),
                             "' op eps must be positive, got ",
                             adaptor.getEps().convertToDouble());
  return inferTensor(
      loc, getOperationName(), adaptor.getOperands(),
      [&] {
        return shapes::layerNorm(shapeOf(adaptor.getInput()),
                                 shapeOf(adaptor.getGamma()),
                                 shapeOf(adaptor.getBeta()));
      },
      inferred);
}

FlopCount LayerNormOp::getFlopCount() {
  return vectorWork(getType(), kLayerNormFlopsPerElement);
}

LogicalResult SoftmaxOp::verify() {
  llvm::Expected<int64_t> axis = shapes::normalizeAxis(getAxis(), getType().getRank());
  if (!axis)
    return emitOpError(llvm::toString(axis.takeError()));
  return success();
}

FlopCount SoftmaxOp::getFlopCount() {
  return vectorWork(getType(), kSoftmaxFlopsPerElement);
}

FlopCount ReluOp::getFlopCount() { return vectorWork(getType(), 1); }

FlopCount GeluOp::getFlopCount() {
  return vectorWork(getType(), kGeluFlopsPerElement);
}

FlopCount ScaleOp::getFlopCount() { return vectorWork(getType(), 1); }

LogicalResult DropoutOp::verify() {
  double p = getP().convertToDouble();
  if (!(p >= 0.0 && p < 1.0))
    return emitOpError("probability p must be in [0, 1), got ") << p;
  return success();
}

FlopCount DropoutOp::getFlopCount() { return vectorWork(getType(), 1); }

LogicalResult PositionalEncodingOp::verify() {
  RankedTensorType type = getType();
  if (type.getRank() < 2)
    return emitOpError("input must be [..., tokens, features], got rank ")
           << type.getRank();
  int64_t tokens = type.getDimSize(type.getRank() - 2);
  int64_t features = type.getDimSize(type.getRank() - 1);
  if (features % 2 != 0)
    return emitOpError("features must be even (sin/cos pairs), got ") << features;
  if (tokens > static_cast<int64_t>(getMaxLen()))
    return emitOpError("tokens (") << tokens << ") exceed max_len " << getMaxLen();
  return success();
}

FlopCount PositionalEncodingOp::getFlopCount() { return vectorWork(getType(), 1); }

//===----------------------------------------------------------------------===//
// Shape manipulation
//===----------------------------------------------------------------------===//

FlopCount AddOp::getFlopCount() { return vectorWork(getType(), 1); }

LogicalResult ConcatOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &inferred) {
  return inferTensor(
      loc, getOperationName(), adaptor.getOperands(),
      [&] {
        SmallVector<shapes::ShapeRef, 4> inputs;
        for (Value input : adaptor.getInputs())
          inputs.push_back(shapeOf(input));
        return shapes::concat(inputs, adaptor.getAxis());
      },
      inferred);
}

FlopCount ConcatOp::getFlopCount() { return {}; }

LogicalResult ReshapeOp::verify() {
  if (getInput().getType().getElementType() != getType().getElementType())
    return emitOpError("element type changes from ")
           << getInput().getType().getElementType() << " to "
           << getType().getElementType();
  if (llvm::Error error =
          shapes::checkReshape(getInput().getType().getShape(), getType().getShape()))
    return emitOpError(llvm::toString(std::move(error)));
  return success();
}

FlopCount ReshapeOp::getFlopCount() { return {}; }

LogicalResult TransposeOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &inferred) {
  return inferTensor(
      loc, getOperationName(), adaptor.getOperands(),
      [&] {
        return shapes::transpose(shapeOf(adaptor.getInput()),
                                 adaptor.getPermutation());
      },
      inferred);
}

FlopCount TransposeOp::getFlopCount() { return {}; }

//===----------------------------------------------------------------------===//
// Losses
//===----------------------------------------------------------------------===//

LogicalResult MseLossOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                          Adaptor adaptor,
                                          SmallVectorImpl<Type> &inferred) {
  FailureOr<Type> element =
      commonElementType(loc, getOperationName(), adaptor.getOperands());
  if (failed(element))
    return failure();
  inferred.push_back(RankedTensorType::get({}, *element));
  return success();
}

FlopCount MseLossOp::getFlopCount() {
  return {0, numElements(getPrediction().getType()) * kMseFlopsPerElement + 1};
}

#define GET_OP_CLASSES
#include "dialects/hpt/HptOps.cpp.inc"
