//===- DecomposeAttention.cpp - expand hpt.self_attention -----------------===//

#include "hpt/Transforms/Passes.h"
#include "hpt/Transforms/Patterns.h"

#include "dialects/hpt/HptOps.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#include <cmath>

namespace hpt {
#define GEN_PASS_DEF_HPTDECOMPOSEATTENTION
#include "hpt/Transforms/Passes.h.inc"
} // namespace hpt

using namespace mlir;
using namespace hpt;

namespace {
/// [B, T, H·Dh] <-> [B, H, T, Dh]: heads become a batch axis.
constexpr int64_t kSwapTokensAndHeads[] = {0, 2, 1, 3};

struct AttentionShape {
  int64_t batch, tokens, heads, headDim;
  Type element;
};

/// Projects `input` with one weight and bias, then splits the heads:
/// [B, T, D] -> [B, H, T, Dh].
Value projectHeads(PatternRewriter &rewriter, Location loc, Value input,
                   Value weight, Value bias, const AttentionShape &s) {
  Value projected = LinearOp::create(rewriter, loc, input, weight, bias);
  auto split = RankedTensorType::get({s.batch, s.tokens, s.heads, s.headDim},
                                     s.element);
  Value heads = ReshapeOp::create(rewriter, loc, split, projected);
  return TransposeOp::create(rewriter, loc, heads, kSwapTokensAndHeads);
}

struct DecomposeSelfAttention : OpRewritePattern<SelfAttentionOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(SelfAttentionOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType type = op.getType();
    AttentionShape s{type.getDimSize(0), type.getDimSize(1),
                     static_cast<int64_t>(op.getHeads()),
                     static_cast<int64_t>(op.getHeadDim()), type.getElementType()};
    Value x = op.getInput();
    Value q = projectHeads(rewriter, loc, x, op.getWq(), op.getBq(), s);
    Value k = projectHeads(rewriter, loc, x, op.getWk(), op.getBk(), s);
    Value v = projectHeads(rewriter, loc, x, op.getWv(), op.getBv(), s);

    Value scores = BatchMatmulOp::create(rewriter, loc, q, k,
                                         /*transpose_lhs=*/false,
                                         /*transpose_rhs=*/true);
    double invSqrtHeadDim = 1.0 / std::sqrt(static_cast<double>(s.headDim));
    Value scaled = ScaleOp::create(rewriter, loc, scores,
                                   rewriter.getF64FloatAttr(invSqrtHeadDim));
    Value weights = SoftmaxOp::create(rewriter, loc, scaled, /*axis=*/-1);
    Value mixed = BatchMatmulOp::create(rewriter, loc, weights, v,
                                        /*transpose_lhs=*/false,
                                        /*transpose_rhs=*/false);
    Value tokensFirst =
        TransposeOp::create(rewriter, loc, mixed, kSwapTokensAndHeads);
    Value merged = ReshapeOp::create(rewriter, loc, type, tokensFirst);
    rewriter.replaceOpWithNewOp<LinearOp>(op, merged, op.getWo(), op.getBo());
    return success();
  }
};

struct HptDecomposeAttentionPass
    : hpt::impl::HptDecomposeAttentionBase<HptDecomposeAttentionPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    populateDecomposeAttentionPatterns(patterns);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace

void hpt::populateDecomposeAttentionPatterns(RewritePatternSet &patterns) {
  patterns.add<DecomposeSelfAttention>(patterns.getContext());
}
