//===- Bundle.cpp - write a module as an hpt-run bundle -------------------===//

#include "hpt/Target/Bundle.h"

#include "dialects/hpt/HptOps.h"
#include "dialects/pim/PimDialect.h"
#include "hardware/BundleFormat.h"
#include "hardware/BundleSchema.h"
#include "hardware/systolic/Stream.h"
#include "hpt/Analysis/Hardware.h"
#include "hpt/Conversion/GpuKernels.h"
#include "hpt/Systolic/GemmOps.h"
#include "hpt/Systolic/IsaOps.h"
#include "hpt/Target/GpuProgram.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Location.h"
#include "mlir/Tools/mlir-translate/Translation.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"

using namespace mlir;
using namespace hpt;
namespace json = llvm::json;
namespace key = hpt::hw::bundle::key;

namespace {
json::Array shapeJson(Type type) {
  json::Array shape;
  for (int64_t size : cast<RankedTensorType>(type).getShape())
    shape.push_back(size);
  return shape;
}

/// "file:line:col" of an op, so that the runtime's messages point at the IR.
std::string locationText(Location loc) {
  if (auto file = dyn_cast<FileLineColLoc>(loc))
    return llvm::formatv("{0}:{1}:{2}", file.getFilename().getValue(),
                         file.getLine(), file.getColumn())
        .str();
  if (auto fused = dyn_cast<FusedLoc>(loc))
    for (Location inner : fused.getLocations())
      if (std::string text = locationText(inner); !text.empty())
        return text;
  if (auto name = dyn_cast<NameLoc>(loc))
    return locationText(name.getChildLoc());
  return "";
}

FailureOr<json::Value> attributeJson(Operation *op, NamedAttribute attr) {
  Attribute value = attr.getValue();
  if (auto number = dyn_cast<FloatAttr>(value))
    return json::Value(number.getValueAsDouble());
  if (auto integer = dyn_cast<IntegerAttr>(value))
    return json::Value(integer.getInt());
  if (isa<UnitAttr>(value))
    return json::Value(true);
  if (auto array = dyn_cast<DenseI64ArrayAttr>(value))
    return json::Value(json::Array(array.asArrayRef()));
  if (auto symbol = dyn_cast<FlatSymbolRefAttr>(value))
    return json::Value(symbol.getValue().str());
  if (auto gelu = dyn_cast<GeluApproximationAttr>(value))
    return json::Value(stringifyGeluApproximation(gelu.getValue()).str());
  return op->emitOpError("attribute '")
         << attr.getName().getValue() << "' cannot be written to a bundle";
}

/// Every value a function uses, numbered: arguments first, then results in
/// the order they are defined.
class ValueNumbering {
public:
  int64_t number(Value value) {
    auto [it, inserted] = ids.try_emplace(value, ids.size());
    (void)inserted;
    return it->second;
  }
  int64_t count() const { return ids.size(); }

private:
  DenseMap<Value, int64_t> ids;
};

/// Attributes of placement and tiling: the bundle says them in its own terms
/// (an op's "device", the systolic section).
bool isPlacementAttr(StringRef name) {
  return name == kDeviceAttrName || name.starts_with("sa.") || name.starts_with("pim.") ||
         name == kGpuKernelAttrName || name == kGpuLibraryAttrName;
}

/// The ReRAM section: the frozen weights in crossbars (hpt-crossbar-tile)
/// and, per op placed on reram, the weight it reads and how.
class ReramSection {
public:
  explicit ReramSection(ModuleOp module) : symbols(module) {
    for (auto crossbars : module.getOps<pim::CrossbarsOp>())
      weights.push_back(json::Object{
          {key::kName, crossbars.getSymName().str()},
          {key::kParam, crossbars.getParam().str()},
          {key::kTransposedParam, crossbars.getTransposedParam()},
          {key::kRows, static_cast<int64_t>(crossbars.getRows())},
          {key::kCols, static_cast<int64_t>(crossbars.getCols())},
          {key::kFirstTile, static_cast<int64_t>(crossbars.getFirstTile())},
          {key::kTiles, static_cast<int64_t>(crossbars.getTiles())},
          {key::kCrossbarCount, static_cast<int64_t>(crossbars.getCrossbars())}});
  }

  /// Adds `op` (placed on reram) of the function `function`.
  LogicalResult add(Operation *op, StringRef function, int64_t index) {
    auto name = op->getAttrOfType<FlatSymbolRefAttr>("pim.crossbars");
    auto read = op->getAttrOfType<StringAttr>("pim.read");
    if (!name || !read || !symbols.lookup<pim::CrossbarsOp>(name.getValue()))
      return op->emitOpError("is placed on reram but reads no crossbars (run "
                             "hpt-crossbar-tile)");
    ops.push_back(json::Object{{key::kFunction, function.str()},
                               {key::kOp, index},
                               {key::kCrossbars, name.getValue().str()},
                               {key::kRead, read.getValue().str()}});
    return success();
  }

  bool empty() const { return ops.empty(); }

  std::string write() {
    json::Object section{{key::kCrossbars, std::move(weights)}, {key::kOps, std::move(ops)}};
    std::string text;
    llvm::raw_string_ostream os(text);
    os << json::Value(std::move(section));
    return text;
  }

private:
  SymbolTable symbols;
  json::Array weights, ops;
};

/// The systolic section: each stream once, and per op its stream and the
/// DRAM region of each of its tensors.
class SystolicSection {
public:
  explicit SystolicSection(ModuleOp module) : symbols(module) {}

  /// Adds `op` (placed on the systolic array) of the function `function`.
  LogicalResult add(Operation *op, StringRef function, int64_t index, ValueNumbering &values) {
    auto name = op->getAttrOfType<FlatSymbolRefAttr>("sa.stream");
    auto stream = name ? symbols.lookup<sa::StreamOp>(name.getValue()) : sa::StreamOp();
    std::optional<std::vector<DramBinding>> bindings = dramBindings(op);
    if (!stream || !bindings)
      return op->emitOpError("is placed on the systolic array but has no stream (")
             << kSystolicOps << "; run hpt-systolic-tile and convert-hpt-to-sa)";
    json::Array bound;
    for (const DramBinding &b : *bindings) {
      json::Object entry{{key::kRegion, systolic::name(b.region)},
                         {key::kOffset, static_cast<int64_t>(b.offset)},
                         {key::kTensor, systolic::name(b.tensor)},
                         {key::kOutput, b.result},
                         {key::kTranspose, b.transpose}};
      if (b.tensor == systolic::BoundTensor::Value)
        entry[key::kValue] =
            values.number(b.result ? op->getResult(b.index) : op->getOperand(b.index));
      bound.push_back(std::move(entry));
    }
    systolic::Stream instructions = instructionsOf(stream);
    std::string bytes = systolic::toBinary(instructions);
    // The plan goes with the stream when the stream is exactly that plan (a
    // hand-edited stream runs instruction by instruction).
    std::optional<systolic::PlanSpec> spec = planSpecOf(op);
    std::optional<systolic::Plan> plan;
    if (spec)
      plan = systolic::planOf(*spec, systolic::machineOf(instructions.instructions.front()));
    bool planned = plan && *plan && systolic::toBinary(**plan) == bytes;
    ops.push_back(json::Object{{key::kFunction, function.str()},
                               {key::kOp, index},
                               {key::kStream, streamIndex(bytes, planned ? spec : std::nullopt)},
                               {key::kBindings, std::move(bound)}});
    return success();
  }

  bool empty() const { return ops.empty(); }

  /// The index section and the streams section.
  std::pair<std::string, std::string> write() {
    json::Array table;
    for (size_t i = 0; i < offsets.size(); ++i) {
      json::Object entry{{key::kOffset, static_cast<int64_t>(offsets[i].first)},
                         {key::kBytes, static_cast<int64_t>(offsets[i].second)}};
      if (plans[i])
        entry[key::kPlan] = planJson(*plans[i]);
      table.push_back(std::move(entry));
    }
    json::Object index{{key::kStreams, std::move(table)}, {key::kOps, std::move(ops)}};
    std::string text;
    llvm::raw_string_ostream os(text);
    os << json::Value(std::move(index));
    return {text, blob};
  }

private:
  /// Identical streams (the same GEMM shape on the same array) are stored once.
  int64_t streamIndex(const std::string &bytes, std::optional<systolic::PlanSpec> plan) {
    auto [it, inserted] = byBytes.try_emplace(bytes, offsets.size());
    if (inserted) {
      offsets.emplace_back(blob.size(), bytes.size());
      plans.push_back(plan);
      blob += bytes;
    }
    return it->second;
  }

  static json::Object planJson(const systolic::PlanSpec &spec) {
    if (const auto *gemm = std::get_if<systolic::GemmShape>(&spec))
      return json::Object{{key::kKind, "gemm"},
                          {key::kM, static_cast<int64_t>(gemm->M)},
                          {key::kN, static_cast<int64_t>(gemm->N)},
                          {key::kK, static_cast<int64_t>(gemm->K)},
                          {key::kBatch, static_cast<int64_t>(gemm->batch)},
                          {key::kBias, gemm->bias}};
    const auto &vector = std::get<systolic::VectorShape>(spec);
    return json::Object{{key::kKind, "vector"},
                        {key::kOp, systolic::name(vector.op)},
                        {key::kRows, static_cast<int64_t>(vector.rows)},
                        {key::kCols, static_cast<int64_t>(vector.cols)},
                        {key::kScalar, static_cast<double>(vector.scalar)}};
  }

  SymbolTable symbols;
  json::Array ops;
  std::map<std::string, int64_t> byBytes;
  std::vector<std::pair<uint64_t, uint64_t>> offsets; ///< per stream: offset, bytes
  std::vector<std::optional<systolic::PlanSpec>> plans; ///< per stream
  std::string blob;
};

FailureOr<json::Object> opJson(Operation *op, ValueNumbering &values) {
  if (op->getDialect()->getNamespace() != HptDialect::getDialectNamespace())
    return op->emitOpError("cannot be executed by hpt-run (only hpt ops can)");
  json::Array operands, results, shapes;
  for (Value operand : op->getOperands())
    operands.push_back(values.number(operand));
  for (Value result : op->getResults()) {
    auto type = dyn_cast<RankedTensorType>(result.getType());
    if (!type || !type.getElementType().isF32())
      return op->emitOpError("result type ")
             << result.getType() << " is not supported by hpt-run (f32 only)";
    results.push_back(values.number(result));
    shapes.push_back(shapeJson(type));
  }
  json::Object attrs;
  for (NamedAttribute attr : op->getAttrs()) {
    if (isPlacementAttr(attr.getName().getValue()))
      continue;
    FailureOr<json::Value> value = attributeJson(op, attr);
    if (failed(value))
      return failure();
    attrs[attr.getName().getValue()] = std::move(*value);
  }
  json::Object entry{
      {key::kOp, op->getName().stripDialect().str()},
      {key::kOperands, std::move(operands)},
      {key::kResults, std::move(results)},
      {key::kShapes, std::move(shapes)},
      {key::kAttrs, std::move(attrs)},
      {key::kLoc, locationText(op->getLoc())},
  };
  if (auto device = op->getAttrOfType<DeviceAttr>(kDeviceAttrName);
      device && device.getKind() != DeviceKind::host) {
    json::Object placed{{key::kKind, stringifyDeviceKind(device.getKind()).str()}};
    if (std::optional<uint32_t> instance = device.getInstance())
      placed[key::kInstance] = static_cast<int64_t>(*instance);
    entry[key::kDevice] = std::move(placed);
  }
  return entry;
}

/// The device an op is placed on (none: the host).
DeviceKind deviceOf(Operation *op) {
  auto device = op->getAttrOfType<DeviceAttr>(kDeviceAttrName);
  return device ? device.getKind() : DeviceKind::host;
}

/// The GPU section: per op placed on the gpu, its kernel or cuBLAS
/// (convert-hpt-to-gpu); the kernels, compiled (GpuProgram.h) when written.
class GpuSection {
public:
  /// Adds `op` (placed on the gpu) of the function `function`.
  void add(Operation *op, StringRef function, int64_t index) {
    auto kernel = op->getAttrOfType<SymbolRefAttr>(kGpuKernelAttrName);
    const bool library = op->hasAttr(kGpuLibraryAttrName);
    if (!kernel && !library)
      return;
    json::Object entry{{key::kFunction, function.str()}, {key::kOp, index}};
    if (kernel)
      entry[key::kKernel] = kernel.getLeafReference().str();
    if (library)
      entry[key::kLibrary] = kCublasLibrary.str();
    ops.push_back(std::move(entry));
  }

  bool empty() const { return ops.empty(); }

  /// The sections "gpu", "gpu.ptx" and one "gpu.cubin.ARCH" per
  /// architecture ptxas assembled (a warning names any it could not).
  FailureOr<std::vector<hw::bundle::Section>> write(ModuleOp module) {
    GpuTargetOptions options;
    FailureOr<OwningOpRef<ModuleOp>> lowered = lowerToGpuDialect(module, options);
    if (failed(lowered))
      return failure();
    FailureOr<std::string> ptx = translateToPtx(**lowered, options);
    if (failed(ptx))
      return failure();
    std::vector<hw::bundle::Section> sections;
    json::Array cubins;
    for (const std::string &arch : options.cubinArchs) {
      std::string error;
      FailureOr<std::string> cubin = assemblePtx(*ptx, arch, options, error);
      if (failed(cubin)) {
        emitWarning(module.getLoc(), "no ")
            << arch << " cubin in the bundle (the driver can JIT its PTX): " << error;
        continue;
      }
      cubins.push_back(arch);
      sections.push_back({hw::bundle::kGpuCubinPrefix + arch, std::move(*cubin)});
    }
    json::Object root{{key::kPtxTarget, options.chip},
                      {key::kCubins, std::move(cubins)},
                      {key::kKernels, kernelsJson(module, launchesOf(**lowered))},
                      {key::kOps, std::move(ops)}};
    std::string text;
    llvm::raw_string_ostream os(text);
    os << json::Value(std::move(root));
    sections.insert(sections.begin(), {{hw::bundle::kGpu, text}, {hw::bundle::kGpuPtx, *ptx}});
    return sections;
  }

private:
  /// Each kernel: its arguments (binding, element type, shape) and launches.
  static json::Array kernelsJson(ModuleOp module, const std::vector<GpuKernelLaunches> &launches) {
    json::Array kernels;
    auto source = module.lookupSymbol<ModuleOp>(kGpuKernelModuleName);
    for (const GpuKernelLaunches &kernel : launches) {
      auto fn = source.lookupSymbol<func::FuncOp>(kernel.kernel);
      auto bindings = fn->getAttrOfType<ArrayAttr>(kGpuArgsAttrName);
      json::Array args, runs;
      for (auto [type, binding] : llvm::zip(fn.getArgumentTypes(), bindings)) {
        auto shaped = dyn_cast<ShapedType>(type);
        std::string element;
        llvm::raw_string_ostream(element) << (shaped ? shaped.getElementType() : type);
        args.push_back(json::Object{{key::kBind, cast<StringAttr>(binding).getValue().str()},
                                    {key::kElement, element},
                                    {key::kShape, shaped ? shapeJson(shaped) : json::Array{}}});
      }
      for (const hw::gpu::Launch &launch : kernel.launches)
        runs.push_back(json::Object{{key::kEntry, launch.entry},
                                    {key::kGrid, launch.grid},
                                    {key::kBlock, launch.block}});
      kernels.push_back(json::Object{{key::kName, kernel.kernel},
                                     {key::kArgs, std::move(args)},
                                     {key::kLaunches, std::move(runs)}});
    }
    return kernels;
  }

  json::Array ops;
};

FailureOr<json::Object> functionJson(func::FuncOp func, SystolicSection &systolicOps,
                                     ReramSection &reramOps, GpuSection &gpuOps) {
  if (!func.getBody().hasOneBlock())
    return func.emitOpError("must have a single block to be written to a bundle");
  ValueNumbering values;
  json::Array args, ops, returns;
  for (BlockArgument arg : func.getArguments()) {
    auto type = dyn_cast<RankedTensorType>(arg.getType());
    if (!type || !type.getElementType().isF32())
      return func.emitOpError("argument type ")
             << arg.getType() << " is not supported by hpt-run (f32 only)";
    values.number(arg);
    args.push_back(shapeJson(type));
  }
  for (Operation &op : func.getBody().front()) {
    if (auto ret = dyn_cast<func::ReturnOp>(op)) {
      for (Value operand : ret.getOperands())
        returns.push_back(values.number(operand));
      continue;
    }
    FailureOr<json::Object> entry = opJson(&op, values);
    if (failed(entry))
      return failure();
    if (deviceOf(&op) == DeviceKind::reram && failed(reramOps.add(&op, func.getName(), ops.size())))
      return failure();
    if (deviceOf(&op) == DeviceKind::systolic &&
        failed(systolicOps.add(&op, func.getName(), ops.size(), values)))
      return failure();
    if (deviceOf(&op) == DeviceKind::gpu)
      gpuOps.add(&op, func.getName(), ops.size());
    ops.push_back(std::move(*entry));
  }
  return json::Object{{key::kName, func.getName().str()},
                      {key::kArgs, std::move(args)},
                      {key::kReturns, std::move(returns)},
                      {key::kValues, values.count()},
                      {key::kOps, std::move(ops)}};
}

FailureOr<json::Object> paramJson(ParamOp param) {
  RankedTensorType type = param.getTensorType();
  if (!type.getElementType().isF32())
    return param.emitOpError("type ") << type << " is not supported by hpt-run (f32 only)";
  InitAttr init = param.getInit();
  return json::Object{{key::kName, param.getSymName().str()},
                      {key::kShape, shapeJson(type)},
                      {key::kInit, stringifyInitKind(init.getKind()).str()},
                      {key::kFanIn, init.getFanIn()},
                      {key::kSeed, static_cast<int64_t>(param.getSeed())},
                      {key::kTrainable, param.getTrainable()}};
}
/// A LoRA program's configuration and its adapters.
json::Object loraJson(func::FuncOp forward, LoraAttr lora) {
  json::Array adapters;
  if (auto triples = forward->getAttrOfType<ArrayAttr>(kAdaptersAttrName))
    for (auto triple : triples.getAsRange<ArrayAttr>()) {
      auto name = [&](unsigned i) {
        return cast<FlatSymbolRefAttr>(triple[i]).getValue().str();
      };
      adapters.push_back(
          json::Object{{key::kTarget, name(0)}, {key::kA, name(1)}, {key::kB, name(2)}});
    }
  auto base = forward->getAttrOfType<FlatSymbolRefAttr>(kLoraBaseAttrName);
  return json::Object{{key::kRank, lora.getRank()},
                      {key::kAlpha, lora.getAlpha().convertToDouble()},
                      {key::kDropout, lora.getDropout().convertToDouble()},
                      {key::kBase, base ? base.getValue().str() : ""},
                      {key::kAdapters, std::move(adapters)}};
}

/// One program per training step: the step, the forward function it was
/// built from (evaluation), and for a LoRA program its adapters.
FailureOr<json::Array> programsJson(ModuleOp module) {
  json::Array programs;
  for (auto train : module.getOps<func::FuncOp>()) {
    auto of = train->getAttrOfType<FlatSymbolRefAttr>(kTrainStepOfAttrName);
    if (!of)
      continue;
    auto forward = module.lookupSymbol<func::FuncOp>(of);
    if (!forward)
      return train.emitOpError("is the training step of @")
             << of.getValue() << ", which is not a function of the module";
    json::Object program{{key::kTrain, train.getName().str()},
                         {key::kEval, forward.getName().str()}};
    if (auto lora = forward->getAttrOfType<LoraAttr>(kLoraAttrName))
      program[key::kLora] = loraJson(forward, lora);
    programs.push_back(std::move(program));
  }
  return programs;
}
} // namespace

namespace {
std::string jsonText(json::Value value) {
  std::string text;
  llvm::raw_string_ostream os(text);
  os << value;
  return text;
}

/// Any op placed off the host needs the description it was placed for.
LogicalResult checkPlacedOnDescribedHardware(ModuleOp module) {
  if (module->hasAttr(kHardwareAttrName))
    return success();
  WalkResult placed = module.walk([&](Operation *op) {
    if (isa<HptDialect>(op->getDialect()) && deviceOf(op) != DeviceKind::host) {
      op->emitOpError("is placed on ")
          << stringifyDeviceKind(deviceOf(op))
          << ", but the module names no hardware description (give hw=FILE to hpt-place "
             "or hpt-systolic-tile)";
      return WalkResult::interrupt();
    }
    return WalkResult::advance();
  });
  return failure(placed.wasInterrupted());
}
} // namespace

LogicalResult hpt::translateToBundle(ModuleOp module, llvm::raw_ostream &os) {
  if (failed(checkPlacedOnDescribedHardware(module)))
    return failure();
  FailureOr<json::Array> programs = programsJson(module);
  if (failed(programs))
    return failure();
  json::Array params, functions;
  SystolicSection systolicOps(module);
  ReramSection reramOps(module);
  GpuSection gpuOps;
  for (Operation &op : module.getBody()->getOperations()) {
    if (auto param = dyn_cast<ParamOp>(op)) {
      FailureOr<json::Object> entry = paramJson(param);
      if (failed(entry))
        return failure();
      params.push_back(std::move(*entry));
    } else if (auto func = dyn_cast<func::FuncOp>(op)) {
      FailureOr<json::Object> entry = functionJson(func, systolicOps, reramOps, gpuOps);
      if (failed(entry))
        return failure();
      functions.push_back(std::move(*entry));
    } else if (!isa<sa::StreamOp, pim::CrossbarsOp, pim::KernelOp>(op) &&
               !(isa<ModuleOp>(op) && cast<ModuleOp>(op).getSymName() == kGpuKernelModuleName)) {
      // Streams go into the systolic section, crossbars and their kernels
      // into the ReRAM one (the device runs them from the hardware model),
      // the GPU kernels into the GPU sections, compiled.
      return op.emitOpError("cannot be written to a bundle");
    }
  }
  json::Object root{{key::kFormat, "hpt-bundle"},
                    {key::kVersion, hw::bundle::kVersion},
                    {key::kParams, std::move(params)},
                    {key::kFunctions, std::move(functions)},
                    {key::kPrograms, std::move(*programs)}};
  std::vector<hw::bundle::Section> sections = {
      {hw::bundle::kProgram, jsonText(std::move(root))}};
  if (auto hardware = module->getAttrOfType<StringAttr>(kHardwareAttrName))
    sections.push_back({hw::bundle::kHardware, hardware.getValue().str()});
  if (!systolicOps.empty()) {
    auto [index, streams] = systolicOps.write();
    sections.push_back({hw::bundle::kSystolic, index});
    sections.push_back({hw::bundle::kSystolicStreams, streams});
  }
  if (!reramOps.empty())
    sections.push_back({hw::bundle::kReram, reramOps.write()});
  if (!gpuOps.empty()) {
    FailureOr<std::vector<hw::bundle::Section>> gpu = gpuOps.write(module);
    if (failed(gpu))
      return failure();
    sections.insert(sections.end(), gpu->begin(), gpu->end());
  }
  os << hw::bundle::write(sections);
  return success();
}

void hpt::registerToBundleTranslation() {
  static TranslateFromMLIRRegistration registration(
      "hpt-to-bundle", "write an hpt module as an hpt-run bundle",
      [](ModuleOp module, llvm::raw_ostream &os) {
        return translateToBundle(module, os);
      },
      [](DialectRegistry &registry) {
        // arith and tensor ops parse, so that the bundle writer can name them
        // in its refusal.
        registry.insert<HptDialect, pim::PimDialect, sa::SaDialect, arith::ArithDialect,
                        func::FuncDialect,
                        tensor::TensorDialect>();
        // convert-hpt-to-gpu's kernels, compiled into the GPU sections.
        registerGpuLowering(registry);
      });
}
