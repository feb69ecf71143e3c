//===- HptShapes.cpp - shape rules of the hpt ops -------------------------===//

#include "dialects/hpt/HptShapes.h"


#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/Support/raw_ostream.h"

#include <limits>
#include <string>

using namespace hpt::shapes;
using llvm::Expected;

namespace {
std::string str(ShapeRef shape) {
  std::string text;
  llvm::raw_string_ostream os(text);
  os << '[';
  llvm::interleaveComma(shape, os);
  os << ']';
  return text;
}

template <typename... Ts>
llvm::Error fail(const char *format, Ts &&...values) {
  return llvm::createStringError(
      llvm::inconvertibleErrorCode(),
      llvm::formatv(format, std::forward<Ts>(values)...).str());
}

/// The (rows, cols) of a rank-2 operand after an optional transpose.
std::pair<int64_t, int64_t> matrixDims(ShapeRef innerTwo, bool transposed) {
  return transposed ? std::make_pair(innerTwo[1], innerTwo[0])
                    : std::make_pair(innerTwo[0], innerTwo[1]);
}

Expected<Shape> innerProduct(ShapeRef lhs, ShapeRef rhs, bool transposeLhs,
                             bool transposeRhs) {
  auto [m, k] = matrixDims(lhs.take_back(2), transposeLhs);
  auto [k2, n] = matrixDims(rhs.take_back(2), transposeRhs);
  if (k != k2)
    return fail("contraction sizes differ: lhs {0} gives {1}, rhs {2} gives {3}",
                str(lhs), k, str(rhs), k2);
  Shape result(lhs.drop_back(2));
  result.append({m, n});
  return result;
}
} // namespace

int64_t hpt::shapes::numElements(ShapeRef shape) {
  int64_t count = 1;
  for (int64_t size : shape)
    count *= size;
  return count;
}

std::optional<int64_t> hpt::shapes::checkedNumElements(ShapeRef shape) {
  int64_t count = 1;
  for (int64_t size : shape)
    if (size < 0 || llvm::MulOverflow(count, size, count))
      return std::nullopt;
  return count;
}

int64_t hpt::shapes::saturatingProduct(std::initializer_list<int64_t> factors) {
  int64_t product = 1;
  for (int64_t factor : factors)
    if (llvm::MulOverflow(product, factor, product))
      return std::numeric_limits<int64_t>::max();
  return product;
}

int64_t hpt::shapes::saturatingSum(int64_t a, int64_t b) {
  int64_t sum;
  return llvm::AddOverflow(a, b, sum) ? std::numeric_limits<int64_t>::max() : sum;
}

Expected<int64_t> hpt::shapes::normalizeAxis(int64_t axis, int64_t rank) {
  if (axis < -rank || axis >= rank)
    return fail("axis {0} is out of range for rank {1}", axis, rank);
  return axis < 0 ? axis + rank : axis;
}

Expected<Shape> hpt::shapes::linear(ShapeRef input, ShapeRef weight,
                                    std::optional<ShapeRef> bias) {
  if (input.empty())
    return fail("input must have rank >= 1, got a scalar");
  if (weight.size() != 2)
    return fail("weight must be [out, in], got {0}", str(weight));
  if (input.back() != weight[1])
    return fail("input features {0} (of {1}) differ from weight in-features {2} "
                "(of {3})",
                input.back(), str(input), weight[1], str(weight));
  if (bias && (bias->size() != 1 || (*bias)[0] != weight[0]))
    return fail("bias must be [{0}] to match weight {1}, got {2}", weight[0],
                str(weight), str(*bias));
  Shape result(input);
  result.back() = weight[0];
  return result;
}

Expected<Shape> hpt::shapes::matmul(ShapeRef lhs, ShapeRef rhs,
                                    bool transposeLhs, bool transposeRhs) {
  if (lhs.size() != 2 || rhs.size() != 2)
    return fail("operands must have rank 2, got {0} and {1}", str(lhs), str(rhs));
  return innerProduct(lhs, rhs, transposeLhs, transposeRhs);
}

Expected<Shape> hpt::shapes::batchMatmul(ShapeRef lhs, ShapeRef rhs,
                                         bool transposeLhs, bool transposeRhs) {
  if (lhs.size() < 3 || lhs.size() != rhs.size())
    return fail("operands must have one rank >= 3, got {0} and {1}", str(lhs),
                str(rhs));
  if (lhs.drop_back(2) != rhs.drop_back(2))
    return fail("batch axes differ: {0} and {1}", str(lhs), str(rhs));
  return innerProduct(lhs, rhs, transposeLhs, transposeRhs);
}

Expected<Shape> hpt::shapes::selfAttention(ShapeRef input,
                                           llvm::ArrayRef<ShapeRef> projections,
                                           int64_t heads, int64_t headDim) {
  static const char *const names[] = {"wq", "bq", "wk", "bk",
                                      "wv", "bv", "wo", "bo"};
  if (input.size() != 3)
    return fail("input must be [batch, tokens, features], got {0}", str(input));
  if (heads <= 0 || headDim <= 0)
    return fail("heads ({0}) and head_dim ({1}) must be positive", heads,
                headDim);
  int64_t width = input[2];
  if (heads * headDim != width)
    return fail("heads {0} x head_dim {1} = {2} differs from the input "
                "features {3}",
                heads, headDim, heads * headDim, width);
  if (projections.size() != std::size(names))
    return fail("expected 8 projection operands, got {0}", projections.size());
  for (auto [index, shape] : llvm::enumerate(projections)) {
    Shape expected = index % 2 == 0 ? Shape{width, width} : Shape{width};
    if (shape != ShapeRef(expected))
      return fail("{0} must be {1}, got {2}", names[index], str(expected),
                  str(shape));
  }
  return Shape(input);
}

Expected<Shape> hpt::shapes::layerNorm(ShapeRef input, ShapeRef gamma,
                                       ShapeRef beta) {
  if (input.empty())
    return fail("input must have rank >= 1, got a scalar");
  Shape expected{input.back()};
  if (gamma != ShapeRef(expected) || beta != ShapeRef(expected))
    return fail("gamma and beta must be {0} for input {1}, got {2} and {3}",
                str(expected), str(input), str(gamma), str(beta));
  return Shape(input);
}

Expected<Shape> hpt::shapes::concat(llvm::ArrayRef<ShapeRef> inputs,
                                    int64_t axis) {
  if (inputs.empty())
    return fail("needs at least one input");
  ShapeRef first = inputs.front();
  Expected<int64_t> dim = normalizeAxis(axis, first.size());
  if (!dim)
    return dim.takeError();
  Shape result(first);
  for (auto [index, shape] : llvm::enumerate(inputs.drop_front())) {
    bool agrees = shape.size() == first.size();
    for (size_t i = 0; agrees && i < shape.size(); ++i)
      agrees = static_cast<int64_t>(i) == *dim || shape[i] == first[i];
    if (!agrees)
      return fail("input {0} has shape {1}, which does not match {2} off "
                  "axis {3}",
                  index + 1, str(shape), str(first), *dim);
    result[*dim] += shape[*dim];
  }
  return result;
}

Expected<Shape> hpt::shapes::transpose(ShapeRef input,
                                       llvm::ArrayRef<int64_t> permutation) {
  if (permutation.size() != input.size())
    return fail("permutation {0} has {1} entries for rank {2}",
                str(permutation), permutation.size(), input.size());
  llvm::SmallVector<bool, 8> seen(input.size(), false);
  Shape result;
  for (int64_t axis : permutation) {
    if (axis < 0 || axis >= static_cast<int64_t>(input.size()) || seen[axis])
      return fail("{0} is not a permutation of 0..{1}", str(permutation),
                  input.size() - 1);
    seen[axis] = true;
    result.push_back(input[axis]);
  }
  return result;
}

Expected<Shape> hpt::shapes::slice(ShapeRef input, int64_t axis, int64_t offset,
                                   int64_t size) {
  Expected<int64_t> dim = normalizeAxis(axis, input.size());
  if (!dim)
    return dim.takeError();
  if (offset < 0 || size <= 0 || offset + size > input[*dim])
    return fail("range [{0}, {1}) is outside axis {2} of {3}", offset,
                offset + size, *dim, str(input));
  Shape result(input);
  result[*dim] = size;
  return result;
}

llvm::Error hpt::shapes::checkReshape(ShapeRef input, ShapeRef result) {
  if (numElements(input) != numElements(result))
    return fail("cannot reshape {0} ({1} elements) into {2} ({3} elements)",
                str(input), numElements(input), str(result),
                numElements(result));
  return llvm::Error::success();
}
