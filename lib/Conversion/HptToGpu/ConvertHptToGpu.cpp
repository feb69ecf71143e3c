//===- ConvertHptToGpu.cpp - ops placed on the GPU to cuBLAS and kernels --===//

#include "hpt/Transforms/Passes.h"

#include "dialects/hpt/HptOps.h"
#include "hpt/Conversion/GpuKernels.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/SymbolTable.h"

namespace hpt {
#define GEN_PASS_DEF_CONVERTHPTTOGPU
#include "hpt/Transforms/Passes.h.inc"
} // namespace hpt

using namespace mlir;
using namespace hpt;

namespace {

bool placedOnGpu(Operation *op) {
  auto device = op->getAttrOfType<DeviceAttr>(kDeviceAttrName);
  return device && device.getKind() == DeviceKind::gpu;
}

/// The module of kernels, created at the end of `module` on first use.
ModuleOp kernelModule(ModuleOp module) {
  if (auto existing = module.lookupSymbol<ModuleOp>(kGpuKernelModuleName))
    return existing;
  OpBuilder builder = OpBuilder::atBlockEnd(module.getBody());
  return ModuleOp::create(builder, module.getLoc(), StringRef(kGpuKernelModuleName));
}

struct ConvertHptToGpuPass : hpt::impl::ConvertHptToGpuBase<ConvertHptToGpuPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<Operation *> placed;
    for (auto fn : module.getOps<func::FuncOp>())
      fn.walk([&](Operation *op) {
        if (placedOnGpu(op) && !op->hasAttr(kGpuKernelAttrName) && !op->hasAttr(kGpuLibraryAttrName))
          placed.push_back(op);
      });
    if (placed.empty())
      return;
    std::optional<GpuKernelBuilder> kernels;
    MLIRContext *context = module.getContext();
    for (Operation *op : placed) {
      FailureOr<GpuLowering> lowering = gpuLoweringOf(op);
      if (failed(lowering))
        return signalPassFailure();
      if (*lowering == GpuLowering::Library || *lowering == GpuLowering::LibraryAndKernel)
        op->setAttr(kGpuLibraryAttrName, StringAttr::get(context, kCublasLibrary));
      if (*lowering != GpuLowering::Kernel && *lowering != GpuLowering::LibraryAndKernel)
        continue;
      if (!kernels)
        kernels.emplace(kernelModule(module));
      FailureOr<func::FuncOp> kernel = kernels->kernelFor(op);
      if (failed(kernel))
        return signalPassFailure();
      op->setAttr(kGpuKernelAttrName,
                  SymbolRefAttr::get(context, kGpuKernelModuleName,
                                     {FlatSymbolRefAttr::get(kernel->getSymNameAttr())}));
    }
  }
};

} // namespace
