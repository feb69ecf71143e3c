//===- SaStream.h - sa.stream as the simulator's stream file ----*- C++ -*-===//

#ifndef HPT_TARGET_SASTREAM_H
#define HPT_TARGET_SASTREAM_H

namespace hpt {

/// Registers --sa-to-stream (text form) and --sa-to-stream-binary (binary form,
/// hardware/systolic/Stream.h) with mlir-translate's registry.
void registerSaStreamTranslations();

} // namespace hpt

#endif // HPT_TARGET_SASTREAM_H
