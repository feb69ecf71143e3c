//===- ConvertHptToPim.cpp - crossbar reads as pim kernels -----------------===//

#include "hpt/Transforms/Passes.h"

#include "dialects/hpt/HptOps.h"
#include "dialects/pim/PimDialect.h"
#include "hpt/Analysis/Hardware.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/SymbolTable.h"

namespace hpt {
#define GEN_PASS_DEF_CONVERTHPTTOPIM
#include "hpt/Transforms/Passes.h.inc"
} // namespace hpt

using namespace mlir;
using namespace hpt;

namespace {

/// The ReRAM section the module was tiled for, if a description is recorded
/// (its costs go on the kernels' ops).
std::optional<hw::pim::ReramModel> recordedReram(ModuleOp module) {
  auto json = module->getAttrOfType<StringAttr>(kHardwareAttrName);
  if (!json)
    return std::nullopt;
  hw::Expected<hw::Description> description =
      hw::parseDescription(json.getValue().str(), "hpt.hardware");
  if (!description || !description->reram)
    return std::nullopt;
  return description->reram;
}

/// A tensor<rows x cols x f32> (or another element type).
RankedTensorType matrix(MLIRContext *context, int64_t rows, int64_t cols, Type element) {
  return RankedTensorType::get({rows, cols}, element);
}

struct ConvertHptToPimPass : hpt::impl::ConvertHptToPimBase<ConvertHptToPimPass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    MLIRContext *context = &getContext();
    std::optional<hw::pim::ReramModel> reram = recordedReram(module);
    SymbolTable symbols(module);
    OpBuilder builder(context);
    builder.setInsertionPointToEnd(module.getBody());
    for (pim::CrossbarsOp crossbars : llvm::to_vector(module.getOps<pim::CrossbarsOp>()))
      addProgramKernel(builder, symbols, crossbars, reram);

    WalkResult result = module.walk([&](func::FuncOp function) {
      int64_t count = 0;
      return function.walk([&](Operation *op) {
        auto name = op->getAttrOfType<FlatSymbolRefAttr>("pim.crossbars");
        if (!name)
          return WalkResult::advance();
        auto crossbars = symbols.lookup<pim::CrossbarsOp>(name.getValue());
        auto read = op->getAttrOfType<StringAttr>("pim.read");
        if (!crossbars || !read) {
          op->emitError("convert-hpt-to-pim: ")
              << name << " names no pim.crossbars (run hpt-crossbar-tile first)";
          return WalkResult::interrupt();
        }
        if (auto matmul = dyn_cast<MatmulOp>(op); matmul && matmul.getTransposeLhs()) {
          op->emitError("convert-hpt-to-pim: a crossbar reads vectors as rows; this product "
                        "transposes its left operand");
          return WalkResult::interrupt();
        }
        std::string kernelName = (function.getSymName() + "_pim_" + Twine(count++)).str();
        pim::KernelOp kernel =
            addReadKernel(builder, symbols, kernelName, op, crossbars,
                          read.getValue() == "transposed", reram);
        op->setAttr("pim.kernel", FlatSymbolRefAttr::get(kernel.getSymNameAttr()));
        return WalkResult::advance();
      });
    });
    if (result.wasInterrupted())
      return signalPassFailure();
  }

  /// `@program_<name>`: the parameter written into its cells.
  void addProgramKernel(OpBuilder &builder, SymbolTable &symbols, pim::CrossbarsOp crossbars,
                        const std::optional<hw::pim::ReramModel> &reram) {
    MLIRContext *context = builder.getContext();
    Location loc = crossbars.getLoc();
    auto kernel = pim::KernelOp::create(builder, loc, "program_" + crossbars.getSymName().str());
    symbols.insert(kernel);
    const int64_t rows = int64_t(crossbars.getRows()), cols = int64_t(crossbars.getCols());
    const bool transposed = crossbars.getTransposedParam();
    Type f32 = Float32Type::get(context);
    Block *body = builder.createBlock(&kernel.getBody());
    Value weight = body->addArgument(
        transposed ? matrix(context, cols, rows, f32) : matrix(context, rows, cols, f32), loc);
    auto program = pim::ProgramOp::create(
        builder, loc, FlatSymbolRefAttr::get(crossbars.getSymNameAttr()), weight,
        transposed ? builder.getUnitAttr() : UnitAttr(), IntegerAttr(), FloatAttr(), FloatAttr());
    if (reram) {
      const hw::pim::WriteCost cost = hw::pim::writeCostEstimate(*reram, pim::tilingOf(crossbars));
      program.setPulsesAttr(builder.getI64IntegerAttr(cost.pulses));
      program.setLatencyNsAttr(builder.getF64FloatAttr(cost.latency_ns));
      program.setEnergyPJAttr(builder.getF64FloatAttr(cost.energy_pJ));
    }
    pim::YieldOp::create(builder, loc, ValueRange{});
    builder.setInsertionPointAfter(kernel);
  }

  /// The crossbar work of one product: quantise, read, shift and add.
  pim::KernelOp addReadKernel(OpBuilder &builder, SymbolTable &symbols, StringRef name,
                              Operation *op, pim::CrossbarsOp crossbars, bool transposed,
                              const std::optional<hw::pim::ReramModel> &reram) {
    MLIRContext *context = builder.getContext();
    Location loc = op->getLoc();
    auto kernel = pim::KernelOp::create(builder, loc, name);
    symbols.insert(kernel);
    const int64_t rows = int64_t(crossbars.getRows()), cols = int64_t(crossbars.getCols());
    const int64_t driven = transposed ? cols : rows, read = transposed ? rows : cols;
    // The product's left operand as vectors: its leading axes flattened.
    auto input = cast<RankedTensorType>(op->getOperand(0).getType());
    const int64_t vectors = input.getNumElements() / driven;
    Type f32 = Float32Type::get(context), i32 = IntegerType::get(context, 32);
    Block *body = builder.createBlock(&kernel.getBody());
    Value x = body->addArgument(matrix(context, vectors, driven, f32), loc);
    auto symbol = FlatSymbolRefAttr::get(crossbars.getSymNameAttr());
    auto quantise = pim::QuantizeOp::create(builder, loc, matrix(context, vectors, driven, i32),
                                            RankedTensorType::get({vectors}, f32), x,
                                            crossbars.getInput());
    const int64_t blocks =
        int64_t(transposed ? crossbars.getColBlocks() : crossbars.getRowBlocks());
    auto partials = RankedTensorType::get(
        {blocks, int64_t(crossbars.getSlices()), vectors, read}, i32);
    auto mvm = pim::MvmOp::create(builder, loc, partials, symbol, quantise.getQuantised(),
                                  transposed ? builder.getUnitAttr() : UnitAttr(), IntegerAttr(),
                                  FloatAttr(), FloatAttr());
    if (reram) {
      const hw::pim::ReramCost cost =
          hw::pim::readCost(*reram, pim::tilingOf(crossbars), vectors, transposed);
      mvm.setConversionsAttr(builder.getI64IntegerAttr(cost.conversions));
      mvm.setLatencyNsAttr(builder.getF64FloatAttr(cost.latency_ns));
      mvm.setEnergyPJAttr(builder.getF64FloatAttr(cost.energy_pJ));
    }
    auto sum = pim::ShiftAddOp::create(builder, loc, matrix(context, vectors, read, f32), symbol,
                                       mvm.getPartials(), quantise.getScales());
    pim::YieldOp::create(builder, loc, sum->getResults());
    builder.setInsertionPointAfter(kernel);
    return kernel;
  }
};

} // namespace
