//===- Lora.cpp - add a LoRA program beside the full one ------------------===//

#include "hpt/Transforms/Passes.h"
#include "hpt/Transforms/Patterns.h"

#include "dialects/hpt/HptOps.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/Transforms/WalkPatternRewriteDriver.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/SetVector.h"
#include "llvm/Support/GlobPattern.h"

#include <algorithm>

namespace hpt {
#define GEN_PASS_DEF_HPTLORA
#include "hpt/Transforms/Passes.h.inc"
} // namespace hpt

using namespace mlir;
using namespace hpt;

namespace {
const char *const kDefaultTargets[] = {"enc.*.attn.wq", "enc.*.attn.wv"};
const char *const kDefaultTrainable[] = {"embed", "reduce", "decode"};
const int64_t kDefaultAutoRanks[] = {2, 4, 8, 16, 32};

/// A linear layer of the LoRA function whose weight gets an adapter.
struct Target {
  LinearOp linear;
  ParamOp weight;
};

struct HptLoraPass : hpt::impl::HptLoraBase<HptLoraPass> {
  using Base::Base;

  void runOnOperation() override;

private:
  LogicalResult parseOptions(ModuleOp module);
  LogicalResult checkNotApplied(ModuleOp module);
  FailureOr<func::FuncOp> addProgram(func::FuncOp forward, Operation *after,
                                     int64_t programRank, bool rankInName);
  FailureOr<SmallVector<Target>> findTargets(func::FuncOp lora);
  LogicalResult markTrainable(func::FuncOp lora, ArrayRef<ParamOp> adapters);
  void addAdapter(Target target, ParamOp a, ParamOp b, double scale);
  ParamOp declareParam(StringRef name, RankedTensorType type, InitAttr init);

  SmallVector<int64_t> ranks;
  SmallVector<llvm::GlobPattern> targetGlobs;
  SmallVector<std::string> targetTexts, groups;
  ModuleOp module;
  OpBuilder *paramBuilder = nullptr;
  int64_t nextSeed = 0;
};
} // namespace

LogicalResult HptLoraPass::parseOptions(ModuleOp module) {
  auto fail = [&](const Twine &message) {
    return mlir::emitError(module.getLoc(), "hpt-lora: ") << message;
  };
  if (rank == "auto") {
    ranks.assign(autoRanks.begin(), autoRanks.end());
    if (ranks.empty())
      ranks.assign(std::begin(kDefaultAutoRanks), std::end(kDefaultAutoRanks));
  } else {
    int64_t value = 0;
    if (StringRef(rank).getAsInteger(10, value))
      return fail("rank must be a positive integer or auto, got '" + rank + "'");
    ranks.push_back(value);
  }
  for (int64_t r : ranks)
    if (r <= 0)
      return fail("rank must be positive, got " + Twine(r));
  if (!(alpha > 0.0))
    return fail("alpha must be positive, got ") << double(alpha);
  if (!(dropout >= 0.0 && dropout < 1.0))
    return fail("dropout must be in [0, 1), got ") << double(dropout);
  targetTexts.assign(targets.begin(), targets.end());
  if (targetTexts.empty())
    targetTexts.assign(std::begin(kDefaultTargets), std::end(kDefaultTargets));
  for (const std::string &text : targetTexts) {
    llvm::Expected<llvm::GlobPattern> glob = llvm::GlobPattern::create(text);
    if (!glob)
      return fail("targets: '" + text + "' is not a glob: " + toString(glob.takeError()));
    targetGlobs.push_back(std::move(*glob));
  }
  groups.assign(trainable.begin(), trainable.end());
  if (groups.empty())
    groups.assign(std::begin(kDefaultTrainable), std::end(kDefaultTrainable));
  return success();
}

LogicalResult HptLoraPass::checkNotApplied(ModuleOp module) {
  for (auto func : module.getOps<func::FuncOp>())
    if (func->hasAttr(kLoraAttrName))
      return mlir::emitError(module.getLoc(), "hpt-lora: the module already has a LoRA program (@")
             << func.getName() << "); hpt-lora applies once";
  return success();
}

/// The linear layers whose weight is a parameter matching a target glob;
/// every glob must match at least one.
FailureOr<SmallVector<Target>> HptLoraPass::findTargets(func::FuncOp lora) {
  SmallVector<Target> found;
  SmallVector<bool> matched(targetGlobs.size(), false);
  lora.walk([&](LinearOp linear) {
    auto read = linear.getWeight().getDefiningOp<GetParamOp>();
    if (!read)
      return;
    bool isTarget = false;
    for (auto [i, glob] : llvm::enumerate(targetGlobs))
      if (glob.match(read.getName())) {
        matched[i] = true;
        isTarget = true;
      }
    if (isTarget)
      found.push_back({linear, module.lookupSymbol<ParamOp>(read.getNameAttr())});
  });
  for (auto [i, text] : llvm::enumerate(targetTexts))
    if (!matched[i])
      return mlir::emitError(module.getLoc(), "hpt-lora: targets: '")
             << text << "' matches no weight of a linear layer in @" << function;
  return found;
}

ParamOp HptLoraPass::declareParam(StringRef name, RankedTensorType type, InitAttr init) {
  return ParamOp::create(*paramBuilder, module.getLoc(), name, type, init,
                         nextSeed++, /*trainable=*/true);
}

/// y = linear(x) + scale·B(A(dropout(x))), replacing every other use of y.
void HptLoraPass::addAdapter(Target target, ParamOp a, ParamOp b, double scale) {
  LinearOp linear = target.linear;
  Location loc = linear.getLoc();
  OpBuilder builder(linear->getContext());
  builder.setInsertionPointAfter(linear);
  Value input = linear.getInput();
  if (dropout > 0.0)
    input = DropoutOp::create(builder, loc, input, builder.getF64FloatAttr(dropout),
                              builder.getI64IntegerAttr(nextSeed++));
  Value aValue = GetParamOp::create(builder, loc, a.getTensorType(), a.getSymName());
  Value down = LinearOp::create(builder, loc, input, aValue, Value());
  Value bValue = GetParamOp::create(builder, loc, b.getTensorType(), b.getSymName());
  Value up = LinearOp::create(builder, loc, down, bValue, Value());
  Value scaled = ScaleOp::create(builder, loc, up, builder.getF64FloatAttr(scale));
  Value sum = AddOp::create(builder, loc, linear.getResult(), scaled);
  linear.getResult().replaceAllUsesExcept(sum, sum.getDefiningOp());
}

/// hpt.trainable of the LoRA function: its adapters and the parameters of the
/// `trainable` groups that it reads.
LogicalResult HptLoraPass::markTrainable(func::FuncOp lora, ArrayRef<ParamOp> adapters) {
  llvm::DenseSet<StringRef> read;
  lora.walk([&](GetParamOp op) { read.insert(op.getName()); });
  llvm::SetVector<StringRef> names;
  SmallVector<bool> used(groups.size(), false);
  for (ParamOp param : module.getOps<ParamOp>()) {
    StringRef group = param.getSymName().split('.').first;
    auto it = llvm::find(groups, group);
    if (it == groups.end())
      continue;
    used[it - groups.begin()] = true;
    if (read.contains(param.getSymName()))
      names.insert(param.getSymName());
  }
  for (auto [i, group] : llvm::enumerate(groups))
    if (!used[i])
      return mlir::emitError(module.getLoc(), "hpt-lora: trainable: group '")
             << group << "' names no parameter of the module";
  for (ParamOp adapter : adapters)
    names.insert(adapter.getSymName());
  SmallVector<Attribute> symbols;
  for (StringRef name : names)
    symbols.push_back(FlatSymbolRefAttr::get(lora.getContext(), name));
  lora->setAttr(kTrainableAttrName, ArrayAttr::get(lora.getContext(), symbols));
  return success();
}

FailureOr<func::FuncOp> HptLoraPass::addProgram(func::FuncOp forward, Operation *after,
                                                int64_t programRank, bool rankInName) {
  std::string suffix = rankInName ? "_lora_r" + std::to_string(programRank) : "_lora";
  std::string name = forward.getName().str() + suffix;
  if (module.lookupSymbol(name))
    return mlir::emitError(module.getLoc(), "hpt-lora: the module already has a symbol @") << name;
  OpBuilder builder(forward);
  builder.setInsertionPointAfter(after);
  auto lora = cast<func::FuncOp>(builder.clone(*forward));
  lora.setName(name);
  // The projections inside hpt.self_attention become linear layers that can
  // take adapters.
  RewritePatternSet patterns(&getContext());
  populateDecomposeAttentionPatterns(patterns);
  walkAndApplyPatterns(lora, std::move(patterns));

  FailureOr<SmallVector<Target>> found = findTargets(lora);
  if (failed(found))
    return failure();
  std::string prefix = rankInName ? "lora.r" + std::to_string(programRank) + "." : "lora.";
  SmallVector<ParamOp> adapters;
  SmallVector<Attribute> triples;
  llvm::DenseMap<Operation *, std::pair<ParamOp, ParamOp>> byWeight;
  MLIRContext *ctx = &getContext();
  Type f32 = Float32Type::get(ctx);
  for (Target target : *found) {
    RankedTensorType weight = target.weight.getTensorType();
    int64_t out = weight.getDimSize(0), in = weight.getDimSize(1);
    if (programRank > std::min(in, out))
      return target.linear.emitOpError("hpt-lora: rank ")
             << programRank << " exceeds the smaller side of @" << target.weight.getSymName()
             << " (" << out << "x" << in << ")";
    auto &pair = byWeight[target.weight];
    if (!pair.first) {
      // One adapter per weight, even if the weight feeds several layers.
      std::string base = prefix + target.weight.getSymName().str();
      pair.first = declareParam(base + ".a", RankedTensorType::get({programRank, in}, f32),
                                InitAttr::get(ctx, InitKind::uniform_fan_in, in));
      pair.second = declareParam(base + ".b", RankedTensorType::get({out, programRank}, f32),
                                 InitAttr::get(ctx, InitKind::zeros, 0));
      adapters.append({pair.first, pair.second});
      triples.push_back(ArrayAttr::get(
          ctx, {FlatSymbolRefAttr::get(target.weight.getSymNameAttr()),
                FlatSymbolRefAttr::get(pair.first.getSymNameAttr()),
                FlatSymbolRefAttr::get(pair.second.getSymNameAttr())}));
    }
    addAdapter(target, pair.first, pair.second, alpha / static_cast<double>(programRank));
  }
  if (failed(markTrainable(lora, adapters)))
    return failure();
  lora->setAttr(kLoraAttrName,
                LoraAttr::get(ctx, programRank, APFloat(double(alpha)), APFloat(double(dropout))));
  lora->setAttr(kLoraBaseAttrName, FlatSymbolRefAttr::get(forward.getSymNameAttr()));
  lora->setAttr(kAdaptersAttrName, ArrayAttr::get(ctx, triples));
  return lora;
}

void HptLoraPass::runOnOperation() {
  module = getOperation();
  if (failed(parseOptions(module)) || failed(checkNotApplied(module)))
    return signalPassFailure();
  auto forward = module.lookupSymbol<func::FuncOp>(function);
  if (!forward) {
    mlir::emitError(module.getLoc(), "hpt-lora: no function @") << function << " to adapt";
    return signalPassFailure();
  }
  // New parameters go after the last declared one, with seeds no other
  // parameter or dropout uses.
  OpBuilder builder(&getContext());
  builder.setInsertionPointToStart(module.getBody());
  for (Operation &op : module.getBody()->getOperations()) {
    if (auto param = dyn_cast<ParamOp>(op)) {
      builder.setInsertionPointAfter(param);
      nextSeed = std::max<int64_t>(nextSeed, param.getSeed() + 1);
    }
  }
  module.walk([&](DropoutOp drop) {
    nextSeed = std::max<int64_t>(nextSeed, drop.getSeed() + 1);
  });
  paramBuilder = &builder;
  bool severalRanks = rank == "auto";
  Operation *last = forward;
  for (int64_t r : ranks) {
    FailureOr<func::FuncOp> lora = addProgram(forward, last, r, severalRanks);
    if (failed(lora))
      return signalPassFailure();
    last = *lora;
  }
}
