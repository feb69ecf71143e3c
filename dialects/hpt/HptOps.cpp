//===- HptOps.cpp - hpt operations ----------------------------------------===//

#include "dialects/hpt/HptOps.h"
#include "dialects/hpt/HptShapes.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/OpImplementation.h"
#include "llvm/ADT/SmallString.h"

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
constexpr int64_t kGeluGradFlopsPerElement = 12;
constexpr int64_t kSoftmaxGradFlopsPerElement = 4;   // mul, sum, sub, mul
constexpr int64_t kLayerNormGradFlopsPerElement = 12;
constexpr int64_t kSgdFlopsPerElement = 5;
constexpr int64_t kAdamFlopsPerElement = 12;

/// The shortest decimal that reads back as `value` ("0.5", "1e-08").
std::string shortest(double value) {
  SmallString<16> text;
  APFloat(value).toString(text);
  return text.str().str();
}

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
  return {0, shapes::saturatingProduct({numElements(type), flopsPerElement})};
}

/// 2·m·n·k for a (batched) product with result `resultType`, where k is the
/// contracted size.
int64_t productFlops(Type resultType, int64_t k) {
  return shapes::saturatingProduct({2, numElements(resultType), k});
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
  using shapes::saturatingProduct;
  int64_t rows = saturatingProduct({batch, tokens});
  int64_t heads = static_cast<int64_t>(getHeads()), headDim = static_cast<int64_t>(getHeadDim());
  int64_t scores = saturatingProduct({batch, heads, tokens, tokens});
  FlopCount count;
  // Q, K, V and O projections with their biases.
  count += {saturatingProduct({4, 2, rows, width, width}), saturatingProduct({4, rows, width})};
  // Q·Kᵀ and A·V, head by head.
  count += {saturatingProduct({2, 2, scores, headDim}), 0};
  // Scaling by 1/√head_dim, then the softmax.
  count += {0, saturatingProduct({scores, 1 + kSoftmaxFlopsPerElement})};
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
                             shortest(adaptor.getEps().convertToDouble()));
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
    return emitOpError("probability p must be in [0, 1), got ") << shortest(p);
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
  return {0, shapes::saturatingSum(
                shapes::saturatingProduct(
                    {numElements(getPrediction().getType()), kMseFlopsPerElement}),
                1)};
}

//===----------------------------------------------------------------------===//
// Gradients
//===----------------------------------------------------------------------===//

FlopCount ReluGradOp::getFlopCount() { return vectorWork(getType(), 1); }

FlopCount GeluGradOp::getFlopCount() {
  return vectorWork(getType(), kGeluGradFlopsPerElement);
}

LogicalResult SoftmaxGradOp::verify() {
  llvm::Expected<int64_t> axis = shapes::normalizeAxis(getAxis(), getType().getRank());
  if (!axis)
    return emitOpError(llvm::toString(axis.takeError()));
  return success();
}

FlopCount SoftmaxGradOp::getFlopCount() {
  return vectorWork(getType(), kSoftmaxGradFlopsPerElement);
}

LogicalResult LayerNormGradOp::inferReturnTypes(MLIRContext *,
                                                std::optional<Location> loc,
                                                Adaptor adaptor,
                                                SmallVectorImpl<Type> &inferred) {
  if (failed(inferTensor(
          loc, getOperationName(), adaptor.getOperands(),
          [&]() -> llvm::Expected<shapes::Shape> {
            if (shapeOf(adaptor.getResultGrad()) != shapeOf(adaptor.getInput()))
              return llvm::createStringError(
                  "result_grad and input must have one shape");
            return shapes::layerNorm(shapeOf(adaptor.getInput()),
                                     shapeOf(adaptor.getGamma()),
                                     shapeOf(adaptor.getGamma()));
          },
          inferred)))
    return failure();
  inferred.append(2, adaptor.getGamma().getType());
  return success();
}

FlopCount LayerNormGradOp::getFlopCount() {
  return vectorWork(getInput().getType(), kLayerNormGradFlopsPerElement);
}

FlopCount MseLossGradOp::getFlopCount() {
  return vectorWork(getType(), kMseFlopsPerElement);
}

LogicalResult ReduceRowsOp::inferReturnTypes(MLIRContext *,
                                             std::optional<Location> loc,
                                             Adaptor adaptor,
                                             SmallVectorImpl<Type> &inferred) {
  return inferTensor(
      loc, getOperationName(), adaptor.getOperands(),
      [&]() -> llvm::Expected<shapes::Shape> {
        shapes::ShapeRef shape = shapeOf(adaptor.getInput());
        if (shape.empty())
          return llvm::createStringError("input must have rank >= 1, got a scalar");
        return shapes::Shape{shape.back()};
      },
      inferred);
}

FlopCount ReduceRowsOp::getFlopCount() {
  return vectorWork(getInput().getType(), 1);
}

LogicalResult SliceOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                        Adaptor adaptor,
                                        SmallVectorImpl<Type> &inferred) {
  return inferTensor(
      loc, getOperationName(), adaptor.getOperands(),
      [&] {
        return shapes::slice(shapeOf(adaptor.getInput()), adaptor.getAxis(),
                             adaptor.getOffset(), adaptor.getSize());
      },
      inferred);
}

FlopCount SliceOp::getFlopCount() { return {}; }

//===----------------------------------------------------------------------===//
// Learning rates and optimizers
//===----------------------------------------------------------------------===//

namespace {
LogicalResult checkNonNegative(Operation *op, StringRef name, APFloat value) {
  if (value.convertToDouble() >= 0.0)
    return success();
  return op->emitOpError() << name << " must be non-negative, got "
                           << shortest(value.convertToDouble());
}

/// [0, 1), or [0, 1] when `closed`.
LogicalResult checkFraction(Operation *op, StringRef name, APFloat value,
                            bool closed) {
  double x = value.convertToDouble();
  if (x >= 0.0 && (closed ? x <= 1.0 : x < 1.0))
    return success();
  return op->emitOpError() << name << " must be in [0, 1" << (closed ? "]" : ")")
                           << ", got " << shortest(x);
}

/// An update names a trainable hpt.param whose type is its gradient's.
LogicalResult verifyUpdatedParam(Operation *op, FlatSymbolRefAttr name,
                                 Type gradType,
                                 SymbolTableCollection &symbolTable) {
  auto param = symbolTable.lookupNearestSymbolFrom<ParamOp>(op, name);
  if (!param)
    return op->emitOpError("'") << name << "' does not name an hpt.param";
  if (param.getType() != gradType)
    return op->emitOpError("gradient type ")
           << gradType << " differs from the type " << param.getType()
           << " of parameter " << name;
  if (!param.getTrainable())
    return op->emitOpError("parameter ") << name << " is frozen (not trainable)";
  return success();
}
} // namespace

LogicalResult ConstantLrOp::verify() {
  return checkNonNegative(*this, "learning rate", getBase());
}

LogicalResult StepLrOp::verify() {
  if (failed(checkNonNegative(*this, "learning rate", getBase())))
    return failure();
  return checkFraction(*this, "gamma", getGamma(), /*closed=*/true);
}

LogicalResult SgdUpdateOp::verify() {
  if (failed(checkNonNegative(*this, "momentum", getMomentum())) ||
      failed(checkFraction(*this, "dampening", getDampening(), /*closed=*/true)) ||
      failed(checkNonNegative(*this, "weight_decay", getWeightDecay())))
    return failure();
  if (getNesterov() && (getMomentum().convertToDouble() <= 0.0 ||
                        getDampening().convertToDouble() != 0.0))
    return emitOpError("nesterov needs a positive momentum and zero dampening");
  return success();
}

LogicalResult SgdUpdateOp::verifySymbolUses(SymbolTableCollection &symbolTable) {
  return verifyUpdatedParam(*this, getParamAttr(), getGrad().getType(), symbolTable);
}

FlopCount SgdUpdateOp::getFlopCount() {
  return vectorWork(getGrad().getType(), kSgdFlopsPerElement);
}

namespace {
template <typename AdamOp>
LogicalResult verifyAdam(AdamOp op) {
  if (failed(checkFraction(op, "beta1", op.getBeta1(), /*closed=*/false)) ||
      failed(checkFraction(op, "beta2", op.getBeta2(), /*closed=*/false)) ||
      failed(checkNonNegative(op, "weight_decay", op.getWeightDecay())))
    return failure();
  if (!(op.getEps().convertToDouble() > 0.0))
    return op.emitOpError("eps must be positive, got ")
           << shortest(op.getEps().convertToDouble());
  return success();
}
} // namespace

LogicalResult AdamUpdateOp::verify() { return verifyAdam(*this); }
LogicalResult AdamWUpdateOp::verify() { return verifyAdam(*this); }

LogicalResult AdamUpdateOp::verifySymbolUses(SymbolTableCollection &symbolTable) {
  return verifyUpdatedParam(*this, getParamAttr(), getGrad().getType(), symbolTable);
}

LogicalResult AdamWUpdateOp::verifySymbolUses(SymbolTableCollection &symbolTable) {
  return verifyUpdatedParam(*this, getParamAttr(), getGrad().getType(), symbolTable);
}

FlopCount AdamUpdateOp::getFlopCount() {
  return vectorWork(getGrad().getType(), kAdamFlopsPerElement);
}

FlopCount AdamWUpdateOp::getFlopCount() {
  return vectorWork(getGrad().getType(), kAdamFlopsPerElement);
}

#define GET_OP_CLASSES
#include "dialects/hpt/HptOps.cpp.inc"
