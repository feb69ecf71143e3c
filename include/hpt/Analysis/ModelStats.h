//===- ModelStats.h - parameter and FLOP counts of a model ------*- C++ -*-===//

#ifndef HPT_ANALYSIS_MODELSTATS_H
#define HPT_ANALYSIS_MODELSTATS_H

#include "dialects/hpt/HptOps.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/raw_ostream.h"

#include <string>
#include <vector>

namespace hpt {

/// Parameter elements of one group of hpt.param symbols (or of all of them).
struct ParamCount {
  std::string name;
  int64_t tensors = 0;
  int64_t elements = 0;
  int64_t trainable = 0;

  int64_t frozen() const { return elements - trainable; }
  void add(ParamOp param, bool trained);
};

/// Forward work of all ops of one kind.
struct OpKindCount {
  std::string name;
  int64_t count = 0;
  FlopCount flops;
};

struct ModelStats {
  std::string function;
  ParamCount total;
  std::vector<ParamCount> groups;   ///< by symbol prefix, in first-seen order
  FlopCount forward;                ///< one call of the counted function
  std::vector<OpKindCount> opKinds; ///< in first-seen order
};

/// Counts the parameters of `function`'s model (the module's, less adapters
/// only other LoRA programs read; trainable as the function trains them, see
/// hpt::isTrainedBy) and its FLOPs.
/// Fails with a diagnostic when the function does not exist.
mlir::FailureOr<ModelStats> computeModelStats(mlir::ModuleOp module,
                                              llvm::StringRef function);

/// "model @f: N parameters (T trainable, F frozen) in K tensors".
void printModelLine(const ModelStats &stats, llvm::raw_ostream &os);
void printModelStatsText(const ModelStats &stats, llvm::raw_ostream &os);
void printModelStatsJson(const ModelStats &stats, llvm::raw_ostream &os);

} // namespace hpt

#endif // HPT_ANALYSIS_MODELSTATS_H
