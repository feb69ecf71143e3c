//===- ModelStats.cpp - parameter and FLOP counts of a model --------------===//

#include "hpt/Analysis/ModelStats.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/Support/JSON.h"

using namespace mlir;
using namespace hpt;

void ParamCount::add(ParamOp param, bool trained) {
  int64_t size = param.getTensorType().getNumElements();
  ++tensors;
  elements += size;
  if (trained)
    trainable += size;
}

namespace {
template <typename Entry>
Entry &entryNamed(std::vector<Entry> &entries, StringRef name) {
  for (Entry &entry : entries)
    if (entry.name == name)
      return entry;
  entries.push_back(Entry{});
  entries.back().name = name.str();
  return entries.back();
}

std::string withCommas(int64_t value) {
  std::string digits = std::to_string(value < 0 ? -value : value);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0)
      out += ',';
    out += digits[i];
  }
  return value < 0 ? "-" + out : out;
}

llvm::json::Object paramJson(const ParamCount &count) {
  return llvm::json::Object{{"tensors", count.tensors},
                            {"parameters", count.elements},
                            {"trainable", count.trainable},
                            {"frozen", count.frozen()}};
}

llvm::json::Object flopJson(const FlopCount &flops) {
  return llvm::json::Object{{"matmul", flops.matmul},
                            {"vector", flops.vector},
                            {"total", flops.total()}};
}
/// A model's parameters are those of the module, less the adapters that only
/// another (LoRA) program reads.
llvm::DenseSet<StringRef> adaptersOfOtherPrograms(ModuleOp module, func::FuncOp func) {
  llvm::DenseSet<StringRef> names;
  for (auto other : module.getOps<func::FuncOp>()) {
    auto adapters = other->getAttrOfType<ArrayAttr>(kAdaptersAttrName);
    if (other == func || !adapters)
      continue;
    for (auto triple : adapters.getAsRange<ArrayAttr>())
      for (Attribute symbol : triple.getValue().drop_front())
        names.insert(cast<FlatSymbolRefAttr>(symbol).getValue());
  }
  return names;
}
} // namespace

FailureOr<ModelStats> hpt::computeModelStats(ModuleOp module, StringRef function) {
  auto func = module.lookupSymbol<func::FuncOp>(function);
  if (!func)
    return mlir::emitError(module.getLoc(), "no function @") << function << " to count FLOPs of";
  ModelStats stats;
  stats.function = function.str();
  stats.total.name = "total";
  llvm::DenseSet<StringRef> otherAdapters = adaptersOfOtherPrograms(module, func);
  for (ParamOp param : module.getOps<ParamOp>()) {
    if (otherAdapters.contains(param.getSymName()))
      continue;
    bool trained = isTrainedBy(func, param);
    stats.total.add(param, trained);
    StringRef group = param.getSymName().split('.').first;
    entryNamed(stats.groups, group).add(param, trained);
  }
  func.walk([&](FlopCountOpInterface op) {
    FlopCount flops = op.getFlopCount();
    stats.forward += flops;
    OpKindCount &kind = entryNamed(stats.opKinds, op->getName().getStringRef());
    ++kind.count;
    kind.flops += flops;
  });
  return stats;
}

void hpt::printModelLine(const ModelStats &stats, llvm::raw_ostream &os) {
  const ParamCount &total = stats.total;
  os << llvm::formatv("model @{0}: {1} parameters ({2} trainable, {3} frozen) "
                      "in {4} tensors\n",
                      stats.function, withCommas(total.elements),
                      withCommas(total.trainable), withCommas(total.frozen()),
                      total.tensors);
}

void hpt::printModelStatsText(const ModelStats &stats, llvm::raw_ostream &os) {
  printModelLine(stats, os);
  os << llvm::formatv("  {0,-16} {1,8} {2,16} {3,16}\n", "group", "tensors",
                      "parameters", "trainable");
  for (const ParamCount &group : stats.groups)
    os << llvm::formatv("  {0,-16} {1,8} {2,16} {3,16}\n", group.name,
                        group.tensors, withCommas(group.elements),
                        withCommas(group.trainable));
  os << llvm::formatv("FLOPs per call of @{0}: {1} (matmul {2}, vector {3})\n",
                      stats.function, withCommas(stats.forward.total()),
                      withCommas(stats.forward.matmul),
                      withCommas(stats.forward.vector));
  os << llvm::formatv("  {0,-24} {1,6} {2,18} {3,16}\n", "op", "count",
                      "matmul FLOPs", "vector FLOPs");
  for (const OpKindCount &kind : stats.opKinds)
    os << llvm::formatv("  {0,-24} {1,6} {2,18} {3,16}\n", kind.name, kind.count,
                        withCommas(kind.flops.matmul),
                        withCommas(kind.flops.vector));
}

void hpt::printModelStatsJson(const ModelStats &stats, llvm::raw_ostream &os) {
  llvm::json::Object groups;
  for (const ParamCount &group : stats.groups)
    groups[group.name] = paramJson(group);
  llvm::json::Object ops;
  for (const OpKindCount &kind : stats.opKinds) {
    llvm::json::Object entry = flopJson(kind.flops);
    entry["count"] = kind.count;
    ops[kind.name] = std::move(entry);
  }
  llvm::json::Object root{{"function", stats.function},
                          {"parameters", paramJson(stats.total)},
                          {"groups", std::move(groups)},
                          {"flops", flopJson(stats.forward)},
                          {"ops", std::move(ops)}};
  os << llvm::formatv("{0:2}", llvm::json::Value(std::move(root))) << "\n";
}
