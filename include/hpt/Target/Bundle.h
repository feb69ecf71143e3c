//===- Bundle.h - the executable bundle written for hpt-run -----*- C++ -*-===//
//
// A bundle is one self-contained text file: a header line
//   HPTBUNDLE <version> <payload bytes> <FNV-1a 64 of the payload, 16 hex>
// followed by a JSON payload with the parameters and every function of the
// module as a flat list of ops on numbered values, and its programs (a
// training step with its evaluation function; LoRA programs with adapters). docs/bundle.md documents
// the format; runtime/core/Bundle.cpp reads it.
//
//===----------------------------------------------------------------------===//

#ifndef HPT_TARGET_BUNDLE_H
#define HPT_TARGET_BUNDLE_H

#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/raw_ostream.h"

namespace hpt {

/// Bumped whenever the payload changes meaning; the runtime refuses others.
inline constexpr int kBundleVersion = 2;

/// Writes `module` as a bundle; fails with a diagnostic on anything the
/// runtime cannot execute (non-f32 tensors, ops outside the hpt dialect).
mlir::LogicalResult translateToBundle(mlir::ModuleOp module, llvm::raw_ostream &os);

/// Registers --hpt-to-bundle with mlir-translate's registry.
void registerToBundleTranslation();

} // namespace hpt

#endif // HPT_TARGET_BUNDLE_H
