//===- GpuKernels.cpp - hpt ops as linalg kernels for the GPU ---------------===//
//
// Each kernel computes its op as the host runtime's kernel does: the same
// formulas in the same order where the order changes the rounding, and the
// same double-precision sums (runtime/host/Elementwise.cpp, Normalisation.cpp,
// LossAndOptimizers.cpp, Rng.cpp). Reductions keep their per-row statistics
// in workspaces the caller provides, so that a kernel allocates nothing.
//
//===----------------------------------------------------------------------===//

#include "hpt/Conversion/GpuKernels.h"

#include "dialects/hpt/HptOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/TypeSwitch.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>
#include <functional>
#include <limits>

using namespace mlir;

namespace hpt {

FailureOr<GpuLowering> gpuLoweringOf(Operation *op) {
  if (isa<GetParamOp, ReshapeOp, ConstantLrOp, StepLrOp>(op))
    return GpuLowering::None;
  if (auto linear = dyn_cast<LinearOp>(op))
    return linear.getBias() ? GpuLowering::LibraryAndKernel : GpuLowering::Library;
  if (isa<MatmulOp, BatchMatmulOp>(op))
    return GpuLowering::Library;
  if (isa<AddOp, ScaleOp, ReluOp, GeluOp, DropoutOp, PositionalEncodingOp, SoftmaxOp,
          LayerNormOp, ConcatOp, TransposeOp, SliceOp, MseLossOp, ReluGradOp, GeluGradOp,
          SoftmaxGradOp, LayerNormGradOp, MseLossGradOp, ReduceRowsOp, SgdUpdateOp,
          AdamUpdateOp, AdamWUpdateOp>(op))
    return GpuLowering::Kernel;
  if (isa<SelfAttentionOp>(op))
    return op->emitOpError("is placed on the gpu but has no GPU lowering: decompose it "
                           "first (hpt-decompose-attention)");
  return op->emitOpError("is placed on the gpu but has no GPU lowering");
}

namespace {

using BodyFn = std::function<Value(OpBuilder &, Location, ValueRange)>;
using Iterators = SmallVector<utils::IteratorType>;

/// One kernel's arguments: their types and what each binds to.
struct Signature {
  SmallVector<Type> types;
  SmallVector<std::string> bindings;

  /// Adds an argument; returns its index.
  unsigned add(Type type, std::string binding) {
    types.push_back(type);
    bindings.push_back(std::move(binding));
    return types.size() - 1;
  }
  unsigned operand(Operation *op, unsigned i) {
    return add(op->getOperand(i).getType(), "operand:" + std::to_string(i));
  }
  unsigned result(Operation *op, unsigned i) {
    return add(op->getResult(i).getType(), "result:" + std::to_string(i));
  }
  /// Whether the kernel returns the argument: it writes it.
  bool written(unsigned index) const {
    StringRef b = bindings[index];
    return b.starts_with("result:") || b == "param" || b == "moment1" || b == "moment2" ||
           b == "workspace";
  }
};

Value ext(OpBuilder &b, Location loc, Value v) {
  return arith::ExtFOp::create(b, loc, b.getF64Type(), v);
}
Value trunc(OpBuilder &b, Location loc, Value v) {
  return arith::TruncFOp::create(b, loc, b.getF32Type(), v);
}
Value constF32(OpBuilder &b, Location loc, double v) {
  return arith::ConstantOp::create(b, loc, b.getF32FloatAttr(static_cast<float>(v)));
}
Value constF64(OpBuilder &b, Location loc, double v) {
  return arith::ConstantOp::create(b, loc, b.getF64FloatAttr(v));
}

/// Builds the body of one kernel: linalg ops on its arguments.
class Kernel {
public:
  Kernel(OpBuilder &b, Location loc) : b(b), loc(loc) {}

  OpBuilder &b;
  Location loc;

  /// `outs` filled with `value`.
  Value fill(Value value, Value out) {
    return linalg::FillOp::create(b, loc, ValueRange{value}, ValueRange{out}).getResult(0);
  }

  /// A linalg.generic with one result per output, each output's body value
  /// from `body` (given the ins' and outs' elements).
  SmallVector<Value> generic(ValueRange ins, ValueRange outs, ArrayRef<AffineMap> maps,
                             ArrayRef<utils::IteratorType> iterators,
                             const std::function<SmallVector<Value>(OpBuilder &, Location,
                                                                    ValueRange)> &body) {
    auto op = linalg::GenericOp::create(
        b, loc, TypeRange(outs), ins, outs, maps, iterators,
        [&](OpBuilder &nested, Location nestedLoc, ValueRange args) {
          linalg::YieldOp::create(nested, nestedLoc, body(nested, nestedLoc, args));
        });
    return SmallVector<Value>(op.getResults());
  }

  /// out = body(ins...) elementwise over out's shape; an input of lower rank
  /// is broadcast along the leading axes (a bias over the last axis).
  Value elementwise(ValueRange ins, Value out, const BodyFn &body) {
    const int64_t rank = cast<RankedTensorType>(out.getType()).getRank();
    SmallVector<AffineMap> maps;
    for (Value in : ins)
      maps.push_back(trailingMap(rank, cast<RankedTensorType>(in.getType()).getRank()));
    maps.push_back(b.getMultiDimIdentityMap(rank));
    return generic(ins, out, maps, Iterators(rank, utils::IteratorType::parallel),
                   [&](OpBuilder &nested, Location l, ValueRange args) -> SmallVector<Value> {
                     return {body(nested, l, args.drop_back())};
                   })
        .front();
  }

  /// The map of an operand of rank `operandRank` aligned with the trailing
  /// axes of a `rank`-dimensional iteration space.
  AffineMap trailingMap(int64_t rank, int64_t operandRank) {
    SmallVector<AffineExpr> exprs;
    for (int64_t d = rank - operandRank; d < rank; ++d)
      exprs.push_back(b.getAffineDimExpr(d));
    return AffineMap::get(rank, 0, exprs, b.getContext());
  }

  /// Maps for reducing a `rank`-dimensional tensor over `axis`: the
  /// iteration space is the other axes in order, then `axis` last. `full`
  /// addresses the tensor; `stats` the tensor without `axis`.
  void axisMaps(int64_t rank, int64_t axis, AffineMap &full, AffineMap &stats) {
    SmallVector<AffineExpr> fullExprs, statExprs;
    for (int64_t d = 0, kept = 0; d < rank; ++d) {
      if (d == axis) {
        fullExprs.push_back(b.getAffineDimExpr(rank - 1));
        continue;
      }
      fullExprs.push_back(b.getAffineDimExpr(kept));
      statExprs.push_back(b.getAffineDimExpr(kept));
      ++kept;
    }
    full = AffineMap::get(rank, 0, fullExprs, b.getContext());
    stats = AffineMap::get(rank, 0, statExprs, b.getContext());
  }
  Iterators reductionLast(int64_t rank) {
    Iterators iterators(rank, utils::IteratorType::parallel);
    iterators.back() = utils::IteratorType::reduction;
    return iterators;
  }

  /// Σ over the last iteration axis of term(elements of `ins`, by
  /// `inMaps`) into the f64 workspace `sums` (zeroed first), addressed by
  /// `sumMap`.
  Value sumOverAxis(ValueRange ins, ArrayRef<AffineMap> inMaps, Value sums, AffineMap sumMap,
                    const BodyFn &term) {
    SmallVector<AffineMap> maps(inMaps);
    maps.push_back(sumMap);
    Value zeroed = fill(constF64(b, loc, 0.0), sums);
    return generic(ins, zeroed, maps, reductionLast(sumMap.getNumDims()),
                   [&](OpBuilder &nested, Location l, ValueRange args) -> SmallVector<Value> {
                     Value t = term(nested, l, args.drop_back());
                     return {arith::AddFOp::create(nested, l, args.back(), t)};
                   })
        .front();
  }
};

int64_t normalisedAxis(int64_t axis, int64_t rank) { return axis < 0 ? axis + rank : axis; }

RankedTensorType withoutAxis(RankedTensorType type, int64_t axis, Type element) {
  SmallVector<int64_t> shape(type.getShape());
  shape.erase(shape.begin() + axis);
  return RankedTensorType::get(shape, element);
}

//===----------------------------------------------------------------------===//
// Elementwise
//===----------------------------------------------------------------------===//

constexpr double kInvSqrt2Pi = 0.398942292;  // 1/sqrt(2*pi), as the host's float
constexpr double kGeluTanhBeta = 0.797884561; // sqrt(2/pi)
constexpr double kGeluTanhKappa = 0.044715;
constexpr double kInvSqrt2 = 0.70710678118654752;

/// Φ(x) = erfc(−x/√2)/2, without the cancellation of 1 + erf for x << 0.
Value normalCdf(OpBuilder &b, Location loc, Value x) {
  Value scaled = arith::MulFOp::create(b, loc, x, constF32(b, loc, -kInvSqrt2));
  Value erfc = math::ErfcOp::create(b, loc, scaled);
  return arith::MulFOp::create(b, loc, erfc, constF32(b, loc, 0.5));
}

/// e^{-2k}, k = √(2/π)(x + 0.044715x³): the tanh form's one exponential.
Value geluTanhExp(OpBuilder &b, Location loc, Value x, Value xSquared) {
  Value cube = arith::MulFOp::create(b, loc, xSquared, x);
  Value inner = arith::MulFOp::create(
      b, loc, constF32(b, loc, kGeluTanhBeta),
      arith::AddFOp::create(b, loc, x,
                            arith::MulFOp::create(b, loc, constF32(b, loc, kGeluTanhKappa), cube)));
  return math::ExpOp::create(b, loc,
                             arith::MulFOp::create(b, loc, constF32(b, loc, -2.0), inner));
}

Value geluForward(OpBuilder &b, Location loc, Value x, bool tanhApprox) {
  if (!tanhApprox)
    return arith::MulFOp::create(b, loc, x, normalCdf(b, loc, x));
  Value e = geluTanhExp(b, loc, x, arith::MulFOp::create(b, loc, x, x));
  return arith::DivFOp::create(b, loc, x,
                               arith::AddFOp::create(b, loc, constF32(b, loc, 1.0), e));
}

Value geluBackward(OpBuilder &b, Location loc, Value dy, Value x, bool tanhApprox) {
  Value one = constF32(b, loc, 1.0);
  if (!tanhApprox) {
    // Φ(x) + x·φ(x)
    Value halfSquare = arith::MulFOp::create(
        b, loc, constF32(b, loc, -0.5), arith::MulFOp::create(b, loc, x, x));
    Value pdf = arith::MulFOp::create(b, loc, constF32(b, loc, kInvSqrt2Pi),
                                      math::ExpOp::create(b, loc, halfSquare));
    Value d = arith::AddFOp::create(b, loc, normalCdf(b, loc, x),
                                    arith::MulFOp::create(b, loc, x, pdf));
    return arith::MulFOp::create(b, loc, dy, d);
  }
  // σ + 2x·(e·σ)·σ·k', σ = 1/(1 + e), k' = √(2/π)(1 + 3·0.044715x²)
  Value xSquared = arith::MulFOp::create(b, loc, x, x);
  Value e = geluTanhExp(b, loc, x, xSquared);
  Value innerDerivative = arith::MulFOp::create(
      b, loc, constF32(b, loc, kGeluTanhBeta),
      arith::AddFOp::create(
          b, loc, one,
          arith::MulFOp::create(b, loc, constF32(b, loc, 3.0 * kGeluTanhKappa), xSquared)));
  Value sig = arith::DivFOp::create(b, loc, one, arith::AddFOp::create(b, loc, one, e));
  Value twoX = arith::MulFOp::create(b, loc, constF32(b, loc, 2.0), x);
  Value term = arith::MulFOp::create(
      b, loc,
      arith::MulFOp::create(
          b, loc, arith::MulFOp::create(b, loc, twoX, arith::MulFOp::create(b, loc, e, sig)),
          sig),
      innerDerivative);
  return arith::MulFOp::create(b, loc, dy, arith::AddFOp::create(b, loc, sig, term));
}

/// Word `index % 4` of Philox4x32-10 (key `seed`, counter (`step`,
/// index / 4)) as a uniform float in [0, 1): runtime/host/Rng.cpp's
/// uniform01, with the key schedule folded into constants.
Value philoxUniform(OpBuilder &b, Location loc, uint64_t seed, Value step, Value index) {
  Type i32 = b.getI32Type();
  auto c32 = [&](uint32_t v) {
    return arith::ConstantOp::create(b, loc, b.getI32IntegerAttr(static_cast<int32_t>(v)));
  };
  auto c64 = [&](int64_t v) { return arith::ConstantOp::create(b, loc, b.getI64IntegerAttr(v)); };
  auto low = [&](Value v) { return arith::TruncIOp::create(b, loc, i32, v); };
  auto high = [&](Value v) { return low(arith::ShRUIOp::create(b, loc, v, c64(32))); };
  Value counter = arith::ShRUIOp::create(b, loc, index, c64(2));
  Value c0 = low(counter), c1 = high(counter), c2 = low(step), c3 = high(step);
  uint32_t k0 = static_cast<uint32_t>(seed), k1 = static_cast<uint32_t>(seed >> 32);
  for (int round = 0; round < 10; ++round) {
    auto p0 = arith::MulUIExtendedOp::create(b, loc, c32(0xD2511F53u), c0);
    auto p1 = arith::MulUIExtendedOp::create(b, loc, c32(0xCD9E8D57u), c2);
    Value n0 = arith::XOrIOp::create(
        b, loc, arith::XOrIOp::create(b, loc, p1.getHigh(), c1), c32(k0));
    Value n2 = arith::XOrIOp::create(
        b, loc, arith::XOrIOp::create(b, loc, p0.getHigh(), c3), c32(k1));
    c0 = n0;
    c1 = p1.getLow();
    c2 = n2;
    c3 = p0.getLow();
    k0 += 0x9E3779B9u;
    k1 += 0xBB67AE85u;
  }
  Value lane = low(arith::AndIOp::create(b, loc, index, c64(3)));
  auto pick = [&](uint32_t which, Value word, Value otherwise) {
    Value is = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, lane, c32(which));
    return arith::SelectOp::create(b, loc, is, word, otherwise);
  };
  Value word = pick(0, c0, pick(1, c1, pick(2, c2, c3)));
  Value bits = arith::ShRUIOp::create(b, loc, word, c32(8));
  Value asFloat = arith::UIToFPOp::create(b, loc, b.getF32Type(), bits);
  return arith::MulFOp::create(b, loc, asFloat, constF32(b, loc, 0x1p-24));
}

//===----------------------------------------------------------------------===//
// The kernels
//===----------------------------------------------------------------------===//

/// The tensor type of a value, when it is a static f32 tensor.
FailureOr<RankedTensorType> staticF32(Operation *op, Value value) {
  auto type = dyn_cast<RankedTensorType>(value.getType());
  if (!type || !type.hasStaticShape() || !type.getElementType().isF32())
    return op->emitOpError("has a value of type ")
           << value.getType() << ": GPU kernels take static f32 tensors";
  return type;
}

/// What a kernel computes, given its arguments (in Signature order); returns
/// the tensors it writes, in argument order.
using KernelFn = std::function<SmallVector<Value>(Kernel &, ArrayRef<BlockArgument>)>;

struct KernelPlan {
  std::string name; ///< the op kind, for the kernel's name
  Signature signature;
  KernelFn build;
};

/// The row-major linear index of the current element of a generic over a
/// tensor of `type` (i64).
Value linearIndex(OpBuilder &b, Location loc, RankedTensorType type) {
  Type i64 = b.getI64Type();
  Value index = arith::ConstantOp::create(b, loc, b.getI64IntegerAttr(0));
  for (int64_t d = 0; d < type.getRank(); ++d) {
    Value extent = arith::ConstantOp::create(b, loc, b.getI64IntegerAttr(type.getDimSize(d)));
    Value at = arith::IndexCastOp::create(b, loc, i64, linalg::IndexOp::create(b, loc, d));
    index = arith::AddIOp::create(b, loc, arith::MulIOp::create(b, loc, index, extent), at);
  }
  return index;
}

/// Softmax (or its gradient) over `axis`: the host's softmaxForward and
/// softmaxBackward. Forward: max, exp(x − max), Σ in double, times the
/// float reciprocal of the sum. Backward: y ⊙ (dy − float(Σ dy·y in double)).
LogicalResult planSoftmax(Operation *op, int64_t axisAttr, bool grad, Signature &sig,
                          KernelPlan &plan) {
  auto type = cast<RankedTensorType>(op->getResult(0).getType());
  const int64_t rank = type.getRank(), axis = normalisedAxis(axisAttr, rank);
  Type f32 = Float32Type::get(op->getContext()), f64 = Float64Type::get(op->getContext());
  sig.operand(op, 0);
  if (grad)
    sig.operand(op, 1);
  sig.result(op, 0);
  if (!grad)
    sig.add(withoutAxis(type, axis, f32), "workspace");
  sig.add(withoutAxis(type, axis, f64), "workspace");
  plan.build = [rank, axis, grad](Kernel &k, ArrayRef<BlockArgument> a) -> SmallVector<Value> {
    AffineMap full, stats;
    k.axisMaps(rank, axis, full, stats);
    const Iterators parallel(rank, utils::IteratorType::parallel);
    if (grad) {
      Value dot = k.sumOverAxis(ValueRange{a[0], a[1]}, {full, full}, a[3], stats,
                                [](OpBuilder &b, Location l, ValueRange v) -> Value {
                                  return arith::MulFOp::create(b, l, ext(b, l, v[0]), ext(b, l, v[1]));
                                });
      Value dx = k.generic(ValueRange{a[0], a[1], dot}, a[2], {full, full, stats, full}, parallel,
                           [](OpBuilder &b, Location l, ValueRange v) -> SmallVector<Value> {
                             Value diff = arith::SubFOp::create(b, l, v[0], trunc(b, l, v[2]));
                             return {arith::MulFOp::create(b, l, v[1], diff)};
                           })
                     .front();
      return {dx, dot};
    }
    Value lowest = k.fill(constF32(k.b, k.loc, -std::numeric_limits<float>::infinity()), a[2]);
    Value max = k.generic(ValueRange{a[0]}, lowest, {full, stats}, k.reductionLast(rank),
                          [](OpBuilder &b, Location l, ValueRange v) -> SmallVector<Value> {
                            // std::max(m, x): x when m < x
                            Value less = arith::CmpFOp::create(b, l, arith::CmpFPredicate::OLT, v[1], v[0]);
                            return {arith::SelectOp::create(b, l, less, v[0], v[1])};
                          })
                    .front();
    Value exps = k.generic(ValueRange{a[0], max}, a[1], {full, stats, full}, parallel,
                           [](OpBuilder &b, Location l, ValueRange v) -> SmallVector<Value> {
                             return {math::ExpOp::create(b, l, arith::SubFOp::create(b, l, v[0], v[1]))};
                           })
                     .front();
    Value sum = k.sumOverAxis(ValueRange{exps}, {full}, a[3], stats,
                              [](OpBuilder &b, Location l, ValueRange v) { return ext(b, l, v[0]); });
    // The exponentials are scaled where they are (the result as the output
    // it reads), which bufferizes in place whatever the axis.
    Value y = k.generic(ValueRange{sum}, exps, {stats, full}, parallel,
                        [](OpBuilder &b, Location l, ValueRange v) -> SmallVector<Value> {
                          Value inverse = trunc(b, l, arith::DivFOp::create(b, l, constF64(b, l, 1.0), v[0]));
                          return {arith::MulFOp::create(b, l, v[1], inverse)};
                        })
                  .front();
    return {y, max, sum};
  };
  return success();
}

/// Layer norm's row statistics as the host's rowMoments: the mean and the
/// biased variance in double (the variance about the double mean), then
/// float(mean) and float(1/sqrt(var + eps)).
struct RowMoments {
  Value mean, rstd;
};
RowMoments rowMoments(OpBuilder &b, Location l, Value sum, Value squares, int64_t d, float eps) {
  Value count = constF64(b, l, static_cast<double>(d));
  Value mean = arith::DivFOp::create(b, l, sum, count);
  Value var = arith::DivFOp::create(b, l, squares, count);
  Value root = math::SqrtOp::create(b, l, arith::AddFOp::create(b, l, var, constF64(b, l, eps)));
  return {trunc(b, l, mean), trunc(b, l, arith::DivFOp::create(b, l, constF64(b, l, 1.0), root))};
}

/// Σ x and Σ (x − mean)² per row (the last axis), in double, into the two
/// workspaces.
std::pair<Value, Value> rowSums(Kernel &k, Value x, Value sumSpace, Value squareSpace, int64_t rank,
                                int64_t d) {
  AffineMap full, stats;
  k.axisMaps(rank, rank - 1, full, stats);
  Value sum = k.sumOverAxis(ValueRange{x}, {full}, sumSpace, stats,
                            [](OpBuilder &b, Location l, ValueRange v) { return ext(b, l, v[0]); });
  Value squares = k.sumOverAxis(
      ValueRange{x, sum}, {full, stats}, squareSpace, stats,
      [d](OpBuilder &b, Location l, ValueRange v) -> Value {
        Value mean = arith::DivFOp::create(b, l, v[1], constF64(b, l, static_cast<double>(d)));
        Value c = arith::SubFOp::create(b, l, ext(b, l, v[0]), mean);
        return arith::MulFOp::create(b, l, c, c);
      });
  return {sum, squares};
}

/// (x − mean)·rstd in float.
Value normalised(OpBuilder &b, Location l, Value x, const RowMoments &m) {
  return arith::MulFOp::create(b, l, arith::SubFOp::create(b, l, x, m.mean), m.rstd);
}

/// layer_norm over the last axis: the host's layerNormForward,
/// ((x − mean)·rstd)·gamma + beta.
/// A layer norm (or its gradient): the rank, the normalised axis's size,
/// eps as the host's float; its three operands and its double row
/// statistics (Σx, Σ(x − mean)², then `extraStats` more) go into `sig`.
struct NormShape {
  int64_t rank, d;
  float eps;
};
NormShape planNorm(Operation *op, double eps, unsigned results, unsigned extraStats, Signature &sig) {
  auto type = cast<RankedTensorType>(op->getResult(0).getType());
  for (unsigned i = 0; i < 3; ++i)
    sig.operand(op, i);
  for (unsigned i = 0; i < results; ++i)
    sig.result(op, i);
  for (unsigned i = 0; i < 2 + extraStats; ++i)
    sig.add(withoutAxis(type, type.getRank() - 1, Float64Type::get(op->getContext())), "workspace");
  return {type.getRank(), type.getShape().back(), static_cast<float>(eps)};
}

LogicalResult planLayerNorm(Operation *op, double epsAttr, Signature &sig, KernelPlan &plan) {
  const NormShape shape = planNorm(op, epsAttr, 1, 0, sig);
  const int64_t rank = shape.rank, d = shape.d;
  const float eps = shape.eps;
  plan.build = [rank, d, eps](Kernel &k, ArrayRef<BlockArgument> a) -> SmallVector<Value> {
    auto [sum, squares] = rowSums(k, a[0], a[4], a[5], rank, d);
    AffineMap full, stats;
    k.axisMaps(rank, rank - 1, full, stats);
    AffineMap param = k.trailingMap(rank, 1); // gamma, beta: the last axis
    Value y = k.generic(ValueRange{a[0], sum, squares, a[1], a[2]}, a[3],
                        {full, stats, stats, param, param, full},
                        Iterators(rank, utils::IteratorType::parallel),
                        [d, eps](OpBuilder &b, Location l, ValueRange v) -> SmallVector<Value> {
                          RowMoments m = rowMoments(b, l, v[1], v[2], d, eps);
                          Value scaled = arith::MulFOp::create(b, l, normalised(b, l, v[0], m), v[3]);
                          return {arith::AddFOp::create(b, l, scaled, v[4])};
                        })
                  .front();
    return {y, sum, squares};
  };
  return success();
}

/// layer_norm_grad: the host's layerNormBackward. dx = rstd·(g − mean(g) −
/// x̂·mean(g·x̂)) with g = dy·gamma and the means from double sums; dgamma =
/// Σ_rows dy·x̂ and dbeta = Σ_rows dy in float, rows in order.
LogicalResult planLayerNormGrad(Operation *op, double epsAttr, Signature &sig, KernelPlan &plan) {
  const NormShape shape = planNorm(op, epsAttr, 3, 2, sig);
  const int64_t rank = shape.rank, d = shape.d;
  const float eps = shape.eps;
  plan.build = [rank, d, eps](Kernel &k, ArrayRef<BlockArgument> a) -> SmallVector<Value> {
    Value dy = a[0], x = a[1], gamma = a[2];
    auto [sum, squares] = rowSums(k, x, a[6], a[7], rank, d);
    AffineMap full, stats;
    k.axisMaps(rank, rank - 1, full, stats);
    AffineMap param = k.trailingMap(rank, 1); // gamma, beta: the last axis
    Value zero = constF64(k.b, k.loc, 0.0);
    SmallVector<Value> sums = k.generic(
        ValueRange{dy, x, gamma, sum, squares}, ValueRange{k.fill(zero, a[8]), k.fill(zero, a[9])},
        {full, full, param, stats, stats, stats, stats}, k.reductionLast(rank),
        [d, eps](OpBuilder &b, Location l, ValueRange v) -> SmallVector<Value> {
          RowMoments m = rowMoments(b, l, v[3], v[4], d, eps);
          Value g = arith::MulFOp::create(b, l, v[0], v[2]);
          Value xhat = normalised(b, l, v[1], m);
          Value gx = arith::MulFOp::create(b, l, ext(b, l, g), ext(b, l, xhat));
          return {arith::AddFOp::create(b, l, v[5], ext(b, l, g)),
                  arith::AddFOp::create(b, l, v[6], gx)};
        });
    const double invD = 1.0 / static_cast<double>(d);
    Value dx = k.generic(
                    ValueRange{dy, x, gamma, sum, squares, sums[0], sums[1]}, a[3],
                    {full, full, param, stats, stats, stats, stats, full},
                    Iterators(rank, utils::IteratorType::parallel),
                    [d, eps, invD](OpBuilder &b, Location l, ValueRange v) -> SmallVector<Value> {
                      RowMoments m = rowMoments(b, l, v[3], v[4], d, eps);
                      Value meanG = trunc(b, l, arith::MulFOp::create(b, l, v[5], constF64(b, l, invD)));
                      Value meanGX = trunc(b, l, arith::MulFOp::create(b, l, v[6], constF64(b, l, invD)));
                      Value g = arith::MulFOp::create(b, l, v[0], v[2]);
                      Value xhat = normalised(b, l, v[1], m);
                      Value inner = arith::SubFOp::create(b, l, arith::SubFOp::create(b, l, g, meanG),
                                                          arith::MulFOp::create(b, l, xhat, meanGX));
                      return {arith::MulFOp::create(b, l, m.rstd, inner)};
                    })
                   .front();
    // Column sums: the column first, then the rows in order.
    SmallVector<AffineExpr> rowFirst, rowOnly;
    for (int64_t r = 1; r < rank; ++r) {
      rowFirst.push_back(k.b.getAffineDimExpr(r));
      rowOnly.push_back(k.b.getAffineDimExpr(r));
    }
    rowFirst.push_back(k.b.getAffineDimExpr(0));
    MLIRContext *context = k.b.getContext();
    AffineMap element = AffineMap::get(rank, 0, rowFirst, context);
    AffineMap row = AffineMap::get(rank, 0, rowOnly, context);
    AffineMap column = AffineMap::get(rank, 0, {k.b.getAffineDimExpr(0)}, context);
    Iterators columns(rank, utils::IteratorType::reduction);
    columns.front() = utils::IteratorType::parallel;
    Value zeroF32 = constF32(k.b, k.loc, 0.0);
    SmallVector<Value> paramGrads = k.generic(
        ValueRange{dy, x, sum, squares}, ValueRange{k.fill(zeroF32, a[4]), k.fill(zeroF32, a[5])},
        {element, element, row, row, column, column}, columns,
        [d, eps](OpBuilder &b, Location l, ValueRange v) -> SmallVector<Value> {
          RowMoments m = rowMoments(b, l, v[2], v[3], d, eps);
          Value xhat = normalised(b, l, v[1], m);
          return {arith::AddFOp::create(b, l, v[4], arith::MulFOp::create(b, l, v[0], xhat)),
                  arith::AddFOp::create(b, l, v[5], v[0])};
        });
    return {dx, paramGrads[0], paramGrads[1], sum, squares, sums[0], sums[1]};
  };
  return success();
}

/// sgd_update: the host's sgdUpdate with its per-step coefficients as
/// scalars (SgdCoefficients); the momentum buffer only when momentum ≠ 0.
LogicalResult planSgd(Operation *op, SgdUpdateOp update, Signature &sig, KernelPlan &plan) {
  Type grad = op->getOperand(0).getType();
  Type f32 = Float32Type::get(op->getContext());
  const bool momentum = update.getMomentum().convertToDouble() != 0.0;
  const bool nesterov = update.getNesterov();
  sig.add(grad, "param");
  sig.operand(op, 0);
  if (momentum)
    sig.add(grad, "moment1");
  for (StringRef name : {"negLr", "momentum", "oneMinusDampening", "weightDecay"})
    sig.add(f32, ("scalar:" + name).str());
  sig.add(IntegerType::get(op->getContext(), 32), "scalar:first");
  plan.build = [momentum, nesterov](Kernel &k, ArrayRef<BlockArgument> a) -> SmallVector<Value> {
    Value w = a[0], g = a[1];
    const unsigned s = momentum ? 3 : 2;
    Value negLr = a[s], mom = a[s + 1], oneMinusDampening = a[s + 2], weightDecay = a[s + 3],
          first = a[s + 4];
    const int64_t rank = cast<RankedTensorType>(w.getType()).getRank();
    AffineMap all = k.b.getMultiDimIdentityMap(rank);
    const Iterators parallel(rank, utils::IteratorType::parallel);
    if (!momentum)
      return k.generic(ValueRange{g}, ValueRange{w}, {all, all}, parallel,
                       [&](OpBuilder &b, Location l, ValueRange v) -> SmallVector<Value> {
                         Value decayed = arith::AddFOp::create(
                             b, l, v[0], arith::MulFOp::create(b, l, weightDecay, v[1]));
                         return {arith::AddFOp::create(b, l, v[1],
                                                       arith::MulFOp::create(b, l, negLr, decayed))};
                       });
    return k.generic(
        ValueRange{g}, ValueRange{w, a[2]}, {all, all, all}, parallel,
        [&](OpBuilder &b, Location l, ValueRange v) -> SmallVector<Value> {
          Value gi = arith::AddFOp::create(b, l, v[0], arith::MulFOp::create(b, l, weightDecay, v[1]));
          Value isFirst = arith::CmpIOp::create(
              b, l, arith::CmpIPredicate::ne, first,
              arith::ConstantOp::create(b, l, b.getI32IntegerAttr(0)));
          Value later = arith::AddFOp::create(b, l, arith::MulFOp::create(b, l, mom, v[2]),
                                              arith::MulFOp::create(b, l, oneMinusDampening, gi));
          Value buf = arith::SelectOp::create(b, l, isFirst, gi, later);
          Value step = nesterov ? arith::AddFOp::create(b, l, gi, arith::MulFOp::create(b, l, mom, buf))
                                : buf;
          return {arith::AddFOp::create(b, l, v[1], arith::MulFOp::create(b, l, negLr, step)), buf};
        });
  };
  return success();
}

/// adam_update and adamw_update: the host's adamUpdate with its per-step
/// coefficients as scalars (AdamCoefficients, in its field order).
LogicalResult planAdam(Operation *op, Signature &sig, KernelPlan &plan) {
  Type grad = op->getOperand(0).getType();
  Type f32 = Float32Type::get(op->getContext());
  sig.add(grad, "param");
  sig.operand(op, 0);
  sig.add(grad, "moment1");
  sig.add(grad, "moment2");
  for (StringRef name : {"beta1", "oneMinusBeta1", "beta2", "oneMinusBeta2", "negStepSize",
                         "sqrtBias2", "eps", "decay", "l2"})
    sig.add(f32, ("scalar:" + name).str());
  plan.build = [](Kernel &k, ArrayRef<BlockArgument> a) -> SmallVector<Value> {
    Value beta1 = a[4], oneMinusBeta1 = a[5], beta2 = a[6], oneMinusBeta2 = a[7],
          negStepSize = a[8], sqrtBias2 = a[9], eps = a[10], decay = a[11], l2 = a[12];
    const int64_t rank = cast<RankedTensorType>(a[0].getType()).getRank();
    AffineMap all = k.b.getMultiDimIdentityMap(rank);
    return k.generic(
        ValueRange{a[1]}, ValueRange{a[0], a[2], a[3]}, {all, all, all, all},
        Iterators(rank, utils::IteratorType::parallel),
        [&](OpBuilder &b, Location l, ValueRange v) -> SmallVector<Value> {
          auto mul = [&](Value x, Value y) { return arith::MulFOp::create(b, l, x, y); };
          auto add = [&](Value x, Value y) { return arith::AddFOp::create(b, l, x, y); };
          Value w = mul(v[1], decay);
          Value g = add(v[0], mul(l2, w));
          Value m = add(mul(beta1, v[2]), mul(oneMinusBeta1, g));
          Value second = add(mul(beta2, v[3]), mul(mul(oneMinusBeta2, g), g));
          Value denom = add(arith::DivFOp::create(b, l, math::SqrtOp::create(b, l, second), sqrtBias2), eps);
          Value updated = add(w, arith::DivFOp::create(b, l, mul(negStepSize, m), denom));
          return {updated, m, second};
        });
  };
  return success();
}

/// The plan of the kernel of `op` (a linear layer: its bias epilogue).
FailureOr<KernelPlan> planKernel(Operation *op) {
  for (Value v : op->getOperands())
    if (isa<RankedTensorType>(v.getType()) &&
        cast<RankedTensorType>(v.getType()).getRank() > 0 && failed(staticF32(op, v)))
      return failure();
  for (Value v : op->getResults())
    if (failed(staticF32(op, v)))
      return failure();

  KernelPlan plan;
  plan.name = op->getName().stripDialect().str();
  Signature &sig = plan.signature;
  auto operand = [&](unsigned i) { return sig.operand(op, i); };
  auto result = [&](unsigned i) { return sig.result(op, i); };
  auto workspace = [&](Type type) { return sig.add(type, "workspace"); };
  auto scalar = [&](Type type, StringRef name) {
    return sig.add(type, ("scalar:" + name).str());
  };
  auto typeOf = [&](Value v) { return cast<RankedTensorType>(v.getType()); };

  // Elementwise ops of one or two operands and one result.
  auto unary = [&](BodyFn body) {
    operand(0);
    result(0);
    plan.build = [body](Kernel &k, ArrayRef<BlockArgument> a) -> SmallVector<Value> {
      return {k.elementwise(ValueRange{a[0]}, a[1], body)};
    };
  };
  auto binary = [&](BodyFn body) {
    operand(0);
    operand(1);
    result(0);
    plan.build = [body](Kernel &k, ArrayRef<BlockArgument> a) -> SmallVector<Value> {
      return {k.elementwise(ValueRange{a[0], a[1]}, a[2], body)};
    };
  };

  LogicalResult planned =
      llvm::TypeSwitch<Operation *, LogicalResult>(op)
          .Case([&](LinearOp) {
            plan.name = "linear_bias";
            // y (the product cuBLAS wrote) + bias over the last axis.
            result(0);
            operand(2);
            plan.build = [](Kernel &k, ArrayRef<BlockArgument> a) -> SmallVector<Value> {
              return {k.elementwise(ValueRange{a[0], a[1]}, a[0],
                                    [](OpBuilder &b, Location l, ValueRange v) -> Value {
                                      return arith::AddFOp::create(b, l, v[0], v[1]);
                                    })};
            };
            return success();
          })
          .Case([&](AddOp) {
            binary([](OpBuilder &b, Location l, ValueRange v) -> Value {
              return arith::AddFOp::create(b, l, v[0], v[1]);
            });
            return success();
          })
          .Case([&](ScaleOp scale) {
            const double factor = scale.getFactor().convertToDouble();
            unary([factor](OpBuilder &b, Location l, ValueRange v) -> Value {
              return arith::MulFOp::create(b, l, constF32(b, l, factor), v[0]);
            });
            return success();
          })
          .Case([&](ReluOp) {
            // max(x, 0) as the host's std::max: x unless x < 0 (NaN stays).
            unary([](OpBuilder &b, Location l, ValueRange v) -> Value {
              Value zero = constF32(b, l, 0.0);
              Value negative = arith::CmpFOp::create(b, l, arith::CmpFPredicate::OLT, v[0], zero);
              return arith::SelectOp::create(b, l, negative, zero, v[0]);
            });
            return success();
          })
          .Case([&](ReluGradOp) {
            binary([](OpBuilder &b, Location l, ValueRange v) -> Value {
              Value zero = constF32(b, l, 0.0);
              Value positive = arith::CmpFOp::create(b, l, arith::CmpFPredicate::OGT, v[1], zero);
              return arith::SelectOp::create(b, l, positive, v[0], zero);
            });
            return success();
          })
          .Case([&](GeluOp gelu) {
            const bool tanhApprox = gelu.getApproximate() == GeluApproximation::tanh;
            unary([tanhApprox](OpBuilder &b, Location l, ValueRange v) -> Value {
              return geluForward(b, l, v[0], tanhApprox);
            });
            return success();
          })
          .Case([&](GeluGradOp gelu) {
            const bool tanhApprox = gelu.getApproximate() == GeluApproximation::tanh;
            binary([tanhApprox](OpBuilder &b, Location l, ValueRange v) -> Value {
              return geluBackward(b, l, v[0], v[1], tanhApprox);
            });
            return success();
          })
          .Case([&](MseLossGradOp) {
            const int64_t count = typeOf(op->getOperand(0)).getNumElements();
            const double norm = 2.0 / static_cast<double>(count);
            binary([norm](OpBuilder &b, Location l, ValueRange v) -> Value {
              Value diff = arith::SubFOp::create(b, l, v[0], v[1]);
              return arith::MulFOp::create(b, l, diff, constF32(b, l, norm));
            });
            return success();
          })
          .Case([&](DropoutOp dropout) {
            operand(0);
            result(0);
            scalar(IntegerType::get(op->getContext(), 64), "step");
            const float p = static_cast<float>(dropout.getP().convertToDouble());
            const uint64_t seed = static_cast<uint64_t>(dropout.getSeed());
            plan.build = [p, seed](Kernel &k, ArrayRef<BlockArgument> a) -> SmallVector<Value> {
              return {k.elementwise(
                  ValueRange{a[0]}, a[1], [&](OpBuilder &b, Location l, ValueRange v) -> Value {
                    if (!(p > 0.0f)) // the host copies
                      return v[0];
                    if (p >= 1.0f) // the host writes zeros (uniform01 < 1)
                      return constF32(b, l, 0.0);
                    Value index = linearIndex(b, l, cast<RankedTensorType>(a[1].getType()));
                    Value u = philoxUniform(b, l, seed, a[2], index);
                    Value keep = arith::CmpFOp::create(b, l, arith::CmpFPredicate::OGE, u,
                                                       constF32(b, l, p));
                    Value factor = arith::SelectOp::create(
                        b, l, keep, constF32(b, l, 1.0f / (1.0f - p)), constF32(b, l, 0.0));
                    return arith::MulFOp::create(b, l, v[0], factor);
                  })};
            };
            return success();
          })
          .Case([&](PositionalEncodingOp) {
            operand(0);
            result(0);
            plan.build = [](Kernel &k, ArrayRef<BlockArgument> a) -> SmallVector<Value> {
              auto type = cast<RankedTensorType>(a[1].getType());
              const int64_t rank = type.getRank(), d = type.getShape().back();
              const float negLogOverD =
                  static_cast<float>(-std::log(10000.0) / static_cast<double>(d));
              return {k.elementwise(
                  ValueRange{a[0]}, a[1], [&](OpBuilder &b, Location l, ValueRange v) -> Value {
                    Type i64 = b.getI64Type(), f32 = b.getF32Type();
                    auto indexAt = [&](int64_t dim) {
                      return arith::IndexCastOp::create(b, l, i64,
                                                        linalg::IndexOp::create(b, l, dim));
                    };
                    Value t = indexAt(rank - 2), col = indexAt(rank - 1);
                    Value one = arith::ConstantOp::create(b, l, b.getI64IntegerAttr(1));
                    Value even = arith::AndIOp::create(
                        b, l, col, arith::ConstantOp::create(b, l, b.getI64IntegerAttr(~int64_t(1))));
                    Value div = math::ExpOp::create(
                        b, l,
                        arith::MulFOp::create(b, l, arith::SIToFPOp::create(b, l, f32, even),
                                              constF32(b, l, negLogOverD)));
                    Value angle =
                        arith::MulFOp::create(b, l, arith::SIToFPOp::create(b, l, f32, t), div);
                    Value odd = arith::CmpIOp::create(
                        b, l, arith::CmpIPredicate::eq, arith::AndIOp::create(b, l, col, one), one);
                    Value pe = arith::SelectOp::create(b, l, odd, math::CosOp::create(b, l, angle),
                                                       math::SinOp::create(b, l, angle));
                    return arith::AddFOp::create(b, l, v[0], pe);
                  })};
            };
            return success();
          })
          .Case([&](SoftmaxOp softmax) { return planSoftmax(op, softmax.getAxis(), false, sig, plan); })
          .Case([&](SoftmaxGradOp grad) { return planSoftmax(op, grad.getAxis(), true, sig, plan); })
          .Case([&](LayerNormOp norm) { return planLayerNorm(op, norm.getEps().convertToDouble(), sig, plan); })
          .Case([&](LayerNormGradOp grad) {
            return planLayerNormGrad(op, grad.getEps().convertToDouble(), sig, plan);
          })
          .Case([&](MseLossOp) {
            operand(0);
            operand(1);
            result(0);
            workspace(RankedTensorType::get({}, Float64Type::get(op->getContext())));
            const double count = static_cast<double>(typeOf(op->getOperand(0)).getNumElements());
            plan.build = [count](Kernel &k, ArrayRef<BlockArgument> a) -> SmallVector<Value> {
              // Σ (double(p) − t)² over every element, then / count.
              const int64_t rank = cast<RankedTensorType>(a[0].getType()).getRank();
              AffineMap all = k.b.getMultiDimIdentityMap(rank);
              AffineMap scalarMap = AffineMap::get(rank, 0, {}, k.b.getContext());
              Value zeroed = k.fill(constF64(k.b, k.loc, 0.0), a[3]);
              Value sum = k.generic(ValueRange{a[0], a[1]}, zeroed, {all, all, scalarMap},
                                    Iterators(rank, utils::IteratorType::reduction),
                                    [](OpBuilder &b, Location l, ValueRange v) -> SmallVector<Value> {
                                      Value diff = arith::SubFOp::create(b, l, ext(b, l, v[0]),
                                                                         ext(b, l, v[1]));
                                      return {arith::AddFOp::create(
                                          b, l, v[2], arith::MulFOp::create(b, l, diff, diff))};
                                    })
                              .front();
              AffineMap none = AffineMap::get(0, 0, {}, k.b.getContext());
              Value loss = k.generic(ValueRange{sum}, a[2], {none, none}, {},
                                     [count](OpBuilder &b, Location l, ValueRange v) -> SmallVector<Value> {
                                       return {trunc(b, l, arith::DivFOp::create(
                                                               b, l, v[0], constF64(b, l, count)))};
                                     })
                               .front();
              return {loss, sum};
            };
            return success();
          })
          .Case([&](ReduceRowsOp) {
            operand(0);
            result(0);
            plan.build = [](Kernel &k, ArrayRef<BlockArgument> a) -> SmallVector<Value> {
              // Column sums in row order, in float, as the host's sumRows.
              const int64_t rank = cast<RankedTensorType>(a[0].getType()).getRank();
              SmallVector<AffineExpr> inExprs;
              for (int64_t d = 1; d < rank; ++d)
                inExprs.push_back(k.b.getAffineDimExpr(d));
              inExprs.push_back(k.b.getAffineDimExpr(0));
              AffineMap in = AffineMap::get(rank, 0, inExprs, k.b.getContext());
              AffineMap out = AffineMap::get(rank, 0, {k.b.getAffineDimExpr(0)}, k.b.getContext());
              Iterators iterators(rank, utils::IteratorType::reduction);
              iterators.front() = utils::IteratorType::parallel;
              Value zeroed = k.fill(constF32(k.b, k.loc, 0.0), a[1]);
              return k.generic(ValueRange{a[0]}, zeroed, {in, out}, iterators,
                               [](OpBuilder &b, Location l, ValueRange v) -> SmallVector<Value> {
                                 return {arith::AddFOp::create(b, l, v[1], v[0])};
                               });
            };
            return success();
          })
          .Case([&](TransposeOp transpose) {
            operand(0);
            result(0);
            SmallVector<int64_t> perm(transpose.getPermutation());
            plan.build = [perm](Kernel &k, ArrayRef<BlockArgument> a) -> SmallVector<Value> {
              return {linalg::TransposeOp::create(k.b, k.loc, a[0], a[1], perm).getResult()[0]};
            };
            return success();
          })
          .Case([&](SliceOp slice) {
            operand(0);
            result(0);
            const int64_t axis = normalisedAxis(slice.getAxis(), typeOf(op->getOperand(0)).getRank());
            const int64_t offset = slice.getOffset();
            plan.build = [axis, offset](Kernel &k, ArrayRef<BlockArgument> a) -> SmallVector<Value> {
              auto out = cast<RankedTensorType>(a[1].getType());
              SmallVector<OpFoldResult> offsets(out.getRank(), k.b.getIndexAttr(0)), sizes,
                  strides(out.getRank(), k.b.getIndexAttr(1));
              for (int64_t size : out.getShape())
                sizes.push_back(k.b.getIndexAttr(size));
              offsets[axis] = k.b.getIndexAttr(offset);
              Value part = tensor::ExtractSliceOp::create(k.b, k.loc, out, a[0], offsets, sizes, strides);
              return {linalg::CopyOp::create(k.b, k.loc, ValueRange{part}, ValueRange{a[1]})
                          .getResult(0)};
            };
            return success();
          })
          .Case([&](ConcatOp concat) {
            for (unsigned i = 0; i < op->getNumOperands(); ++i)
              operand(i);
            result(0);
            const unsigned inputs = op->getNumOperands();
            const int64_t axis = normalisedAxis(concat.getAxis(), typeOf(op->getResult(0)).getRank());
            plan.build = [inputs, axis](Kernel &k, ArrayRef<BlockArgument> a) -> SmallVector<Value> {
              Value out = a[inputs];
              const int64_t rank = cast<RankedTensorType>(out.getType()).getRank();
              int64_t offset = 0;
              for (unsigned i = 0; i < inputs; ++i) {
                auto in = cast<RankedTensorType>(a[i].getType());
                SmallVector<OpFoldResult> offsets(rank, k.b.getIndexAttr(0)), sizes,
                    strides(rank, k.b.getIndexAttr(1));
                for (int64_t size : in.getShape())
                  sizes.push_back(k.b.getIndexAttr(size));
                offsets[axis] = k.b.getIndexAttr(offset);
                Value place = tensor::ExtractSliceOp::create(k.b, k.loc, in, out, offsets, sizes, strides);
                Value copied =
                    linalg::CopyOp::create(k.b, k.loc, ValueRange{a[i]}, ValueRange{place}).getResult(0);
                out = tensor::InsertSliceOp::create(k.b, k.loc, copied, out, offsets, sizes, strides);
                offset += in.getShape()[axis];
              }
              return {out};
            };
            return success();
          })
          .Case([&](SgdUpdateOp update) { return planSgd(op, update, sig, plan); })
          .Case([&](AdamUpdateOp) { return planAdam(op, sig, plan); })
          .Case([&](AdamWUpdateOp) { return planAdam(op, sig, plan); })
          .Default([&](Operation *) { return op->emitOpError("has no GPU kernel"); });
  if (failed(planned))
    return failure();
  return plan;
}

/// What makes two ops share a kernel: the op, its attributes (not its
/// placement or the parameter an update names) and its types.
std::string kernelKey(Operation *op) {
  std::string key;
  llvm::raw_string_ostream os(key);
  os << (isa<LinearOp>(op) ? StringRef("linear_bias") : op->getName().getStringRef());
  for (NamedAttribute attr : op->getAttrs())
    if (!attr.getName().getValue().starts_with("hpt.") && attr.getName() != "param")
      os << " " << attr.getName().getValue() << "=" << attr.getValue();
  os << " : " << op->getOperandTypes() << " -> " << op->getResultTypes();
  return key;
}

} // namespace

GpuKernelBuilder::GpuKernelBuilder(ModuleOp kernels) : kernels(kernels) {}

FailureOr<func::FuncOp> GpuKernelBuilder::kernelFor(Operation *op) {
  const std::string key = kernelKey(op);
  if (auto found = bySignature.find(key); found != bySignature.end())
    return found->second;
  FailureOr<KernelPlan> plan = planKernel(op);
  if (failed(plan))
    return failure();
  const Signature &sig = plan->signature;
  SmallVector<Type> written;
  for (unsigned i = 0; i < sig.types.size(); ++i)
    if (sig.written(i))
      written.push_back(sig.types[i]);

  std::string name;
  do
    name = plan->name + "_" + std::to_string(namesUsed[plan->name]++);
  while (kernels.lookupSymbol(name));
  OpBuilder b(op->getContext());
  b.setInsertionPointToEnd(kernels.getBody());
  auto fn = func::FuncOp::create(b, op->getLoc(), name,
                                 b.getFunctionType(sig.types, written));
  SmallVector<StringRef> bindings(sig.bindings.begin(), sig.bindings.end());
  fn->setAttr(kGpuArgsAttrName, b.getStrArrayAttr(bindings));
  Block *entry = fn.addEntryBlock();
  b.setInsertionPointToStart(entry);
  Kernel kernel(b, op->getLoc());
  SmallVector<Value> results = plan->build(kernel, entry->getArguments());
  func::ReturnOp::create(b, op->getLoc(), results);
  bySignature[key] = fn;
  return fn;
}

} // namespace hpt
