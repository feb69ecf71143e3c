//===- Bundle.cpp - write a module as an hpt-run bundle -------------------===//

#include "hpt/Target/Bundle.h"

#include "dialects/hpt/HptOps.h"
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

namespace {
uint64_t fnv1a64(llvm::StringRef bytes) {
  uint64_t hash = 0xcbf29ce484222325ULL;
  for (unsigned char byte : bytes) {
    hash ^= byte;
    hash *= 0x100000001b3ULL;
  }
  return hash;
}

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
    FailureOr<json::Value> value = attributeJson(op, attr);
    if (failed(value))
      return failure();
    attrs[attr.getName().getValue()] = std::move(*value);
  }
  return json::Object{
      {"op", op->getName().stripDialect().str()},
      {"operands", std::move(operands)},
      {"results", std::move(results)},
      {"shapes", std::move(shapes)},
      {"attrs", std::move(attrs)},
      {"loc", locationText(op->getLoc())},
  };
}

FailureOr<json::Object> functionJson(func::FuncOp func) {
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
    ops.push_back(std::move(*entry));
  }
  return json::Object{{"name", func.getName().str()},
                      {"args", std::move(args)},
                      {"returns", std::move(returns)},
                      {"values", values.count()},
                      {"ops", std::move(ops)}};
}

FailureOr<json::Object> paramJson(ParamOp param) {
  RankedTensorType type = param.getTensorType();
  if (!type.getElementType().isF32())
    return param.emitOpError("type ") << type << " is not supported by hpt-run (f32 only)";
  InitAttr init = param.getInit();
  return json::Object{{"name", param.getSymName().str()},
                      {"shape", shapeJson(type)},
                      {"init", stringifyInitKind(init.getKind()).str()},
                      {"fan_in", init.getFanIn()},
                      {"seed", static_cast<int64_t>(param.getSeed())},
                      {"trainable", param.getTrainable()}};
}
/// A LoRA program's configuration and its adapters.
json::Object loraJson(func::FuncOp forward, LoraAttr lora) {
  json::Array adapters;
  if (auto triples = forward->getAttrOfType<ArrayAttr>(kAdaptersAttrName))
    for (auto triple : triples.getAsRange<ArrayAttr>()) {
      auto name = [&](unsigned i) {
        return cast<FlatSymbolRefAttr>(triple[i]).getValue().str();
      };
      adapters.push_back(json::Object{{"target", name(0)}, {"a", name(1)}, {"b", name(2)}});
    }
  auto base = forward->getAttrOfType<FlatSymbolRefAttr>(kLoraBaseAttrName);
  return json::Object{{"rank", lora.getRank()},
                      {"alpha", lora.getAlpha().convertToDouble()},
                      {"dropout", lora.getDropout().convertToDouble()},
                      {"base", base ? base.getValue().str() : ""},
                      {"adapters", std::move(adapters)}};
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
    json::Object program{{"train", train.getName().str()},
                         {"eval", forward.getName().str()}};
    if (auto lora = forward->getAttrOfType<LoraAttr>(kLoraAttrName))
      program["lora"] = loraJson(forward, lora);
    programs.push_back(std::move(program));
  }
  return programs;
}
} // namespace

LogicalResult hpt::translateToBundle(ModuleOp module, llvm::raw_ostream &os) {
  FailureOr<json::Array> programs = programsJson(module);
  if (failed(programs))
    return failure();
  json::Array params, functions;
  for (Operation &op : module.getBody()->getOperations()) {
    if (auto param = dyn_cast<ParamOp>(op)) {
      FailureOr<json::Object> entry = paramJson(param);
      if (failed(entry))
        return failure();
      params.push_back(std::move(*entry));
    } else if (auto func = dyn_cast<func::FuncOp>(op)) {
      FailureOr<json::Object> entry = functionJson(func);
      if (failed(entry))
        return failure();
      functions.push_back(std::move(*entry));
    } else {
      return op.emitOpError("cannot be written to a bundle");
    }
  }
  json::Object root{{"format", "hpt-bundle"},
                    {"version", kBundleVersion},
                    {"params", std::move(params)},
                    {"functions", std::move(functions)},
                    {"programs", std::move(*programs)}};
  std::string payload;
  llvm::raw_string_ostream payloadStream(payload);
  payloadStream << json::Value(std::move(root)) << "\n";
  os << llvm::formatv("HPTBUNDLE {0} {1} {2:x-16}\n", kBundleVersion,
                      payload.size(), fnv1a64(payload))
     << payload;
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
        registry.insert<HptDialect, arith::ArithDialect, func::FuncDialect,
                        tensor::TensorDialect>();
      });
}
