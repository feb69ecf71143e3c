//===- GpuProgram.cpp - the GPU kernels of a module, lowered to PTX -------===//

#include "hpt/Target/GpuProgram.h"

#include "hpt/Conversion/GpuKernels.h"

#include "dialects/hpt/HptDialect.h"
#include "dialects/pim/PimDialect.h"
#include "dialects/sa/SaDialect.h"

#include "mlir/Conversion/ArithToLLVM/ArithToLLVM.h"
#include "mlir/Conversion/ControlFlowToLLVM/ControlFlowToLLVM.h"
#include "mlir/Conversion/FuncToLLVM/ConvertFuncToLLVM.h"
#include "mlir/Conversion/IndexToLLVM/IndexToLLVM.h"
#include "mlir/Conversion/MathToLLVM/MathToLLVM.h"
#include "mlir/Conversion/MathToLibm/MathToLibm.h"
#include "mlir/Conversion/MemRefToLLVM/MemRefToLLVM.h"
#include "mlir/Conversion/NVVMToLLVM/NVVMToLLVM.h"
#include "mlir/Conversion/Passes.h"
#include "mlir/Conversion/UBToLLVM/UBToLLVM.h"
#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/Transforms/BufferizableOpInterfaceImpl.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Bufferization/Transforms/FuncBufferizableOpInterfaceImpl.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlow.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/GPU/Transforms/Passes.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/Linalg/Transforms/BufferizableOpInterfaceImpl.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/Transforms/BufferizableOpInterfaceImpl.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tensor/Transforms/BufferizableOpInterfaceImpl.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Target/LLVM/NVVM/Target.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/GPU/GPUToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/NVVM/NVVMToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Export.h"
#include "mlir/Tools/mlir-translate/Translation.h"
#include "mlir/Transforms/Passes.h"

#include "llvm/ADT/ScopeExit.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"

#include <cstdlib>

using namespace mlir;

namespace hpt {

namespace {

constexpr llvm::StringLiteral kKernelModule = "hpt_kernels";
/// The CUDA toolkit (libdevice, ptxas): $HPT_CUDA_TOOLKIT, else /usr/local/cuda.
std::string cudaToolkit() {
  const char *chosen = std::getenv("HPT_CUDA_TOOLKIT");
  return chosen && *chosen ? chosen : "/usr/local/cuda";
}

/// Replaces the kernel's results by its arguments they were bufferized into.
LogicalResult dropInPlaceResults(func::FuncOp fn) {
  auto ret = cast<func::ReturnOp>(fn.getBody().front().getTerminator());
  for (Value v : ret.getOperands())
    if (!isa<BlockArgument>(v))
      return fn.emitError("kernel @") << fn.getName()
                                      << ": a result is not written in place in its argument";
  OpBuilder b(ret);
  func::ReturnOp::create(b, ret.getLoc());
  ret.erase();
  fn.setType(FunctionType::get(fn.getContext(), fn.getArgumentTypes(), {}));
  return success();
}

/// The ops of a kernel that run as one launch: a parallel loop nest, or the
/// serial ops between two of them.
struct Segment {
  SmallVector<Operation *> ops;
  bool parallel = false;
};

/// Constants and views (subviews, reshapes) of the arguments take no launch
/// of their own: every kernel that uses one computes it again.
using Recomputable = llvm::SmallPtrSet<Operation *, 32>;

Recomputable recomputableOps(func::FuncOp fn) {
  Recomputable ops;
  for (Operation &op : fn.getBody().front().without_terminator()) {
    bool fromArguments = llvm::all_of(op.getOperands(), [&](Value v) {
      Operation *def = v.getDefiningOp();
      return def ? ops.contains(def) : true;
    });
    if (fromArguments && op.getNumRegions() == 0 && isMemoryEffectFree(&op))
      ops.insert(&op);
  }
  return ops;
}

SmallVector<Segment> segmentsOf(func::FuncOp fn, const Recomputable &recomputable) {
  SmallVector<Segment> segments;
  Segment serial;
  for (Operation &op : fn.getBody().front().without_terminator()) {
    if (recomputable.contains(&op))
      continue;
    if (isa<scf::ParallelOp>(op)) {
      if (!serial.ops.empty())
        segments.push_back(std::exchange(serial, Segment{}));
      segments.push_back(Segment{{&op}, true});
      continue;
    }
    serial.ops.push_back(&op);
  }
  if (!serial.ops.empty())
    segments.push_back(serial);
  return segments;
}

/// Makes `value` (used in a segment, defined outside it) available in the
/// kernel: an argument, or a recomputable op cloned with its operands.
LogicalResult capture(Value value, const Recomputable &recomputable, OpBuilder &builder,
                      IRMapping &map) {
  if (map.contains(value))
    return success();
  Operation *def = value.getDefiningOp();
  if (!def || !recomputable.contains(def))
    return failure();
  for (Value operand : def->getOperands())
    if (failed(capture(operand, recomputable, builder, map)))
      return failure();
  builder.clone(*def, map);
  return success();
}

/// Maps what `ops` use from outside them into the kernel: the function's
/// arguments to the kernel's, constants and views cloned at its start.
LogicalResult mapCaptures(ArrayRef<Operation *> ops, func::FuncOp fn,
                          const Recomputable &recomputable, Block &entry, OpBuilder &builder,
                          IRMapping &map) {
  for (auto [from, to] : llvm::zip(fn.getArguments(), entry.getArguments()))
    map.map(from, to);
  auto inside = [&](Operation *def) {
    return llvm::any_of(ops, [&](Operation *op) { return op == def || op->isAncestor(def); });
  };
  for (Operation *op : ops) {
    WalkResult walked = op->walk([&](Operation *nested) {
      for (Value operand : nested->getOperands()) {
        Operation *owner = operand.getDefiningOp();
        if (!owner)
          owner = cast<BlockArgument>(operand).getOwner()->getParentOp();
        if (inside(owner))
          continue;
        if (failed(capture(operand, recomputable, builder, map))) {
          nested->emitError("a GPU kernel segment uses a value computed outside it");
          return WalkResult::interrupt();
        }
      }
      return WalkResult::advance();
    });
    if (walked.wasInterrupted())
      return failure();
  }
  return success();
}

/// The trip counts of a parallel loop with constant bounds.
FailureOr<SmallVector<int64_t>> tripCounts(scf::ParallelOp loop) {
  SmallVector<int64_t> counts;
  for (auto [lb, ub, step] : llvm::zip(loop.getLowerBound(), loop.getUpperBound(), loop.getStep())) {
    std::optional<int64_t> l = getConstantIntValue(lb), u = getConstantIntValue(ub),
                           s = getConstantIntValue(step);
    if (!l || !u || !s || *s <= 0)
      return loop.emitError("a GPU kernel's parallel loop needs constant bounds");
    counts.push_back(std::max<int64_t>(0, (*u - *l + *s - 1) / *s));
  }
  if (!loop.getInitVals().empty())
    return loop.emitError("a GPU kernel's parallel loop may not reduce");
  return counts;
}

/// The body of a one-thread-per-iteration kernel: the flat index, the
/// guard, each induction variable from the flat index, then the loop's body.
void emitParallelBody(scf::ParallelOp loop, ArrayRef<int64_t> counts, int64_t total,
                      int64_t block, OpBuilder &b, IRMapping &map) {
  Location loc = loop.getLoc();
  auto index = [&](int64_t v) { return arith::ConstantIndexOp::create(b, loc, v); };
  Value flat = arith::AddIOp::create(
      b, loc, arith::MulIOp::create(b, loc, gpu::BlockIdOp::create(b, loc, gpu::Dimension::x), index(block)),
      gpu::ThreadIdOp::create(b, loc, gpu::Dimension::x));
  Value inRange = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult, flat, index(total));
  auto guard = scf::IfOp::create(b, loc, inRange, /*withElseRegion=*/false);
  b.setInsertionPointToStart(&guard.getThenRegion().front());
  Value rest = flat;
  for (int64_t d = static_cast<int64_t>(counts.size()) - 1; d >= 0; --d) {
    Value position = arith::RemUIOp::create(b, loc, rest, index(counts[d]));
    rest = arith::DivUIOp::create(b, loc, rest, index(counts[d]));
    Value iv = arith::AddIOp::create(
        b, loc, map.lookupOrDefault(loop.getLowerBound()[d]),
        arith::MulIOp::create(b, loc, position, map.lookupOrDefault(loop.getStep()[d])));
    map.map(loop.getInductionVars()[d], iv);
  }
  for (Operation &op : loop.getBody()->without_terminator())
    b.clone(op, map);
}

/// Whether every access of `buffer` inside `loop` is at exactly the
/// loop's induction variables.
bool accessesOnlyOwnElement(scf::ParallelOp loop, Value buffer) {
  const ValueRange ivs = loop.getInductionVars();
  WalkResult walked = loop.getBody()->walk([&](Operation *op) {
    ValueRange indices;
    if (auto load = dyn_cast<memref::LoadOp>(op); load && load.getMemRef() == buffer)
      indices = load.getIndices();
    else if (auto store = dyn_cast<memref::StoreOp>(op); store && store.getMemRef() == buffer)
      indices = store.getIndices();
    else if (llvm::is_contained(op->getOperands(), buffer))
      return WalkResult::interrupt(); // a view or a call: not analysed
    else
      return WalkResult::advance();
    return llvm::equal(indices, ivs) ? WalkResult::advance() : WalkResult::interrupt();
  });
  return !walked.wasInterrupted();
}

/// Folds a fill (a parallel loop storing one value per element of a
/// buffer) into the next parallel loop when that loop has the same bounds
/// and touches the buffer only at its own element: a reduction's
/// initialisation then runs in the reduction's own thread, one launch fewer
/// (softmax: four instead of six).
void fuseFillsIntoNextLoop(func::FuncOp fn) {
  Block &body = fn.getBody().front();
  for (auto fill : llvm::make_early_inc_range(body.getOps<scf::ParallelOp>())) {
    Operation *next = fill->getNextNode();
    while (next && next->hasTrait<OpTrait::ConstantLike>())
      next = next->getNextNode();
    auto loop = dyn_cast_or_null<scf::ParallelOp>(next);
    Block *fillBody = fill.getBody();
    auto store = dyn_cast<memref::StoreOp>(&fillBody->front());
    if (!loop || !store || fillBody->getOperations().size() != 2 ||
        !llvm::equal(store.getIndices(), fill.getInductionVars()) ||
        store.getValueToStore().getParentBlock() == fillBody ||
        !llvm::equal(loop.getLowerBound(), fill.getLowerBound()) ||
        !llvm::equal(loop.getUpperBound(), fill.getUpperBound()) ||
        !llvm::equal(loop.getStep(), fill.getStep()) ||
        !accessesOnlyOwnElement(loop, store.getMemRef()))
      continue;
    OpBuilder b = OpBuilder::atBlockBegin(loop.getBody());
    memref::StoreOp::create(b, store.getLoc(), store.getValueToStore(), store.getMemRef(),
                            ValueRange(loop.getInductionVars()));
    fill.erase();
  }
}

/// Replaces the kernel's body by launches of gpu.funcs in `kernels`.
LogicalResult mapKernelToGpu(func::FuncOp fn, gpu::GPUModuleOp kernels, int64_t blockSize) {
  fuseFillsIntoNextLoop(fn);
  MLIRContext *context = fn.getContext();
  const FunctionType signature = FunctionType::get(context, fn.getArgumentTypes(), {});
  const Recomputable recomputable = recomputableOps(fn);
  for (auto [i, segment] : llvm::enumerate(segmentsOf(fn, recomputable))) {
    int64_t total = 1, block = 1;
    SmallVector<int64_t> counts;
    if (segment.parallel) {
      FailureOr<SmallVector<int64_t>> trips = tripCounts(cast<scf::ParallelOp>(segment.ops[0]));
      if (failed(trips))
        return failure();
      counts = *trips;
      for (int64_t c : counts)
        total *= c;
      block = std::min(blockSize, std::max<int64_t>(total, 1));
    }
    OpBuilder kb = OpBuilder::atBlockEnd(kernels.getBody());
    auto kernel = gpu::GPUFuncOp::create(kb, fn.getLoc(), (fn.getName() + "_" + Twine(i)).str(),
                                         signature);
    kernel->setAttr(gpu::GPUDialect::getKernelFuncAttrName(), UnitAttr::get(context));
    Block &entry = kernel.getBody().front();
    OpBuilder b = OpBuilder::atBlockBegin(&entry);
    IRMapping map;
    if (failed(mapCaptures(segment.ops, fn, recomputable, entry, b, map)))
      return failure();
    if (segment.parallel)
      emitParallelBody(cast<scf::ParallelOp>(segment.ops[0]), counts, total, block, b, map);
    else
      for (Operation *op : segment.ops)
        b.clone(*op, map);
    b.setInsertionPointToEnd(&entry);
    gpu::ReturnOp::create(b, fn.getLoc());

    OpBuilder host(segment.ops.front());
    auto constant = [&](int64_t v) { return arith::ConstantIndexOp::create(host, fn.getLoc(), v); };
    Value one = constant(1);
    if (total > 0)
      gpu::LaunchFuncOp::create(host, fn.getLoc(), kernel,
                                gpu::KernelDim3{constant((total + block - 1) / block), one, one},
                                gpu::KernelDim3{constant(block), one, one}, Value(),
                                fn.getArguments());
    for (Operation *op : llvm::reverse(segment.ops))
      op->erase();
  }
  // What only the segments used, last use first.
  for (Operation &op : llvm::make_early_inc_range(llvm::reverse(fn.getBody().front())))
    if (recomputable.contains(&op) && op.use_empty())
      op.erase();
  return success();
}

/// Replaces every f32 math.sqrt in `kernels` by a call to libdevice's
/// __nv_fsqrt_rn.
void useRoundedSqrt(gpu::GPUModuleOp kernels) {
  SmallVector<math::SqrtOp> roots;
  kernels.walk([&](math::SqrtOp sqrt) {
    if (sqrt.getType().isF32())
      roots.push_back(sqrt);
  });
  if (roots.empty())
    return;
  OpBuilder b = OpBuilder::atBlockBegin(kernels.getBody());
  Type f32 = b.getF32Type();
  auto decl = func::FuncOp::create(b, kernels.getLoc(), "__nv_fsqrt_rn",
                                   b.getFunctionType({f32}, {f32}));
  decl.setPrivate();
  for (math::SqrtOp sqrt : roots) {
    b.setInsertionPoint(sqrt);
    auto call = func::CallOp::create(b, sqrt.getLoc(), decl, ValueRange{sqrt.getOperand()});
    sqrt.replaceAllUsesWith(call.getResult(0));
    sqrt.erase();
  }
}

std::string ptxasPath(const GpuTargetOptions &options) {
  if (!options.ptxas.empty())
    return options.ptxas;
  if (const char *env = std::getenv("HPT_PTXAS"); env && *env)
    return env;
  std::string bundled = cudaToolkit() + "/bin/ptxas";
  if (llvm::sys::fs::can_execute(bundled))
    return bundled;
  llvm::ErrorOr<std::string> found = llvm::sys::findProgramByName("ptxas");
  return found ? *found : std::string();
}

} // namespace

void registerGpuLowering(DialectRegistry &registry) {
  registry.insert<affine::AffineDialect, arith::ArithDialect, bufferization::BufferizationDialect,
                  cf::ControlFlowDialect, func::FuncDialect, gpu::GPUDialect,
                  LLVM::LLVMDialect, linalg::LinalgDialect, math::MathDialect,
                  memref::MemRefDialect, NVVM::NVVMDialect, scf::SCFDialect,
                  tensor::TensorDialect>();
  arith::registerBufferizableOpInterfaceExternalModels(registry);
  bufferization::func_ext::registerBufferizableOpInterfaceExternalModels(registry);
  linalg::registerBufferizableOpInterfaceExternalModels(registry);
  scf::registerBufferizableOpInterfaceExternalModels(registry);
  tensor::registerBufferizableOpInterfaceExternalModels(registry);
  arith::registerConvertArithToLLVMInterface(registry);
  cf::registerConvertControlFlowToLLVMInterface(registry);
  registerConvertFuncToLLVMInterface(registry);
  index::registerConvertIndexToLLVMInterface(registry);
  registerConvertMathToLLVMInterface(registry);
  registerConvertMemRefToLLVMInterface(registry);
  registerConvertNVVMToLLVMInterface(registry);
  ub::registerConvertUBToLLVMInterface(registry);
  NVVM::registerNVVMTargetInterfaceExternalModels(registry);
  registerBuiltinDialectTranslation(registry);
  registerGPUDialectTranslation(registry);
  registerLLVMDialectTranslation(registry);
  registerNVVMDialectTranslation(registry);
}

namespace {
/// Steps 1-2 on a copy of `module`'s @hpt_gpu: functions on memrefs that
/// write their arguments in place, as parallel loops.
FailureOr<OwningOpRef<ModuleOp>> bufferizeKernels(ModuleOp module) {
  MLIRContext *context = module.getContext();
  DialectRegistry registry;
  registerGpuLowering(registry);
  context->appendDialectRegistry(registry);
  context->loadAllAvailableDialects();

  OpBuilder b(context);
  OwningOpRef<ModuleOp> lowered = ModuleOp::create(b, module.getLoc());
  auto source = module.lookupSymbol<ModuleOp>(kGpuKernelModuleName);
  if (!source)
    return lowered;
  b.setInsertionPointToEnd(lowered->getBody());
  for (Operation &op : source.getBody()->getOperations())
    b.clone(op);

  PassManager bufferize(context);
  bufferization::OneShotBufferizePassOptions oneShot;
  oneShot.bufferizeFunctionBoundaries = true;
  oneShot.functionBoundaryTypeConversion = bufferization::LayoutMapOption::IdentityLayoutMap;
  bufferize.addPass(bufferization::createOneShotBufferizePass(oneShot));
  // An in-place insert_slice leaves a copy of a view onto itself: CSE makes
  // the two views one, and canonicalization drops the copy.
  bufferize.addPass(createCSEPass());
  bufferize.addPass(createCanonicalizerPass());
  bufferize.addNestedPass<func::FuncOp>(createConvertLinalgToParallelLoopsPass());
  bufferize.addPass(createCanonicalizerPass());
  if (failed(bufferize.run(*lowered)))
    return failure();
  for (auto fn : lowered->getOps<func::FuncOp>())
    if (failed(dropInPlaceResults(fn)))
      return failure();
  return lowered;
}
} // namespace

FailureOr<OwningOpRef<ModuleOp>> lowerToGpuDialect(ModuleOp module,
                                                   const GpuTargetOptions &options) {
  FailureOr<OwningOpRef<ModuleOp>> lowered = bufferizeKernels(module);
  if (failed(lowered) || (*lowered)->getOps<func::FuncOp>().empty())
    return lowered;
  MLIRContext *context = module.getContext();
  (**lowered)->setAttr(gpu::GPUDialect::getContainerModuleAttrName(), UnitAttr::get(context));
  OpBuilder b = OpBuilder::atBlockEnd((*lowered)->getBody());
  auto kernels = gpu::GPUModuleOp::create(b, module.getLoc(), kKernelModule);
  for (auto fn : llvm::to_vector((*lowered)->getOps<func::FuncOp>()))
    if (failed(mapKernelToGpu(fn, kernels, options.blockSize)))
      return failure();
  PassManager tidy(context);
  tidy.addPass(createCanonicalizerPass());
  tidy.addPass(createCSEPass());
  if (failed(tidy.run(**lowered)))
    return failure();
  return lowered;
}

namespace {
/// Host functions on memrefs to the LLVM dialect, bare-pointer arguments.
LogicalResult lowerToHostLLVM(ModuleOp module) {
  PassManager pm(module.getContext());
  pm.addPass(createLowerAffinePass());
  pm.addPass(memref::createExpandStridedMetadataPass());
  pm.addPass(createSCFToControlFlowPass());
  pm.addPass(createConvertMathToLibmPass());
  pm.addPass(createConvertMathToLLVMPass());
  pm.addPass(createArithToLLVMConversionPass());
  pm.addPass(createConvertControlFlowToLLVMPass());
  pm.addPass(createFinalizeMemRefToLLVMConversionPass());
  ConvertFuncToLLVMPassOptions func;
  func.useBarePtrCallConv = true;
  pm.addPass(createConvertFuncToLLVMPass(func));
  pm.addPass(createConvertIndexToLLVMPass());
  pm.addPass(createReconcileUnrealizedCastsPass());
  return pm.run(module);
}
} // namespace

FailureOr<OwningOpRef<ModuleOp>> lowerKernelsToLLVM(ModuleOp module) {
  FailureOr<OwningOpRef<ModuleOp>> lowered = bufferizeKernels(module);
  if (failed(lowered) || failed(lowerToHostLLVM(**lowered)))
    return failure();
  return lowered;
}

FailureOr<OwningOpRef<ModuleOp>> lowerGpuFuncsForHost(ModuleOp gpuLevel) {
  MLIRContext *context = gpuLevel.getContext();
  OpBuilder b(context);
  OwningOpRef<ModuleOp> host = ModuleOp::create(b, gpuLevel.getLoc());
  b.setInsertionPointToEnd(host->getBody());
  Type index = b.getIndexType();
  for (auto kernels : gpuLevel.getOps<gpu::GPUModuleOp>())
    for (auto kernel : kernels.getOps<gpu::GPUFuncOp>()) {
      SmallVector<Type> args(kernel.getArgumentTypes());
      args.append({index, index});
      auto fn = func::FuncOp::create(b, kernel.getLoc(), kernel.getName(),
                                     b.getFunctionType(args, {}));
      Block *entry = fn.addEntryBlock();
      IRMapping map;
      for (auto [from, to] : llvm::zip(kernel.getArguments(), entry->getArguments()))
        map.map(from, to);
      OpBuilder body = OpBuilder::atBlockEnd(entry);
      for (Operation &op : kernel.getBody().front())
        body.clone(op, map);
      const Value block = entry->getArgument(args.size() - 2),
                  thread = entry->getArgument(args.size() - 1);
      fn.walk([&](Operation *op) {
        OpBuilder at(op);
        Value replacement;
        if (auto id = dyn_cast<gpu::BlockIdOp>(op))
          replacement = id.getDimension() == gpu::Dimension::x
                            ? block
                            : arith::ConstantIndexOp::create(at, op->getLoc(), 0).getResult();
        else if (auto id = dyn_cast<gpu::ThreadIdOp>(op))
          replacement = id.getDimension() == gpu::Dimension::x
                            ? thread
                            : arith::ConstantIndexOp::create(at, op->getLoc(), 0).getResult();
        else if (isa<gpu::ReturnOp>(op)) {
          func::ReturnOp::create(at, op->getLoc());
          op->erase();
          return;
        } else
          return;
        op->getResult(0).replaceAllUsesWith(replacement);
        op->erase();
      });
    }
  if (failed(lowerToHostLLVM(*host)))
    return failure();
  return host;
}

/// Adds to each function of `host` (the LLVM dialect; its last two
/// arguments are the block and thread) `hpt_packed_NAME(ptr args, i64
/// block, i64 thread)`, which passes *args[i] as its argument i, as
/// cuLaunchKernel hands a kernel its arguments: a caller that knows only the
/// name can call it.
static void addPackedEntries(ModuleOp host) {
  MLIRContext *context = host.getContext();
  OpBuilder b(context);
  auto ptr = LLVM::LLVMPointerType::get(context);
  auto i64 = IntegerType::get(context, 64);
  SmallVector<LLVM::LLVMFuncOp> functions(host.getOps<LLVM::LLVMFuncOp>());
  for (LLVM::LLVMFuncOp fn : functions) {
    ArrayRef<Type> params = fn.getFunctionType().getParams();
    if (fn.isExternal() || params.size() < 2)
      continue;
    b.setInsertionPointToEnd(host.getBody());
    Location loc = fn.getLoc();
    auto packed = LLVM::LLVMFuncOp::create(
        b, loc, ("hpt_packed_" + fn.getName()).str(),
        LLVM::LLVMFunctionType::get(LLVM::LLVMVoidType::get(context), {ptr, i64, i64}));
    Block *entry = packed.addEntryBlock(b);
    b.setInsertionPointToStart(entry);
    SmallVector<Value> args;
    for (auto [i, type] : llvm::enumerate(params.drop_back(2))) {
      Value slot = LLVM::GEPOp::create(b, loc, ptr, ptr, entry->getArgument(0),
                                       ArrayRef<LLVM::GEPArg>{int32_t(i)});
      Value address = LLVM::LoadOp::create(b, loc, ptr, slot);
      args.push_back(LLVM::LoadOp::create(b, loc, type, address));
    }
    args.append({entry->getArgument(1), entry->getArgument(2)});
    LLVM::CallOp::create(b, loc, fn, args);
    LLVM::ReturnOp::create(b, loc, ValueRange{});
  }
}

FailureOr<std::string> translateToHostLibrary(ModuleOp gpuLevel) {
  FailureOr<OwningOpRef<ModuleOp>> host = lowerGpuFuncsForHost(gpuLevel);
  if (failed(host))
    return failure();
  addPackedEntries(**host);
  llvm::LLVMContext context;
  std::unique_ptr<llvm::Module> module = translateModuleToLLVMIR(**host, context);
  if (!module)
    return failure();
  std::string text;
  llvm::raw_string_ostream os(text);
  module->print(os, nullptr);
  return text;
}

FailureOr<std::string> translateToPtx(ModuleOp gpuLevel, const GpuTargetOptions &options) {
  OwningOpRef<ModuleOp> module = gpuLevel.clone();
  if (module->getOps<gpu::GPUModuleOp>().empty())
    return std::string();
  // The host's sqrt is correctly rounded; libdevice's __nv_sqrtf is not
  // under LLVM's defaults (its precise variant is selected by a reflect
  // flag), so f32 square roots call the correctly rounded __nv_fsqrt_rn.
  for (auto kernels : module->getOps<gpu::GPUModuleOp>())
    useRoundedSqrt(kernels);
  MLIRContext *context = gpuLevel.getContext();
  PassManager pm(context);
  OpPassManager &device = pm.nest<gpu::GPUModuleOp>();
  device.addPass(createLowerAffinePass());
  device.addPass(memref::createExpandStridedMetadataPass());
  device.addPass(createSCFToControlFlowPass());
  device.addPass(createCanonicalizerPass());
  device.addPass(createCSEPass());
  GpuNVVMAttachTargetOptions target;
  target.chip = options.chip;
  target.features = options.features;
  target.optLevel = 3;
  pm.addPass(createGpuNVVMAttachTarget(target));
  ConvertGpuOpsToNVVMOpsOptions nvvm;
  nvvm.useBarePtrCallConv = true;
  pm.nest<gpu::GPUModuleOp>().addPass(createConvertGpuOpsToNVVMOps(nvvm));
  pm.addPass(createReconcileUnrealizedCastsPass());
  GpuModuleToBinaryPassOptions binary;
  binary.compilationTarget = "isa";
  binary.toolkitPath = cudaToolkit();
  if (!llvm::sys::fs::exists(binary.toolkitPath + "/nvvm/libdevice/libdevice.10.bc"))
    return gpuLevel.emitError("the GPU kernels need libdevice, which is not at ")
           << binary.toolkitPath
           << "/nvvm/libdevice/libdevice.10.bc (install the CUDA toolkit there, or set "
              "HPT_CUDA_TOOLKIT)";
  pm.addPass(createGpuModuleToBinaryPass(binary));
  if (failed(pm.run(*module)))
    return failure();
  for (auto bin : module->getOps<gpu::BinaryOp>())
    for (Attribute object : bin.getObjects())
      return cast<gpu::ObjectAttr>(object).getObject().getValue().str();
  return gpuLevel.emitError("the GPU kernels gave no PTX");
}

std::vector<GpuKernelLaunches> launchesOf(ModuleOp gpuLevel) {
  std::vector<GpuKernelLaunches> kernels;
  for (auto fn : gpuLevel.getOps<func::FuncOp>()) {
    GpuKernelLaunches kernel{fn.getName().str(), {}};
    fn.walk([&](gpu::LaunchFuncOp launch) {
      kernel.launches.push_back(
          {launch.getKernelName().str(),
           getConstantIntValue(launch.getGridSizeX()).value_or(0),
           getConstantIntValue(launch.getBlockSizeX()).value_or(0)});
    });
    kernels.push_back(std::move(kernel));
  }
  return kernels;
}

FailureOr<std::string> assemblePtx(const std::string &ptx, const std::string &arch,
                                   const GpuTargetOptions &options, std::string &error) {
  const std::string ptxas = ptxasPath(options);
  if (ptxas.empty()) {
    error = "ptxas not found (set HPT_PTXAS or HPT_CUDA_TOOLKIT, or install the CUDA toolkit at "
            "/usr/local/cuda)";
    return failure();
  }
  SmallString<128> input, output, messages;
  int fd = -1;
  if (llvm::sys::fs::createTemporaryFile("hpt-kernels", "ptx", fd, input) ||
      llvm::sys::fs::createTemporaryFile("hpt-kernels", "cubin", output) ||
      llvm::sys::fs::createTemporaryFile("hpt-ptxas", "log", messages)) {
    error = "cannot create temporary files for ptxas";
    return failure();
  }
  {
    llvm::raw_fd_ostream os(fd, /*shouldClose=*/true);
    os << ptx;
  }
  llvm::SmallVector<llvm::StringRef> args = {ptxas, "-arch", arch, "-o", output, input};
  std::optional<llvm::StringRef> redirects[] = {std::nullopt, messages, messages};
  std::string runError;
  const int status = llvm::sys::ExecuteAndWait(ptxas, args, std::nullopt, redirects, 0, 0, &runError);
  llvm::scope_exit cleanup([&] {
    llvm::sys::fs::remove(input);
    llvm::sys::fs::remove(output);
    llvm::sys::fs::remove(messages);
  });
  if (status != 0) {
    auto log = llvm::MemoryBuffer::getFile(messages);
    const std::string said = log ? (*log)->getBuffer().trim().str() : std::string();
    error = ptxas + " -arch " + arch + " failed" + (runError.empty() ? "" : ": " + runError) +
            (said.empty() ? "" : ": " + said);
    return failure();
  }
  auto cubin = llvm::MemoryBuffer::getFile(output, /*IsText=*/false);
  if (!cubin) {
    error = "ptxas wrote no cubin";
    return failure();
  }
  return (*cubin)->getBuffer().str();
}

void registerGpuTranslations() {
  auto registerDialects = [](DialectRegistry &registry) {
    registry.insert<HptDialect, pim::PimDialect, sa::SaDialect>();
    registerGpuLowering(registry);
  };
  static TranslateFromMLIRRegistration gpuIr(
      "hpt-to-gpu-ir",
      "print the GPU-level IR of a module's kernels (convert-hpt-to-gpu's @hpt_gpu, bufferized "
      "and mapped to gpu.funcs, with each kernel's launches)",
      [](ModuleOp module, llvm::raw_ostream &os) -> LogicalResult {
        FailureOr<OwningOpRef<ModuleOp>> lowered = lowerToGpuDialect(module, GpuTargetOptions{});
        if (failed(lowered))
          return failure();
        (*lowered)->print(os);
        os << "\n";
        return success();
      },
      registerDialects);
  static TranslateFromMLIRRegistration ptx(
      "hpt-to-ptx", "print the PTX of a module's GPU kernels",
      [](ModuleOp module, llvm::raw_ostream &os) -> LogicalResult {
        GpuTargetOptions options;
        FailureOr<OwningOpRef<ModuleOp>> lowered = lowerToGpuDialect(module, options);
        if (failed(lowered))
          return failure();
        FailureOr<std::string> text = translateToPtx(**lowered, options);
        if (failed(text))
          return failure();
        os << *text;
        return success();
      },
      registerDialects);
  static TranslateFromMLIRRegistration host(
      "hpt-to-gpu-host",
      "print a module's GPU kernels as host LLVM IR: each gpu.func a function of its "
      "arguments, then block and thread, with hpt_packed_NAME(void **args, block, thread) "
      "beside it (the "
      "emulated CUDA driver's kernels, test/emulated-cuda)",
      [](ModuleOp module, llvm::raw_ostream &os) -> LogicalResult {
        FailureOr<OwningOpRef<ModuleOp>> lowered = lowerToGpuDialect(module, GpuTargetOptions{});
        if (failed(lowered))
          return failure();
        FailureOr<std::string> text = translateToHostLibrary(**lowered);
        if (failed(text))
          return failure();
        os << *text;
        return success();
      },
      registerDialects);
}

} // namespace hpt
