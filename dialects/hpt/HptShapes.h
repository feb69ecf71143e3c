//===- HptShapes.h - shape rules of the hpt ops -----------------*- C++ -*-===//
//
// The shape rules of the hpt ops as plain functions on static shapes, so that
// the verifiers, result-type inference and the unit tests share one source.
// Each returns the result shape, or an error that says what does not fit.
//
//===----------------------------------------------------------------------===//

#ifndef HPT_DIALECTS_HPT_HPTSHAPES_H
#define HPT_DIALECTS_HPT_HPTSHAPES_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <initializer_list>
#include <optional>

namespace hpt::shapes {

using Shape = llvm::SmallVector<int64_t, 4>;
using ShapeRef = llvm::ArrayRef<int64_t>;

/// Number of elements of a static shape (1 for rank 0); hpt's tensor types
/// guarantee that it fits int64 (checkedNumElements).
int64_t numElements(ShapeRef shape);
/// The number of elements, or nothing when a size is negative or dynamic or
/// the product does not fit int64.
std::optional<int64_t> checkedNumElements(ShapeRef shape);
/// The product of non-negative factors, saturating at INT64_MAX (FLOP counts
/// of huge but valid tensors).
int64_t saturatingProduct(std::initializer_list<int64_t> factors);
/// a + b for non-negative a and b, saturating at INT64_MAX.
int64_t saturatingSum(int64_t a, int64_t b);

/// Maps `axis` (negative counts from the back) into [0, rank).
llvm::Expected<int64_t> normalizeAxis(int64_t axis, int64_t rank);

/// y = x·Wᵀ + b: input [..., in], weight [out, in], bias [out] -> [..., out].
llvm::Expected<Shape> linear(ShapeRef input, ShapeRef weight,
                             std::optional<ShapeRef> bias);

/// op(lhs)·op(rhs) for rank-2 operands.
llvm::Expected<Shape> matmul(ShapeRef lhs, ShapeRef rhs, bool transposeLhs,
                             bool transposeRhs);

/// Matrix products over the two innermost axes, equal leading batch axes.
llvm::Expected<Shape> batchMatmul(ShapeRef lhs, ShapeRef rhs, bool transposeLhs,
                                  bool transposeRhs);

/// Multi-head self-attention: input [B, T, D], D = heads·headDim, and the
/// projections in the order wq, bq, wk, bk, wv, bv, wo, bo (weights [D, D],
/// biases [D]).
llvm::Expected<Shape> selfAttention(ShapeRef input,
                                    llvm::ArrayRef<ShapeRef> projections,
                                    int64_t heads, int64_t headDim);

/// Layer norm over the last axis: gamma and beta have that axis' shape.
llvm::Expected<Shape> layerNorm(ShapeRef input, ShapeRef gamma, ShapeRef beta);

/// Concatenation along `axis`; all other axes agree.
llvm::Expected<Shape> concat(llvm::ArrayRef<ShapeRef> inputs, int64_t axis);

/// Result axis i is input axis permutation[i].
llvm::Expected<Shape> transpose(ShapeRef input,
                                llvm::ArrayRef<int64_t> permutation);

/// [offset, offset + size) of `axis`.
llvm::Expected<Shape> slice(ShapeRef input, int64_t axis, int64_t offset,
                            int64_t size);

/// A reshape keeps the number of elements.
llvm::Error checkReshape(ShapeRef input, ShapeRef result);

} // namespace hpt::shapes

#endif // HPT_DIALECTS_HPT_HPTSHAPES_H
