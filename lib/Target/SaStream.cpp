//===- SaStream.cpp - sa.stream as the simulator's stream file ------------===//

#include "hpt/Target/SaStream.h"

#include "hpt/Systolic/IsaOps.h"
#include "hardware/systolic/Stream.h"

#include "dialects/hpt/HptDialect.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Tools/mlir-translate/Translation.h"
#include "llvm/Support/CommandLine.h"

using namespace mlir;

namespace {
llvm::cl::opt<std::string> streamName(
    "sa-stream", llvm::cl::desc("The sa.stream to write (needed when there are several)"),
    llvm::cl::init(""));

/// The stream to write: the one named by --sa-stream, or the only one.
FailureOr<hpt::sa::StreamOp> pickStream(ModuleOp module) {
  SmallVector<hpt::sa::StreamOp> streams(module.getOps<hpt::sa::StreamOp>());
  if (!streamName.empty()) {
    for (hpt::sa::StreamOp stream : streams)
      if (stream.getSymName() == streamName)
        return stream;
    return mlir::emitError(module.getLoc(), "no sa.stream @") << streamName.getValue();
  }
  if (streams.size() != 1)
    return mlir::emitError(module.getLoc(), "the module has ")
           << streams.size() << " sa.stream ops; name one with --sa-stream";
  return streams.front();
}

LogicalResult writeStream(ModuleOp module, llvm::raw_ostream &os, bool binary) {
  FailureOr<hpt::sa::StreamOp> stream = pickStream(module);
  if (failed(stream))
    return failure();
  hpt::systolic::Stream instructions = hpt::instructionsOf(*stream);
  os << (binary ? hpt::systolic::toBinary(instructions) : hpt::systolic::toText(instructions));
  return success();
}

/// The stream usually sits beside the hpt functions that refer to it.
void registerDialects(DialectRegistry &registry) {
  registry.insert<hpt::HptDialect, hpt::sa::SaDialect, func::FuncDialect>();
}
} // namespace

void hpt::registerSaStreamTranslations() {
  static TranslateFromMLIRRegistration text(
      "sa-to-stream", "write an sa.stream as the systolic simulator's text stream",
      [](ModuleOp module, llvm::raw_ostream &os) { return writeStream(module, os, false); },
      registerDialects);
  static TranslateFromMLIRRegistration binary(
      "sa-to-stream-binary", "write an sa.stream as the systolic simulator's binary stream",
      [](ModuleOp module, llvm::raw_ostream &os) { return writeStream(module, os, true); },
      registerDialects);
}
