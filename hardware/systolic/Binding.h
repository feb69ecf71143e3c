//===- Binding.h - what a systolic op's DRAM bindings hold ------*- C++ -*-===//
//
// The bundle's systolic section binds each tensor an op's stream reads or
// writes to a place in one of its DRAM regions (docs/bundle.md). Most are
// the op's operands and results; dropout and the optimizer updates also
// bind tensors the runtime owns. Written by the compiler
// (hpt-translate --hpt-to-bundle), read by hpt-run: one list of names.
//
//===----------------------------------------------------------------------===//

#ifndef HPT_HARDWARE_SYSTOLIC_BINDING_H
#define HPT_HARDWARE_SYSTOLIC_BINDING_H

#include <cstdint>
#include <string_view>

namespace hpt::systolic {

enum class BoundTensor : uint8_t {
  Value,        ///< an operand or a result of the op
  DropoutNoise, ///< 1/(1−p) where the host's generator keeps an element, else 0
  Parameter,    ///< the parameter an optimizer update writes
  Moment1,      ///< SGD's momentum buffer, Adam's m
  Moment2,      ///< Adam's v
  Coefficients, ///< an optimizer update's coefficient block for this step (Isa.h)
};

inline constexpr const char *kBoundTensorNames[] = {"value",   "dropout-noise", "parameter",
                                                    "moment1", "moment2",       "coefficients"};

inline const char *name(BoundTensor t) { return kBoundTensorNames[static_cast<int>(t)]; }

inline bool fromName(std::string_view text, BoundTensor &out) {
  for (int i = 0; i <= static_cast<int>(BoundTensor::Coefficients); ++i)
    if (text == kBoundTensorNames[i]) {
      out = static_cast<BoundTensor>(i);
      return true;
    }
  return false;
}

/// Whether the runtime writes a binding's tensor back after the op (results,
/// the parameter and the optimizer state).
inline bool isWritten(BoundTensor t) {
  return t == BoundTensor::Parameter || t == BoundTensor::Moment1 || t == BoundTensor::Moment2;
}

} // namespace hpt::systolic

#endif // HPT_HARDWARE_SYSTOLIC_BINDING_H
