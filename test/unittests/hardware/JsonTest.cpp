//===- JsonTest.cpp - strict JSON reader and writer -----------------------===//

#include "hardware/Json.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>

using namespace hpt::hw::json;

namespace {

/// The parsed value (and a test failure if the text was rejected).
Value ok(std::string_view text) {
  ParseResult result = parse(text);
  EXPECT_TRUE(result.error.empty()) << result.error;
  EXPECT_TRUE(result.value.has_value());
  return result.value ? *result.value : Value();
}

/// The error for the text (and a test failure if it was accepted).
std::string errorOf(std::string_view text) {
  ParseResult result = parse(text);
  EXPECT_FALSE(result.value.has_value()) << "accepted: " << text;
  return result.error;
}

std::string nested(int depth) {
  return std::string(depth, '[') + std::string(depth, ']');
}

} // namespace

TEST(JsonTest, ParsesNestedDocument) {
  Value doc = ok(R"( {"name": "sa", "rows": 32, "ratio": 0.5,
      "flags": [true, false, null], "mem": {"kb": [64, 128], "empty": {}}} )");
  ASSERT_TRUE(doc.isObject());
  ASSERT_EQ(doc.asObject().size(), 5u);
  EXPECT_EQ(doc.asObject()[0].first, "name");
  EXPECT_EQ(doc.find("name")->asString(), "sa");
  EXPECT_EQ(*doc.find("rows")->asInt64(), 32);
  EXPECT_EQ(doc.find("ratio")->asNumber(), 0.5);
  const Value::Array &flags = doc.find("flags")->asArray();
  ASSERT_EQ(flags.size(), 3u);
  EXPECT_TRUE(flags[0].asBool());
  EXPECT_FALSE(flags[1].asBool());
  EXPECT_TRUE(flags[2].isNull());
  const Value *mem = doc.find("mem");
  ASSERT_NE(mem, nullptr);
  EXPECT_EQ(*mem->find("kb")->asArray()[1].asUint64(), 128u);
  EXPECT_TRUE(mem->find("empty")->isObject());
  EXPECT_TRUE(mem->find("empty")->asObject().empty());
  EXPECT_EQ(doc.find("missing"), nullptr);
  EXPECT_EQ(flags[0].find("name"), nullptr);
}

TEST(JsonTest, AcceptsScalarDocuments) {
  EXPECT_EQ(ok("null"), Value());
  EXPECT_EQ(ok(" true\n"), Value(true));
  EXPECT_EQ(ok("\t\"x\"\r\n"), Value("x"));
  EXPECT_EQ(ok("-12"), Value::integer(-12));
  EXPECT_EQ(ok("[]"), Value::array());
  EXPECT_EQ(ok("{}"), Value::object());
}

TEST(JsonTest, IntegerLiteralsAreExactAtTheBoundaries) {
  constexpr int64_t int64Min = std::numeric_limits<int64_t>::min();
  constexpr int64_t int64Max = std::numeric_limits<int64_t>::max();
  constexpr uint64_t uint64Max = std::numeric_limits<uint64_t>::max();

  Value v = ok("9223372036854775807");
  EXPECT_EQ(v.asInt64(), int64Max);
  EXPECT_EQ(v.asUint64(), uint64_t(int64Max));

  v = ok("9223372036854775808");
  EXPECT_EQ(v.asInt64(), std::nullopt);
  EXPECT_EQ(v.asUint64(), uint64_t(1) << 63);

  v = ok("-9223372036854775808");
  EXPECT_EQ(v.asInt64(), int64Min);
  EXPECT_EQ(v.asUint64(), std::nullopt);

  v = ok("18446744073709551615");
  EXPECT_EQ(v.asUint64(), uint64Max);
  EXPECT_EQ(v.asInt64(), std::nullopt);

  // A double cannot tell these two apart; the exact reading can.
  EXPECT_EQ(ok("9007199254740993").asUint64(), uint64_t(9007199254740993u));
  EXPECT_NE(ok("9007199254740993"), ok("9007199254740992"));

  // Beyond both types: still a number, but not an integer.
  for (const char *text : {"18446744073709551616", "-9223372036854775809",
                           "123456789012345678901234567890"}) {
    Value big = ok(text);
    EXPECT_TRUE(big.isNumber()) << text;
    EXPECT_FALSE(big.isInteger()) << text;
    EXPECT_EQ(big.asInt64(), std::nullopt) << text;
    EXPECT_EQ(big.asUint64(), std::nullopt) << text;
  }
  EXPECT_EQ(ok("18446744073709551616").asNumber(), 18446744073709551616.0);
}

TEST(JsonTest, FractionsAndExponentsAreNotIntegers) {
  for (const char *text : {"1.5", "1e3", "1E3", "1.0", "1e0", "-2.0e+1"}) {
    Value v = ok(text);
    EXPECT_TRUE(v.isNumber()) << text;
    EXPECT_FALSE(v.isInteger()) << text;
    EXPECT_EQ(v.asInt64(), std::nullopt) << text;
    EXPECT_EQ(v.asUint64(), std::nullopt) << text;
  }
  EXPECT_EQ(ok("1e3").asNumber(), 1000.0);
  EXPECT_EQ(ok("-2.0e+1").asNumber(), -20.0);
  EXPECT_NE(ok("1"), ok("1.0"));
}

TEST(JsonTest, NegativeZeroIntegerIsZero) {
  Value v = ok("-0");
  EXPECT_EQ(v.asInt64(), 0);
  EXPECT_EQ(v.asUint64(), 0u);
  EXPECT_EQ(v, Value::integer(0));
  EXPECT_EQ(dump(v), "0");
}

TEST(JsonTest, TinyNumbersUnderflowToZero) {
  EXPECT_EQ(ok("1e-400").asNumber(), 0.0);
  EXPECT_TRUE(std::signbit(ok("-1e-400").asNumber()));
  EXPECT_EQ(ok("0.0000000000000000000000000000001e-300").asNumber(), 0.0);
}

TEST(JsonTest, ReportsErrorPositions) {
  struct Case {
    const char *text;
    const char *error;
  };
  const Case cases[] = {
      {"", "line 1, column 1: unexpected end of input, expected a value"},
      {"  \n ", "line 2, column 2: unexpected end of input, expected a value"},
      {"[1,]", "line 1, column 3: trailing comma in array"},
      {"{\"a\": 1,\n}", "line 1, column 8: trailing comma in object"},
      {"[\n  1,\n  2,\n]", "line 3, column 4: trailing comma in array"},
      {"01", "line 1, column 1: leading zero in number"},
      {"[1, -012]", "line 1, column 5: leading zero in number"},
      {"+1", "line 1, column 1: unexpected character '+', expected a value"},
      {".5", "line 1, column 1: unexpected character '.', expected a value"},
      {"1.", "line 1, column 3: unexpected end of input, expected a digit "
             "after '.'"},
      {"1e+", "line 1, column 4: unexpected end of input, expected a digit in "
              "the exponent"},
      {"-", "line 1, column 2: unexpected end of input, expected a digit"},
      {"NaN", "line 1, column 1: unexpected character 'N', expected a value"},
      {"-Infinity", "line 1, column 2: unexpected character 'I', expected a "
                    "digit"},
      {"\"abc", "line 1, column 5: unterminated string"},
      {"[\"abc\\", "line 1, column 7: unterminated string"},
      {"\"a\\qb\"", "line 1, column 3: invalid escape sequence (backslash "
                    "followed by character 'q')"},
      {"\"\\u12g4\"",
       "line 1, column 2: invalid \\u escape, expected 4 hex digits"},
      {"\"x\\ud800\"", "line 1, column 3: unpaired surrogate in \\u escape"},
      {"\"\\udc00\"", "line 1, column 2: unpaired surrogate in \\u escape"},
      {"\"\\ud800\\u0041\"",
       "line 1, column 2: unpaired surrogate in \\u escape"},
      {"{\"a\": 1, \"b\": 2, \"a\": 3}",
       "line 1, column 18: duplicate key \"a\""},
      {"{\"k\\n\": 1, \"k\\u000a\": 2}",
       "line 1, column 12: duplicate key \"k\\n\""},
      {"\"tab\there\"", "line 1, column 5: control character 0x09 in string"},
      {"\"a\x01\"", "line 1, column 3: control character 0x01 in string"},
      {"\"ok\xff\"", "line 1, column 4: invalid UTF-8 in string"},
      {"1e400", "line 1, column 1: number out of range"},
      {"[0, -1.5e309]", "line 1, column 5: number out of range"},
      {"[1] x", "line 1, column 5: unexpected character 'x' after the value"},
      {"{} {}", "line 1, column 4: unexpected character '{' after the value"},
      {"1 2", "line 1, column 3: unexpected character '2' after the value"},
      {"[1 2]", "line 1, column 4: unexpected character '2', expected ',' or "
                "']'"},
      {"{\"a\" 1}", "line 1, column 6: unexpected character '1', expected ':'"},
      {"{1: 2}", "line 1, column 2: unexpected character '1', expected a "
                 "string key"},
      {"[", "line 1, column 2: unexpected end of input, expected a value"},
      {"{\"a\": 1", "line 1, column 8: unexpected end of input, expected ',' "
                    "or '}'"},
      {"nul", "line 1, column 1: invalid literal, expected 'null'"},
      {"[tru]", "line 1, column 2: invalid literal, expected 'true'"},
      {"// c\n1", "line 1, column 1: unexpected character '/', expected a "
                  "value"},
      {"\xef\xbb\xbf{}", "line 1, column 1: unexpected byte 0xef, expected a "
                         "value"},
  };
  for (const Case &c : cases)
    EXPECT_EQ(errorOf(c.text), c.error) << "input: " << c.text;
}

TEST(JsonTest, ErrorsAreNotValues) {
  ParseResult bad = parse("[1,]");
  EXPECT_FALSE(bad.value.has_value());
  EXPECT_FALSE(bad.error.empty());
  ParseResult good = parse("[1]");
  EXPECT_TRUE(good.value.has_value());
  EXPECT_TRUE(good.error.empty());
}

TEST(JsonTest, LimitsNestingDepth) {
  Value deepest = ok(nested(kMaxDepth));
  EXPECT_TRUE(deepest.isArray());
  EXPECT_EQ(errorOf(nested(kMaxDepth + 1)),
            "line 1, column 65: nesting deeper than 64");

  std::string objects;
  for (int i = 0; i < kMaxDepth; ++i)
    objects += "{\"a\":";
  std::string deepObjects = objects + "1" + std::string(kMaxDepth, '}');
  EXPECT_TRUE(parse(deepObjects).value.has_value());
  std::string tooDeep = objects + "[]" + std::string(kMaxDepth, '}');
  EXPECT_EQ(errorOf(tooDeep), "line 1, column 321: nesting deeper than 64");

  // Far deeper input must fail cleanly rather than exhaust the stack.
  EXPECT_EQ(errorOf(std::string(1000000, '[')),
            "line 1, column 65: nesting deeper than 64");
}

TEST(JsonTest, DecodesUnicodeEscapes) {
  EXPECT_EQ(ok(R"("\u0041\u00e9\u20AC")").asString(), "A\xc3\xa9\xe2\x82\xac");
  // A surrogate pair is one code point, U+1F600, four UTF-8 bytes.
  EXPECT_EQ(ok(R"("\ud83d\ude00")").asString(), "\xf0\x9f\x98\x80");
  EXPECT_EQ(ok(R"("\uDBFF\uDFFF")").asString(), "\xf4\x8f\xbf\xbf");
  EXPECT_EQ(ok(R"("a\u0000b")").asString(), std::string("a\0b", 3));
  EXPECT_EQ(ok(R"("\"\\\/\b\f\n\r\t")").asString(), "\"\\/\b\f\n\r\t");
  // Raw UTF-8 is kept as it is.
  EXPECT_EQ(ok("\"\xe2\x82\xac \xf0\x9f\x98\x80\"").asString(),
            "\xe2\x82\xac \xf0\x9f\x98\x80");
}

TEST(JsonTest, RejectsInvalidUtf8) {
  const char *bad[] = {
      "\"\xc0\xaf\"",         // overlong '/'
      "\"\xe0\x80\xaf\"",     // overlong '/'
      "\"\xed\xa0\x80\"",     // an encoded surrogate
      "\"\xf4\x90\x80\x80\"", // past U+10FFFF
      "\"\xe2\x82\"",         // truncated
      "\"\x80\"",             // a lone continuation byte
      "\"\xe2\x82",           // truncated at the end of input
  };
  for (const char *text : bad)
    EXPECT_EQ(errorOf(text), "line 1, column 2: invalid UTF-8 in string")
        << text;
}

TEST(JsonTest, DumpsPrettyAndCompactForms) {
  Value doc = ok(R"({"name":"sa","size":[32,32],"clock":1.5,
      "ok":true,"none":null,"empty":[],"nested":{"inner":{}}})");
  EXPECT_EQ(dump(doc), "{\n"
                       "  \"name\": \"sa\",\n"
                       "  \"size\": [\n"
                       "    32,\n"
                       "    32\n"
                       "  ],\n"
                       "  \"clock\": 1.5,\n"
                       "  \"ok\": true,\n"
                       "  \"none\": null,\n"
                       "  \"empty\": [],\n"
                       "  \"nested\": {\n"
                       "    \"inner\": {}\n"
                       "  }\n"
                       "}");
  EXPECT_EQ(dump(doc, 0), R"({"name":"sa","size":[32,32],"clock":1.5,)"
                          R"("ok":true,"none":null,"empty":[],)"
                          R"("nested":{"inner":{}}})");
  EXPECT_EQ(dump(ok("[[1]]"), 4), "[\n    [\n        1\n    ]\n]");
  EXPECT_EQ(dump(ok("7")), "7");
}

TEST(JsonTest, DumpsEscapedStrings) {
  Value s(std::string("q\" b\\ \b\f\n\r\t \x01\x1f\x7f / \xc3\xa9") +
          std::string(1, '\0'));
  EXPECT_EQ(dump(s), "\"q\\\" b\\\\ \\b\\f\\n\\r\\t \\u0001\\u001f\x7f / "
                     "\xc3\xa9\\u0000\"");
  EXPECT_EQ(ok(dump(s)), s);
}

TEST(JsonTest, DumpsIntegersExactly) {
  EXPECT_EQ(dump(ok("18446744073709551615")), "18446744073709551615");
  EXPECT_EQ(dump(ok("-9223372036854775808")), "-9223372036854775808");
  EXPECT_EQ(dump(ok("9007199254740993")), "9007199254740993");
  EXPECT_EQ(dump(Value::integer(std::numeric_limits<int64_t>::min())),
            "-9223372036854775808");
  EXPECT_EQ(dump(Value::unsignedInteger(42)), "42");
}

TEST(JsonTest, DumpsShortestRoundTripDoubles) {
  EXPECT_EQ(dump(ok("0.1")), "0.1");
  EXPECT_EQ(dump(ok("1.207")), "1.207");
  EXPECT_EQ(dump(ok("0.30000000000000004")), "0.30000000000000004");
  for (double d : {1e-7, 1e22, 1e300, 5e-324, -2.5e-10,
                   std::numeric_limits<double>::max()}) {
    Value v = Value::number(d);
    EXPECT_EQ(ok(dump(v)).asNumber(), d) << dump(v);
    EXPECT_FALSE(ok(dump(v)).isInteger()) << dump(v);
  }
  // An integral double keeps a fraction so that it reads back as one.
  EXPECT_EQ(dump(Value::number(3)), "3.0");
  EXPECT_EQ(dump(ok("1e2")), "100.0");
  EXPECT_EQ(dump(Value::number(-0.0)), "-0.0");
  EXPECT_TRUE(std::signbit(ok(dump(Value::number(-0.0))).asNumber()));
}

TEST(JsonTest, DumpOfParseIsAFixedPoint) {
  const char *documents[] = {
      R"({"a": [1, 2.5, -3e-5, "x\u0001y", {"b": null}], "c": {}})",
      R"([18446744073709551615, -9223372036854775808, 1e-400, 0.1])",
      R"("\ud83d\ude00 \u00e9 \\ \"")",
      R"([[[[]]], {}, [{}], true, false, null, 1E+2,
          123456789012345678901234567890])",
      R"({"deep": {"deeper": {"deepest": [0, -0, -0.0, 5e-324]}}})",
  };
  for (const char *text : documents) {
    Value first = ok(text);
    for (int indent : {0, 2, 3}) {
      std::string once = dump(first, indent);
      Value reparsed = ok(once);
      EXPECT_EQ(reparsed, first) << once;
      EXPECT_EQ(dump(reparsed, indent), once);
    }
  }
}

TEST(JsonTest, BuildsValues) {
  Value root = Value::object();
  root.set("name", "array");
  root.set("rows", Value::integer(-4));
  root.set("bytes",
           Value::unsignedInteger(std::numeric_limits<uint64_t>::max()));
  root.set("ratio", Value::number(0.25));
  Value list = Value::array();
  list.push(true);
  list.push(nullptr);
  list.push(std::string("s"));
  root.set("list", list);
  root.set("rows", Value::integer(8)); // Replaces in place, keeping the order.

  ASSERT_EQ(root.asObject().size(), 5u);
  EXPECT_EQ(root.asObject()[1].first, "rows");
  EXPECT_EQ(root.find("rows")->asInt64(), 8);
  EXPECT_TRUE(root.find("name")->isString()); // const char* is no bool.
  EXPECT_EQ(dump(root, 0), R"({"name":"array","rows":8,)"
                           R"("bytes":18446744073709551615,"ratio":0.25,)"
                           R"("list":[true,null,"s"]})");
  EXPECT_EQ(ok(dump(root)), root);
}

TEST(JsonTest, ComparesStructurally) {
  EXPECT_EQ(ok(R"({"a": [1, {"b": "c"}]})"), ok(R"({"a":[1,{"b":"c"}]})"));
  EXPECT_NE(ok("[1, 2]"), ok("[2, 1]"));
  EXPECT_NE(ok("[1]"), ok("[1, 1]"));
  // Members compare in their stored order, as they are written.
  EXPECT_NE(ok(R"({"a": 1, "b": 2})"), ok(R"({"b": 2, "a": 1})"));
  EXPECT_NE(ok("1"), ok("1.0"));
  EXPECT_EQ(ok("1.0"), ok("1e0"));
  EXPECT_EQ(ok("0.0"), ok("-0.0"));
  EXPECT_EQ(ok("5"), Value::unsignedInteger(5));
  EXPECT_EQ(ok("5"), Value::integer(5));
  EXPECT_NE(ok("null"), ok("false"));
  EXPECT_NE(ok("\"1\""), ok("1"));
}
