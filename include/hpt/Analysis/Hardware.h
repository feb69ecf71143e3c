//===- Hardware.h - the hardware description in passes ---------*- C++ -*-===//
//
// Passes that need hardware take `hw=FILE`; this reads the file through the
// hardware library and turns its error (which names the file and key) into
// a diagnostic.
//
//===----------------------------------------------------------------------===//

#ifndef HPT_ANALYSIS_HARDWARE_H
#define HPT_ANALYSIS_HARDWARE_H

#include "dialects/hpt/HptDialect.h"
#include "hardware/Description.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Operation.h"
#include "mlir/Support/LogicalResult.h"

namespace hpt {

/// The description in `path`, or failure after an error at `anchor`
/// ("<pass>: <file>: <key>: <what is wrong>").
mlir::FailureOr<hw::Description> loadHardware(llvm::StringRef path, llvm::StringRef pass,
                                              mlir::Operation *anchor);

/// The module attribute holding the description a module is compiled for
/// (its canonical JSON); the bundle carries it.
inline constexpr llvm::StringLiteral kHardwareAttrName = "hpt.hardware";

/// Records `description` on `module`; fails with an error at the module
/// when an earlier pass recorded another one.
mlir::LogicalResult recordHardware(mlir::ModuleOp module, const hw::Description &description,
                                   llvm::StringRef pass);

/// The hardware library's name for a device kind of #hpt.device.
hw::DeviceKind hardwareKind(DeviceKind kind);

} // namespace hpt

#endif // HPT_ANALYSIS_HARDWARE_H
