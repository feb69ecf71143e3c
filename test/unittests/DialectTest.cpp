//===- DialectTest.cpp - building hpt ops and counting their work ---------===//

#include "dialects/hpt/HptOps.h"
#include "hpt/Analysis/ModelStats.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"

#include "gtest/gtest.h"

using namespace mlir;

namespace {
class HptDialectTest : public ::testing::Test {
protected:
  HptDialectTest() : builder(&context) {
    context.loadDialect<hpt::HptDialect, func::FuncDialect>();
  }

  RankedTensorType f32(ArrayRef<int64_t> shape) {
    return RankedTensorType::get(shape, builder.getF32Type());
  }

  /// A block argument of the given type, to feed ops built in the tests.
  Value argument(RankedTensorType type) { return block.addArgument(type, loc()); }

  Location loc() { return builder.getUnknownLoc(); }

  MLIRContext context;
  OpBuilder builder;
  Block block;
};
} // namespace

TEST_F(HptDialectTest, BuildersInferResultTypes) {
  builder.setInsertionPointToEnd(&block);
  Value x = argument(f32({1, 57, 12}));
  Value w = argument(f32({256, 12}));
  Value b = argument(f32({256}));
  auto linear = hpt::LinearOp::create(builder, loc(), x, w, b);
  EXPECT_EQ(linear.getType(), f32({1, 57, 256}));

  auto transposed = hpt::TransposeOp::create(builder, loc(), x,
                                             ArrayRef<int64_t>{0, 2, 1});
  EXPECT_EQ(transposed.getType(), f32({1, 12, 57}));

  auto concat = hpt::ConcatOp::create(builder, loc(), ValueRange{linear, linear},
                                      /*axis=*/-1);
  EXPECT_EQ(concat.getType(), f32({1, 57, 512}));

  auto loss = hpt::MseLossOp::create(builder, loc(), linear, linear);
  EXPECT_EQ(loss.getType(), f32({}));
  for (Operation &op : block)
    EXPECT_TRUE(succeeded(verify(&op))) << op.getName().getStringRef().str();
}

TEST_F(HptDialectTest, FlopCountsFollowClosedForm) {
  builder.setInsertionPointToEnd(&block);
  Value a = argument(f32({4, 8}));
  Value b = argument(f32({16, 8}));
  auto product = hpt::MatmulOp::create(builder, loc(), a, b,
                                       /*transpose_lhs=*/false,
                                       /*transpose_rhs=*/true);
  EXPECT_EQ(product.getFlopCount().matmul, 2 * 4 * 16 * 8);
  EXPECT_EQ(product.getFlopCount().vector, 0);

  // Wind's attention block: 4 projections of 57x512 by 512x512, two
  // 8-head score products of 57x57x64, scale + softmax over 8x57x57.
  Value x = argument(f32({1, 57, 512}));
  Value w = argument(f32({512, 512}));
  Value bias = argument(f32({512}));
  auto attention = hpt::SelfAttentionOp::create(builder, loc(), x, w, bias, w, bias,
                                                w, bias, w, bias, 8, 64);
  hpt::FlopCount count = attention.getFlopCount();
  EXPECT_EQ(count.matmul, 4 * 2 * 57 * 512 * 512 + 2 * 2 * 8 * 57 * 57 * 64);
  EXPECT_EQ(count.vector, 4 * 57 * 512 + 8 * 57 * 57 * (1 + 5));
}

TEST_F(HptDialectTest, ModelStatsCountParamsByGroup) {
  const char *source = R"mlir(
    hpt.param @embed.0.w : tensor<4x3xf32> init <uniform_fan_in, fan_in = 3> seed 1 trainable
    hpt.param @embed.0.b : tensor<4xf32> init <uniform_fan_in, fan_in = 3> seed 2 trainable
    hpt.param @enc.0.ln.gamma : tensor<4xf32> init <ones> seed 3
    func.func @forward(%x: tensor<2x3xf32>) -> tensor<2x4xf32> {
      %w = hpt.get_param @embed.0.w : tensor<4x3xf32>
      %b = hpt.get_param @embed.0.b : tensor<4xf32>
      %y = hpt.linear %x, %w, %b : (tensor<2x3xf32>, tensor<4x3xf32>, tensor<4xf32>) -> tensor<2x4xf32>
      %r = hpt.relu %y : tensor<2x4xf32>
      return %r : tensor<2x4xf32>
    }
  )mlir";
  OwningOpRef<ModuleOp> module = parseSourceString<ModuleOp>(source, &context);
  ASSERT_TRUE(module);
  FailureOr<hpt::ModelStats> stats = hpt::computeModelStats(*module, "forward");
  ASSERT_TRUE(succeeded(stats));
  EXPECT_EQ(stats->total.elements, 12 + 4 + 4);
  EXPECT_EQ(stats->total.trainable, 16);
  EXPECT_EQ(stats->total.frozen(), 4);
  ASSERT_EQ(stats->groups.size(), 2u);
  EXPECT_EQ(stats->groups[0].name, "embed");
  EXPECT_EQ(stats->groups[0].elements, 16);
  EXPECT_EQ(stats->groups[1].name, "enc");
  EXPECT_EQ(stats->forward.matmul, 2 * 2 * 4 * 3);
  EXPECT_EQ(stats->forward.vector, 2 * 4 /*bias*/ + 2 * 4 /*relu*/);
}
