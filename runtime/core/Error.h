//===- Error.h - errors of the hpt runtime ----------------------*- C++ -*-===//

#ifndef HPT_RUNTIME_CORE_ERROR_H
#define HPT_RUNTIME_CORE_ERROR_H

#include "hardware/Expected.h"

#include <stdexcept>
#include <string>

namespace hpt::rt {

/// A bundle, checkpoint or archive that cannot be used, or a program that
/// cannot run; what() names the file and what is wrong with it.
class Error : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

/// The value of a hardware-library call, or its error thrown as an Error.
template <typename T> T orThrow(hw::Expected<T> result) {
  if (!result)
    throw Error(result.error());
  return std::move(*result);
}

} // namespace hpt::rt

#endif // HPT_RUNTIME_CORE_ERROR_H
