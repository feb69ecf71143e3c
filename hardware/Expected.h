//===- Expected.h - a value or the reason there is none ---------*- C++ -*-===//
//
// The hardware library is linked by the compiler, built without exceptions,
// and by the runtime, which throws: its functions return their errors as
// values, and each side turns them into what it uses (an MLIR diagnostic, an
// rt::Error).
//
//===----------------------------------------------------------------------===//

#ifndef HPT_HARDWARE_EXPECTED_H
#define HPT_HARDWARE_EXPECTED_H

#include <cassert>
#include <optional>
#include <string>
#include <utility>

namespace hpt::hw {

/// What a failed call says: a message that names the input (file, key,
/// instruction) and what is wrong with it.
struct Failure {
  std::string message;
};

inline Failure fail(std::string message) { return Failure{std::move(message)}; }

template <typename T> class [[nodiscard]] Expected {
public:
  Expected(T value) : stored(std::move(value)) {}
  Expected(Failure failure) : message(std::move(failure.message)) {
    assert(!message.empty() && "a failure says why");
  }

  explicit operator bool() const { return stored.has_value(); }
  const T &operator*() const & { return *checked(); }
  T &operator*() & { return *checked(); }
  T &&operator*() && { return std::move(*checked()); }
  const T *operator->() const { return checked(); }
  T *operator->() { return checked(); }
  /// Empty when there is a value.
  const std::string &error() const { return message; }

private:
  const T *checked() const {
    assert(stored && "reading the value of a failure");
    return &*stored;
  }
  T *checked() {
    assert(stored && "reading the value of a failure");
    return &*stored;
  }

  std::optional<T> stored;
  std::string message;
};

} // namespace hpt::hw

#endif // HPT_HARDWARE_EXPECTED_H
