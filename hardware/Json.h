//===- Json.h - strict JSON reader and writer -------------------*- C++ -*-===//
//
// Hardware descriptions are read both by the compiler, which is built with
// -fno-exceptions and without nlohmann::json, and by the runtime. This small
// reader is shared by the two so that they accept exactly the same files: it
// reports every problem as a value ("line L, column C: message") instead of
// throwing, and it is strict (RFC 8259, no extensions) so that a description
// that one side accepts is never silently read differently by the other.
//
// Integer literals are kept exactly, beside their double value, because
// hardware sizes and addresses can exceed the 2^53 that a double holds.
//
//===----------------------------------------------------------------------===//

#ifndef HPT_HARDWARE_JSON_H
#define HPT_HARDWARE_JSON_H

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace hpt::hw::json {

/// Deeper documents are rejected: no hardware description needs more, and
/// the limit keeps the recursive reader's stack use bounded on any input.
inline constexpr int kMaxDepth = 64;

class Value {
public:
  enum class Kind { Null, Bool, Number, String, Array, Object };
  using Array = std::vector<Value>;
  using Member = std::pair<std::string, Value>;
  /// A vector, not a map: a document is written back in the order it was read.
  using Object = std::vector<Member>;

  Value() = default;
  Value(std::nullptr_t) {}
  /// Only a real bool: an int or a pointer must not quietly become a bool.
  template <typename B, typename = std::enable_if_t<std::is_same_v<B, bool>>>
  Value(B b) : kind_(Kind::Bool), bool_(b) {}
  Value(std::string s) : kind_(Kind::String), string_(std::move(s)) {}
  Value(const char *s) : Value(std::string(s)) {}

  /// A number that is not an integer, even when it is integral (it is written
  /// back with a fraction). `d` must be finite.
  static Value number(double d);
  static Value integer(int64_t i);
  static Value unsignedInteger(uint64_t u);
  static Value array() { return Value(Kind::Array); }
  static Value object() { return Value(Kind::Object); }

  Kind kind() const { return kind_; }
  bool isNull() const { return kind_ == Kind::Null; }
  bool isBool() const { return kind_ == Kind::Bool; }
  bool isNumber() const { return kind_ == Kind::Number; }
  bool isString() const { return kind_ == Kind::String; }
  bool isArray() const { return kind_ == Kind::Array; }
  bool isObject() const { return kind_ == Kind::Object; }

  // Reading a value as the wrong kind is a programming error (an assert);
  // without asserts it yields an empty value rather than undefined behaviour.
  bool asBool() const;
  double asNumber() const;
  const std::string &asString() const;
  const Array &asArray() const;
  const Object &asObject() const;

  /// True for a number written as an integer literal (no fraction, no
  /// exponent) that fits int64 or uint64, or built by integer() or
  /// unsignedInteger().
  bool isInteger() const { return isInteger_; }
  /// The exact integer, when isInteger() and it fits the type.
  std::optional<int64_t> asInt64() const;
  std::optional<uint64_t> asUint64() const;

  /// The member named `key`; nullptr when absent or when this is no object.
  const Value *find(std::string_view key) const;

  /// Appends to an array.
  void push(Value element);
  /// Replaces the member named `key` of an object, or appends it.
  void set(std::string key, Value member);

  friend bool operator==(const Value &a, const Value &b);

private:
  explicit Value(Kind kind) : kind_(kind) {}

  Kind kind_ = Kind::Null;
  bool bool_ = false;
  double number_ = 0;
  // The exact value of an integer: a sign and a magnitude, which together
  // cover both int64 and uint64. A zero is never negative.
  bool isInteger_ = false;
  bool negative_ = false;
  uint64_t magnitude_ = 0;
  std::string string_;
  Array array_;
  Object object_;

  friend class Parser;
};

/// Structural: objects compare member by member in order, and numbers
/// compare by value and by whether they are integers (1 != 1.0).
bool operator==(const Value &a, const Value &b);
inline bool operator!=(const Value &a, const Value &b) { return !(a == b); }

/// `value` is set exactly when `error` is empty.
struct ParseResult {
  std::optional<Value> value;
  /// "line L, column C: message", both 1-based; the column counts bytes.
  std::string error;
};

/// Reads one JSON document: a single value with only whitespace around it.
/// Strings must be valid UTF-8. Never throws, whatever the input.
ParseResult parse(std::string_view text);

/// Writes `value` deterministically: members in their stored order, each
/// element on its own line indented by `indent` spaces per level, or on one
/// line without spaces when `indent` is 0. No newline follows the document.
/// Integers are written exactly; other numbers in the shortest form that
/// reads back to the same double, always with a fraction or an exponent.
/// Strings are written as stored, so they must be UTF-8 to read back.
std::string dump(const Value &value, int indent = 2);

} // namespace hpt::hw::json

#endif // HPT_HARDWARE_JSON_H
