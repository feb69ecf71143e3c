//===- MlirFuzzer.cpp - MLIR text through the hpt dialects ----------------===//
//
// Parses the input with the dialects hpt-opt registers, verifies it, and
// writes a module that verifies as a bundle (hpt-translate --hpt-to-bundle).
// Diagnostics are the expected answer to bad input; a crash, a sanitizer
// report or a hang is a finding.
//
//===----------------------------------------------------------------------===//

#include "dialects/hpt/HptDialect.h"
#include "dialects/sa/SaDialect.h"
#include "hpt/Target/Bundle.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdint>

namespace {
mlir::MLIRContext &context() {
  static mlir::MLIRContext *ctx = [] {
    mlir::DialectRegistry registry;
    registry.insert<hpt::HptDialect, hpt::sa::SaDialect, mlir::func::FuncDialect,
                    mlir::arith::ArithDialect, mlir::tensor::TensorDialect>();
    auto *c = new mlir::MLIRContext(registry, mlir::MLIRContext::Threading::DISABLED);
    c->loadAllAvailableDialects();
    // Diagnostics are the answer to bad input, not output of the target.
    c->getDiagEngine().registerHandler([](mlir::Diagnostic &) { return mlir::success(); });
    return c;
  }();
  return *ctx;
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  // MLIR's lexer stops at a NUL past the end, as files read through
  // llvm::MemoryBuffer have; the fuzzer's buffer has none.
  std::string source(reinterpret_cast<const char *>(data), size);
  llvm::StringRef text(source.c_str(), size);
  mlir::ParserConfig config(&context(), /*verifyAfterParse=*/false);
  mlir::OwningOpRef<mlir::ModuleOp> module =
      mlir::parseSourceString<mlir::ModuleOp>(text, config, "fuzz.mlir");
  if (!module || mlir::failed(mlir::verify(*module)))
    return 0;
  std::string bundle;
  llvm::raw_string_ostream os(bundle);
  (void)hpt::translateToBundle(*module, os);
  return 0;
}
