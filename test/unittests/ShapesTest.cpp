//===- ShapesTest.cpp - shape rules of the hpt ops ------------------------===//

#include "dialects/hpt/HptShapes.h"

#include "gtest/gtest.h"

using namespace hpt::shapes;

namespace {
/// The error text of a failed rule (and a test failure if it succeeded).
template <typename T>
std::string errorOf(llvm::Expected<T> result) {
  if (result) {
    ADD_FAILURE() << "expected the rule to fail";
    return "";
  }
  return llvm::toString(result.takeError());
}

std::string errorOf(llvm::Error error) {
  return error ? llvm::toString(std::move(error)) : "";
}

Shape ok(llvm::Expected<Shape> result) {
  if (!result) {
    ADD_FAILURE() << llvm::toString(result.takeError());
    return {};
  }
  return *result;
}
} // namespace

TEST(ShapesTest, NumElements) {
  EXPECT_EQ(numElements({}), 1);
  EXPECT_EQ(numElements({1, 57, 512}), 57 * 512);
  EXPECT_EQ(numElements({3, 0, 2}), 0);
}

TEST(ShapesTest, NormalizeAxis) {
  EXPECT_EQ(*normalizeAxis(-1, 4), 3);
  EXPECT_EQ(*normalizeAxis(-4, 4), 0);
  EXPECT_EQ(*normalizeAxis(2, 4), 2);
  EXPECT_EQ(errorOf(normalizeAxis(4, 4)), "axis 4 is out of range for rank 4");
  EXPECT_EQ(errorOf(normalizeAxis(-5, 4)), "axis -5 is out of range for rank 4");
}

TEST(ShapesTest, LinearMapsLastAxis) {
  EXPECT_EQ(ok(linear({1, 57, 12}, {256, 12}, ShapeRef({256}))), Shape({1, 57, 256}));
  EXPECT_EQ(ok(linear({1, 3648}, {512, 3648}, std::nullopt)), Shape({1, 512}));
  EXPECT_EQ(ok(linear({7}, {3, 7}, std::nullopt)), Shape({3}));
}

TEST(ShapesTest, LinearRejectsMismatches) {
  EXPECT_EQ(errorOf(linear({1, 57, 12}, {256, 13}, std::nullopt)),
            "input features 12 (of [1, 57, 12]) differ from weight in-features 13 "
            "(of [256, 13])");
  EXPECT_EQ(errorOf(linear({1, 12}, {256, 12}, ShapeRef({255}))),
            "bias must be [256] to match weight [256, 12], got [255]");
  EXPECT_EQ(errorOf(linear({1, 12}, {256, 12, 1}, std::nullopt)),
            "weight must be [out, in], got [256, 12, 1]");
  EXPECT_EQ(errorOf(linear({}, {2, 1}, std::nullopt)),
            "input must have rank >= 1, got a scalar");
}

TEST(ShapesTest, MatmulWithTransposes) {
  EXPECT_EQ(ok(matmul({4, 8}, {8, 16}, false, false)), Shape({4, 16}));
  EXPECT_EQ(ok(matmul({4, 8}, {16, 8}, false, true)), Shape({4, 16}));
  EXPECT_EQ(ok(matmul({8, 4}, {8, 16}, true, false)), Shape({4, 16}));
  EXPECT_EQ(ok(matmul({8, 4}, {16, 8}, true, true)), Shape({4, 16}));
  EXPECT_EQ(errorOf(matmul({4, 8}, {16, 8}, false, false)),
            "contraction sizes differ: lhs [4, 8] gives 8, rhs [16, 8] gives 16");
  EXPECT_EQ(errorOf(matmul({2, 4, 8}, {8, 16}, false, false)),
            "operands must have rank 2, got [2, 4, 8] and [8, 16]");
}

TEST(ShapesTest, BatchMatmulKeepsBatchAxes) {
  EXPECT_EQ(ok(batchMatmul({1, 8, 57, 64}, {1, 8, 57, 64}, false, true)),
            Shape({1, 8, 57, 57}));
  EXPECT_EQ(ok(batchMatmul({2, 3, 5}, {2, 5, 7}, false, false)), Shape({2, 3, 7}));
  EXPECT_EQ(errorOf(batchMatmul({2, 3, 5}, {3, 5, 7}, false, false)),
            "batch axes differ: [2, 3, 5] and [3, 5, 7]");
  EXPECT_EQ(errorOf(batchMatmul({3, 5}, {5, 7}, false, false)),
            "operands must have one rank >= 3, got [3, 5] and [5, 7]");
}

TEST(ShapesTest, SelfAttention) {
  Shape w{512, 512}, b{512};
  llvm::SmallVector<ShapeRef, 8> projections{w, b, w, b, w, b, w, b};
  EXPECT_EQ(ok(selfAttention({1, 57, 512}, projections, 8, 64)), Shape({1, 57, 512}));
  EXPECT_EQ(errorOf(selfAttention({1, 57, 512}, projections, 8, 32)),
            "heads 8 x head_dim 32 = 256 differs from the input features 512");
  Shape badBias{511};
  projections[5] = badBias;
  EXPECT_EQ(errorOf(selfAttention({1, 57, 512}, projections, 8, 64)),
            "bv must be [512], got [511]");
  EXPECT_EQ(errorOf(selfAttention({57, 512}, projections, 8, 64)),
            "input must be [batch, tokens, features], got [57, 512]");
}

TEST(ShapesTest, LayerNorm) {
  EXPECT_EQ(ok(layerNorm({1, 57, 512}, {512}, {512})), Shape({1, 57, 512}));
  EXPECT_EQ(errorOf(layerNorm({1, 57, 512}, {512}, {57, 512})),
            "gamma and beta must be [512] for input [1, 57, 512], got [512] and "
            "[57, 512]");
}

TEST(ShapesTest, Concat) {
  Shape h{1, 29, 512}, e{1, 29, 512}, f{1, 29, 3};
  EXPECT_EQ(ok(concat({h, e}, -1)), Shape({1, 29, 1024}));
  EXPECT_EQ(ok(concat({h, e, f}, 2)), Shape({1, 29, 1027}));
  EXPECT_EQ(ok(concat({h, e}, 1)), Shape({1, 58, 512}));
  EXPECT_EQ(errorOf(concat({h, f}, 1)),
            "input 1 has shape [1, 29, 3], which does not match [1, 29, 512] off "
            "axis 1");
  EXPECT_EQ(errorOf(concat({h}, 3)), "axis 3 is out of range for rank 3");
  EXPECT_EQ(errorOf(concat({}, 0)), "needs at least one input");
}

TEST(ShapesTest, Transpose) {
  EXPECT_EQ(ok(transpose({1, 12, 57}, {0, 2, 1})), Shape({1, 57, 12}));
  EXPECT_EQ(ok(transpose({2, 3, 4, 5}, {0, 2, 1, 3})), Shape({2, 4, 3, 5}));
  EXPECT_EQ(errorOf(transpose({1, 12, 57}, {0, 1, 1})),
            "[0, 1, 1] is not a permutation of 0..2");
  EXPECT_EQ(errorOf(transpose({1, 12, 57}, {0, 1})),
            "permutation [0, 1] has 2 entries for rank 3");
}

TEST(ShapesTest, Reshape) {
  EXPECT_EQ(errorOf(checkReshape({1, 57, 64}, {1, 3648})), "");
  EXPECT_EQ(errorOf(checkReshape({1, 57, 64}, {1, 3647})),
            "cannot reshape [1, 57, 64] (3648 elements) into [1, 3647] (3647 "
            "elements)");
}
