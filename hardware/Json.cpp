//===- Json.cpp - strict JSON reader and writer ---------------------------===//
//
// The reader is a recursive descent over a string_view that never reads past
// its end; the depth limit is checked before each descent, so hostile input
// cannot exhaust the stack. The first error stops the parse and is the one
// reported, with the position where it was found.
//
//===----------------------------------------------------------------------===//

#include "hardware/Json.h"

#include <cassert>
#include <charconv>
#include <climits>
#include <cmath>
#include <limits>
#include <system_error>
#include <unordered_set>

namespace hpt::hw::json {

//===----------------------------------------------------------------------===//
// Value
//===----------------------------------------------------------------------===//

Value Value::number(double d) {
  assert(std::isfinite(d) && "JSON has no NaN or infinity");
  Value v(Kind::Number);
  v.number_ = d;
  return v;
}

Value Value::integer(int64_t i) {
  Value v(Kind::Number);
  v.number_ = static_cast<double>(i);
  v.isInteger_ = true;
  v.negative_ = i < 0;
  // Negating in uint64 keeps INT64_MIN defined.
  v.magnitude_ =
      i < 0 ? 0 - static_cast<uint64_t>(i) : static_cast<uint64_t>(i);
  return v;
}

Value Value::unsignedInteger(uint64_t u) {
  Value v(Kind::Number);
  v.number_ = static_cast<double>(u);
  v.isInteger_ = true;
  v.magnitude_ = u;
  return v;
}

bool Value::asBool() const {
  assert(isBool() && "not a bool");
  return bool_;
}

double Value::asNumber() const {
  assert(isNumber() && "not a number");
  return number_;
}

const std::string &Value::asString() const {
  assert(isString() && "not a string");
  return string_;
}

const Value::Array &Value::asArray() const {
  assert(isArray() && "not an array");
  return array_;
}

const Value::Object &Value::asObject() const {
  assert(isObject() && "not an object");
  return object_;
}

std::optional<int64_t> Value::asInt64() const {
  constexpr uint64_t maxPositive = std::numeric_limits<int64_t>::max();
  if (!isInteger_)
    return std::nullopt;
  if (!negative_)
    return magnitude_ <= maxPositive ? std::optional<int64_t>(magnitude_)
                                     : std::nullopt;
  if (magnitude_ > maxPositive + 1)
    return std::nullopt;
  // -(m - 1) - 1 stays inside int64 even for m = 2^63.
  return -static_cast<int64_t>(magnitude_ - 1) - 1;
}

std::optional<uint64_t> Value::asUint64() const {
  if (!isInteger_ || negative_)
    return std::nullopt;
  return magnitude_;
}

const Value *Value::find(std::string_view key) const {
  if (!isObject())
    return nullptr;
  for (const Member &member : object_)
    if (member.first == key)
      return &member.second;
  return nullptr;
}

void Value::push(Value element) {
  assert(isArray() && "push on a non-array");
  if (isArray())
    array_.push_back(std::move(element));
}

void Value::set(std::string key, Value member) {
  assert(isObject() && "set on a non-object");
  if (!isObject())
    return;
  for (Member &existing : object_) {
    if (existing.first == key) {
      existing.second = std::move(member);
      return;
    }
  }
  object_.emplace_back(std::move(key), std::move(member));
}

bool operator==(const Value &a, const Value &b) {
  if (a.kind_ != b.kind_)
    return false;
  switch (a.kind_) {
  case Value::Kind::Null:
    return true;
  case Value::Kind::Bool:
    return a.bool_ == b.bool_;
  case Value::Kind::Number:
    if (a.isInteger_ != b.isInteger_)
      return false;
    if (a.isInteger_)
      return a.negative_ == b.negative_ && a.magnitude_ == b.magnitude_;
    return a.number_ == b.number_;
  case Value::Kind::String:
    return a.string_ == b.string_;
  case Value::Kind::Array:
    return a.array_ == b.array_;
  case Value::Kind::Object:
    return a.object_ == b.object_;
  }
  return false;
}

//===----------------------------------------------------------------------===//
// Writer
//===----------------------------------------------------------------------===//

namespace {

char hexDigit(unsigned nibble) { return "0123456789abcdef"[nibble & 0xf]; }

/// The two-character escape JSON has for `c`, or nullptr.
const char *shortEscape(char c) {
  switch (c) {
  case '"':
    return "\\\"";
  case '\\':
    return "\\\\";
  case '\b':
    return "\\b";
  case '\f':
    return "\\f";
  case '\n':
    return "\\n";
  case '\r':
    return "\\r";
  case '\t':
    return "\\t";
  default:
    return nullptr;
  }
}

void writeString(std::string &out, std::string_view s) {
  out += '"';
  for (char c : s) {
    unsigned char u = static_cast<unsigned char>(c);
    if (const char *escape = shortEscape(c)) {
      out += escape;
    } else if (u < 0x20) {
      out += "\\u00";
      out += hexDigit(u >> 4);
      out += hexDigit(u);
    } else {
      out += c;
    }
  }
  out += '"';
}

void writeUnsigned(std::string &out, uint64_t u) {
  char buffer[24];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, u);
  (void)ec; // 20 digits always fit.
  out.append(buffer, end);
}

/// Shortest round-trip form, with ".0" added to an integral result so that
/// it reads back as a non-integer, as it was.
void writeDouble(std::string &out, double d) {
  if (!std::isfinite(d)) {
    // Only reachable when Value::number's assert is compiled out.
    out += "null";
    return;
  }
  char buffer[64];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, d);
  (void)ec; // The shortest form of a double is at most 24 characters.
  std::string_view text(buffer, end - buffer);
  out += text;
  if (text.find_first_of(".e") == std::string_view::npos)
    out += ".0";
}

class Writer {
public:
  explicit Writer(int indent) : indent_(indent < 0 ? 0 : indent) {}

  void write(const Value &value, int level) {
    switch (value.kind()) {
    case Value::Kind::Null:
      out_ += "null";
      break;
    case Value::Kind::Bool:
      out_ += value.asBool() ? "true" : "false";
      break;
    case Value::Kind::Number:
      writeNumber(value);
      break;
    case Value::Kind::String:
      writeString(out_, value.asString());
      break;
    case Value::Kind::Array:
      writeArray(value.asArray(), level);
      break;
    case Value::Kind::Object:
      writeObject(value.asObject(), level);
      break;
    }
  }

  std::string take() { return std::move(out_); }

private:
  void writeNumber(const Value &value) {
    if (std::optional<uint64_t> u = value.asUint64()) {
      writeUnsigned(out_, *u);
    } else if (value.isInteger()) {
      // A negative integer: its magnitude is at most 2^63.
      int64_t i = *value.asInt64();
      out_ += '-';
      writeUnsigned(out_, 0 - static_cast<uint64_t>(i));
    } else {
      writeDouble(out_, value.asNumber());
    }
  }

  void writeArray(const Value::Array &array, int level) {
    if (array.empty()) {
      out_ += "[]";
      return;
    }
    out_ += '[';
    for (size_t i = 0; i < array.size(); ++i) {
      if (i)
        out_ += ',';
      newline(level + 1);
      write(array[i], level + 1);
    }
    newline(level);
    out_ += ']';
  }

  void writeObject(const Value::Object &object, int level) {
    if (object.empty()) {
      out_ += "{}";
      return;
    }
    out_ += '{';
    for (size_t i = 0; i < object.size(); ++i) {
      if (i)
        out_ += ',';
      newline(level + 1);
      writeString(out_, object[i].first);
      out_ += indent_ ? ": " : ":";
      write(object[i].second, level + 1);
    }
    newline(level);
    out_ += '}';
  }

  void newline(int level) {
    if (!indent_)
      return;
    out_ += '\n';
    out_.append(static_cast<size_t>(level) * indent_, ' ');
  }

  int indent_;
  std::string out_;
};

} // namespace

std::string dump(const Value &value, int indent) {
  Writer writer(indent);
  writer.write(value, 0);
  return writer.take();
}

//===----------------------------------------------------------------------===//
// Reader
//===----------------------------------------------------------------------===//

namespace {

bool isDigit(char c) { return c >= '0' && c <= '9'; }

int hexValue(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

std::string hexByte(unsigned char u) {
  return std::string("0x") + hexDigit(u >> 4) + hexDigit(u);
}

/// The character that a backslash and `c` stand for; -1 for none, and for
/// `u`, whose four hex digits the caller reads.
int unescape(char c) {
  switch (c) {
  case '"':
  case '\\':
  case '/':
    return c;
  case 'b':
    return '\b';
  case 'f':
    return '\f';
  case 'n':
    return '\n';
  case 'r':
    return '\r';
  case 't':
    return '\t';
  default:
    return -1;
  }
}

/// Names a byte in a message without writing unprintable bytes into it.
std::string describeByte(char c) {
  unsigned char u = static_cast<unsigned char>(c);
  if (u > 0x20 && u < 0x7f)
    return std::string("character '") + c + "'";
  return "byte " + hexByte(u);
}

void appendUtf8(std::string &out, uint32_t codePoint) {
  if (codePoint < 0x80) {
    out += static_cast<char>(codePoint);
  } else if (codePoint < 0x800) {
    out += static_cast<char>(0xc0 | (codePoint >> 6));
    out += static_cast<char>(0x80 | (codePoint & 0x3f));
  } else if (codePoint < 0x10000) {
    out += static_cast<char>(0xe0 | (codePoint >> 12));
    out += static_cast<char>(0x80 | ((codePoint >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (codePoint & 0x3f));
  } else {
    out += static_cast<char>(0xf0 | (codePoint >> 18));
    out += static_cast<char>(0x80 | ((codePoint >> 12) & 0x3f));
    out += static_cast<char>(0x80 | ((codePoint >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (codePoint & 0x3f));
  }
}

/// The length of the well-formed UTF-8 sequence at the start of `s`
/// (Unicode table 3-7: no overlong forms, no surrogates, nothing past
/// U+10FFFF), or 0 when it is not one.
size_t utf8SequenceLength(std::string_view s) {
  auto byte = [&](size_t i) { return static_cast<unsigned char>(s[i]); };
  auto inRange = [&](size_t i, unsigned lo, unsigned hi) {
    return i < s.size() && byte(i) >= lo && byte(i) <= hi;
  };
  unsigned lead = byte(0);
  if (lead < 0x80)
    return 1;
  if (lead >= 0xc2 && lead <= 0xdf)
    return inRange(1, 0x80, 0xbf) ? 2 : 0;
  if (lead >= 0xe0 && lead <= 0xef) {
    unsigned lo = lead == 0xe0 ? 0xa0 : 0x80;
    unsigned hi = lead == 0xed ? 0x9f : 0xbf;
    return inRange(1, lo, hi) && inRange(2, 0x80, 0xbf) ? 3 : 0;
  }
  if (lead >= 0xf0 && lead <= 0xf4) {
    unsigned lo = lead == 0xf0 ? 0x90 : 0x80;
    unsigned hi = lead == 0xf4 ? 0x8f : 0xbf;
    return inRange(1, lo, hi) && inRange(2, 0x80, 0xbf) &&
                   inRange(3, 0x80, 0xbf)
               ? 4
               : 0;
  }
  return 0;
}

/// Whether a decimal literal that from_chars found out of range is tiny
/// (it underflows to zero, which is fine) rather than huge (an error). The
/// literal is already known to be well formed and its mantissa nonzero.
bool literalUnderflows(std::string_view literal) {
  size_t i = literal[0] == '-' ? 1 : 0;
  // The power of ten of the first nonzero mantissa digit.
  long long magnitude = -1;
  bool seenNonzero = false;
  for (; i < literal.size() && isDigit(literal[i]); ++i) {
    if (seenNonzero || literal[i] != '0') {
      seenNonzero = true;
      ++magnitude;
    }
  }
  if (!seenNonzero && i < literal.size() && literal[i] == '.') {
    for (++i; i < literal.size() && literal[i] == '0'; ++i)
      --magnitude;
  }
  size_t e = literal.find_first_of("eE");
  if (e == std::string_view::npos)
    return magnitude < 0;
  bool negative = literal[e + 1] == '-';
  long long exponent = 0;
  // Saturates near 10^10, so it cannot overflow: a mantissa long enough to
  // offset that much would take gigabytes of input.
  for (size_t j = e + 1; j < literal.size(); ++j)
    if (isDigit(literal[j]) && exponent < 1000000000)
      exponent = exponent * 10 + (literal[j] - '0');
  return magnitude + (negative ? -exponent : exponent) < 0;
}

} // namespace

/// A friend of Value, so that it can fill members in place once it has
/// checked them (for instance for duplicate keys) itself.
class Parser {
public:
  explicit Parser(std::string_view text) : text_(text) {}

  ParseResult run() {
    ParseResult result;
    Value value;
    skipWhitespace();
    if (parseValue(value, 0)) {
      skipWhitespace();
      if (pos_ < text_.size())
        fail(pos_,
             "unexpected " + describeByte(text_[pos_]) + " after the value");
    }
    if (error_.empty())
      result.value = std::move(value);
    else
      result.error = std::move(error_);
    return result;
  }

private:
  bool atEnd() const { return pos_ >= text_.size(); }
  char peek() const { return text_[pos_]; }

  bool fail(size_t at, const std::string &message) {
    if (error_.empty())
      error_ = position(at) + message;
    return false;
  }

  /// "expected X" at the current position, saying what was found instead.
  bool failExpected(const std::string &expected) {
    if (atEnd())
      return fail(pos_, "unexpected end of input, expected " + expected);
    return fail(pos_, "unexpected " + describeByte(peek()) + ", expected " +
                          expected);
  }

  std::string position(size_t at) const {
    size_t line = 1, lineStart = 0;
    for (size_t i = 0; i < at && i < text_.size(); ++i) {
      if (text_[i] == '\n') {
        ++line;
        lineStart = i + 1;
      }
    }
    return "line " + std::to_string(line) + ", column " +
           std::to_string(at - lineStart + 1) + ": ";
  }

  void skipWhitespace() {
    while (!atEnd() && (peek() == ' ' || peek() == '\t' || peek() == '\n' ||
                        peek() == '\r'))
      ++pos_;
  }

  bool consume(char c) {
    if (atEnd() || peek() != c)
      return false;
    ++pos_;
    return true;
  }

  bool parseValue(Value &out, int depth) {
    if (atEnd())
      return failExpected("a value");
    switch (peek()) {
    case '{':
      return parseObject(out, depth + 1);
    case '[':
      return parseArray(out, depth + 1);
    case '"':
      out = Value(Value::Kind::String);
      return parseString(out.string_);
    case 't':
      return parseLiteral("true", Value(true), out);
    case 'f':
      return parseLiteral("false", Value(false), out);
    case 'n':
      return parseLiteral("null", Value(), out);
    default:
      if (peek() == '-' || isDigit(peek()))
        return parseNumber(out);
      return failExpected("a value");
    }
  }

  bool parseLiteral(std::string_view word, Value value, Value &out) {
    if (text_.substr(pos_, word.size()) != word)
      return fail(pos_,
                  "invalid literal, expected '" + std::string(word) + "'");
    pos_ += word.size();
    out = std::move(value);
    return true;
  }

  bool enterContainer(int depth) {
    if (depth > kMaxDepth)
      return fail(pos_, "nesting deeper than " + std::to_string(kMaxDepth));
    return true;
  }

  bool parseArray(Value &out, int depth) {
    if (!enterContainer(depth))
      return false;
    ++pos_; // '['
    out = Value(Value::Kind::Array);
    skipWhitespace();
    if (consume(']'))
      return true;
    while (true) {
      Value element;
      if (!parseValue(element, depth))
        return false;
      out.array_.push_back(std::move(element));
      skipWhitespace();
      if (consume(']'))
        return true;
      size_t comma = pos_;
      if (!consume(','))
        return failExpected("',' or ']'");
      skipWhitespace();
      if (!atEnd() && peek() == ']')
        return fail(comma, "trailing comma in array");
    }
  }

  bool parseObject(Value &out, int depth) {
    if (!enterContainer(depth))
      return false;
    ++pos_; // '{'
    out = Value(Value::Kind::Object);
    std::unordered_set<std::string> keys;
    skipWhitespace();
    if (consume('}'))
      return true;
    while (true) {
      if (atEnd() || peek() != '"')
        return failExpected("a string key");
      size_t keyStart = pos_;
      std::string key;
      if (!parseString(key))
        return false;
      if (!keys.insert(key).second) {
        std::string quoted;
        writeString(quoted, key);
        return fail(keyStart, "duplicate key " + quoted);
      }
      skipWhitespace();
      if (!consume(':'))
        return failExpected("':'");
      skipWhitespace();
      Value member;
      if (!parseValue(member, depth))
        return false;
      out.object_.emplace_back(std::move(key), std::move(member));
      skipWhitespace();
      if (consume('}'))
        return true;
      size_t comma = pos_;
      if (!consume(','))
        return failExpected("',' or '}'");
      skipWhitespace();
      if (!atEnd() && peek() == '}')
        return fail(comma, "trailing comma in object");
    }
  }

  bool parseString(std::string &out) {
    ++pos_; // '"'
    while (true) {
      if (atEnd())
        return fail(pos_, "unterminated string");
      unsigned char c = static_cast<unsigned char>(peek());
      if (c == '"') {
        ++pos_;
        return true;
      }
      if (c == '\\') {
        if (!parseEscape(out))
          return false;
      } else if (c < 0x20) {
        return fail(pos_, "control character " + hexByte(c) + " in string");
      } else {
        size_t length = utf8SequenceLength(text_.substr(pos_));
        if (length == 0)
          return fail(pos_, "invalid UTF-8 in string");
        out.append(text_.data() + pos_, length);
        pos_ += length;
      }
    }
  }

  /// Reads the escape at the backslash under the cursor.
  bool parseEscape(std::string &out) {
    size_t start = pos_;
    ++pos_;
    if (atEnd())
      return fail(pos_, "unterminated string");
    char c = peek();
    ++pos_;
    if (c == 'u')
      return parseUnicodeEscape(start, out);
    int decoded = unescape(c);
    if (decoded < 0)
      return fail(start, "invalid escape sequence (backslash followed by " +
                             describeByte(c) + ")");
    out += static_cast<char>(decoded);
    return true;
  }

  /// The four hex digits after "\u", with the cursor on the first.
  bool readHex4(size_t escapeStart, uint32_t &out) {
    out = 0;
    for (int i = 0; i < 4; ++i, ++pos_) {
      int digit = atEnd() ? -1 : hexValue(peek());
      if (digit < 0)
        return fail(escapeStart, "invalid \\u escape, expected 4 hex digits");
      out = out * 16 + static_cast<uint32_t>(digit);
    }
    return true;
  }

  /// A \u escape whose "\u" starts at `start` and has been consumed; a high
  /// surrogate must be followed at once by an escaped low one.
  bool parseUnicodeEscape(size_t start, std::string &out) {
    uint32_t unit;
    if (!readHex4(start, unit))
      return false;
    if (unit >= 0xdc00 && unit <= 0xdfff)
      return fail(start, "unpaired surrogate in \\u escape");
    if (unit < 0xd800 || unit > 0xdbff) {
      appendUtf8(out, unit);
      return true;
    }
    size_t lowStart = pos_;
    if (text_.substr(pos_, 2) != "\\u")
      return fail(start, "unpaired surrogate in \\u escape");
    pos_ += 2;
    uint32_t low;
    if (!readHex4(lowStart, low))
      return false;
    if (low < 0xdc00 || low > 0xdfff)
      return fail(start, "unpaired surrogate in \\u escape");
    appendUtf8(out, 0x10000 + ((unit - 0xd800) << 10) + (low - 0xdc00));
    return true;
  }

  /// Advances over digits; returns how many.
  size_t skipDigits() {
    size_t start = pos_;
    while (!atEnd() && isDigit(peek()))
      ++pos_;
    return pos_ - start;
  }

  /// Checks the grammar of the number at the cursor and moves past it;
  /// `integral` says whether it had neither fraction nor exponent.
  bool scanNumber(bool &integral) {
    size_t start = pos_;
    consume('-');
    if (atEnd() || !isDigit(peek()))
      return failExpected("a digit");
    if (consume('0')) {
      if (!atEnd() && isDigit(peek()))
        return fail(start, "leading zero in number");
    } else {
      skipDigits();
    }
    integral = true;
    if (consume('.')) {
      integral = false;
      if (skipDigits() == 0)
        return failExpected("a digit after '.'");
    }
    if (consume('e') || consume('E')) {
      integral = false;
      if (!consume('+'))
        consume('-');
      if (skipDigits() == 0)
        return failExpected("a digit in the exponent");
    }
    return true;
  }

  bool parseNumber(Value &out) {
    size_t start = pos_;
    bool integral = false;
    if (!scanNumber(integral))
      return false;
    std::string_view literal = text_.substr(start, pos_ - start);
    if (integral && parseExactInteger(literal, out))
      return true;
    double d = 0;
    auto [end, ec] =
        std::from_chars(literal.data(), literal.data() + literal.size(), d);
    if (end != literal.data() + literal.size())
      return fail(start, "invalid number");
    if (ec == std::errc::result_out_of_range) {
      if (!literalUnderflows(literal))
        return fail(start, "number out of range");
      d = literal[0] == '-' ? -0.0 : 0.0;
    } else if (ec != std::errc() || !std::isfinite(d)) {
      return fail(start, "number out of range");
    }
    out = Value::number(d);
    return true;
  }

  /// Reads an integer literal exactly, from its digits; false (and `out`
  /// untouched) when it fits neither int64 nor uint64, so that it is read as
  /// a double instead.
  static bool parseExactInteger(std::string_view literal, Value &out) {
    bool negative = literal[0] == '-';
    uint64_t magnitude = 0;
    for (size_t i = negative ? 1 : 0; i < literal.size(); ++i) {
      unsigned digit = static_cast<unsigned>(literal[i] - '0');
      if (magnitude > (UINT64_MAX - digit) / 10)
        return false;
      magnitude = magnitude * 10 + digit;
    }
    constexpr uint64_t int64MinMagnitude = uint64_t(1) << 63;
    if (negative && magnitude > int64MinMagnitude)
      return false;
    out = Value(Value::Kind::Number);
    out.isInteger_ = true;
    out.negative_ = negative && magnitude != 0;
    out.magnitude_ = magnitude;
    out.number_ = out.negative_ ? -static_cast<double>(magnitude)
                                : static_cast<double>(magnitude);
    return true;
  }

  std::string_view text_;
  size_t pos_ = 0;
  std::string error_;
};

ParseResult parse(std::string_view text) { return Parser(text).run(); }

} // namespace hpt::hw::json
