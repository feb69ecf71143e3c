//===- PimProgram.cpp - pim ops as hpt-sim-pim's program text -------------===//

#include "hpt/Target/PimProgram.h"

#include "dialects/hpt/HptDialect.h"
#include "dialects/pim/PimDialect.h"
#include "hardware/pim/Program.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Tools/mlir-translate/Translation.h"

using namespace mlir;

namespace {

LogicalResult writeProgram(ModuleOp module, llvm::raw_ostream &os) {
  hpt::hw::pim::PimProgram program;
  llvm::StringMap<size_t> index;
  for (auto crossbars : module.getOps<hpt::pim::CrossbarsOp>()) {
    index[crossbars.getSymName()] = program.weights.size();
    program.weights.push_back({crossbars.getSymName().str(), int64_t(crossbars.getRows()),
                               int64_t(crossbars.getCols())});
  }
  if (program.weights.empty())
    return mlir::emitError(module.getLoc(), "the module has no pim.crossbars (run hpt-crossbar-tile and "
                            "convert-hpt-to-pim)");
  for (auto kernel : module.getOps<hpt::pim::KernelOp>())
    for (Operation &op : kernel.getBody().front()) {
      hpt::hw::pim::ProgramStep step;
      if (auto write = dyn_cast<hpt::pim::ProgramOp>(op)) {
        step.kind = hpt::hw::pim::ProgramStep::Kind::Program;
        step.weight = index.lookup(write.getCrossbars());
      } else if (auto read = dyn_cast<hpt::pim::MvmOp>(op)) {
        step.weight = index.lookup(read.getCrossbars());
        step.transposed = read.getTransposed();
        step.vectors = cast<RankedTensorType>(read.getInput().getType()).getDimSize(0);
        step.kernel = kernel.getSymName().str();
      } else {
        continue;
      }
      program.steps.push_back(step);
    }
  os << hpt::hw::pim::toText(program);
  return success();
}

} // namespace

void hpt::registerPimProgramTranslation() {
  static TranslateFromMLIRRegistration registration(
      "pim-to-program", "write a module's crossbars and pim kernels as hpt-sim-pim's program",
      writeProgram, [](DialectRegistry &registry) {
        registry.insert<hpt::HptDialect, hpt::pim::PimDialect, func::FuncDialect>();
      });
}
