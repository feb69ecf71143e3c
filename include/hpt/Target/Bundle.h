//===- Bundle.h - the executable bundle written for hpt-run -----*- C++ -*-===//
//
// A bundle is one self-contained file of checked sections
// (hardware/BundleFormat.h, the framing writer and reader share): the
// program (parameters, every function as a flat list of ops on numbered
// values with each op's device, the programs: a training step with its
// evaluation function, LoRA programs with adapters), the hardware
// description it was compiled for, and what the systolic device needs (each
// op's stream, stored once however many ops run it, and its DRAM bindings).
// docs/bundle.md documents the format; runtime/core/Bundle.cpp reads it.
//
//===----------------------------------------------------------------------===//

#ifndef HPT_TARGET_BUNDLE_H
#define HPT_TARGET_BUNDLE_H

#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/raw_ostream.h"

namespace hpt {

/// Writes `module` as a bundle; fails with a diagnostic on anything the
/// runtime cannot execute (non-f32 tensors, ops outside the hpt dialect).
mlir::LogicalResult translateToBundle(mlir::ModuleOp module, llvm::raw_ostream &os);

/// Registers --hpt-to-bundle with mlir-translate's registry.
void registerToBundleTranslation();

} // namespace hpt

#endif // HPT_TARGET_BUNDLE_H
