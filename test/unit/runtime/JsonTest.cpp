//===- JsonTest.cpp - The runtime's JSON reader and Status/Result ---------===//

#include "runtime/Json.h"
#include "runtime/Status.h"

#include "gtest/gtest.h"

#include <memory>

using namespace attnc;

namespace {

TEST(JsonTest, ParsesEveryKind) {
  Result<json::Value> v = json::Value::parse(
      R"( {"n": null, "t": true, "f": false, "i": -42, "x": 2.5e3,
           "s": "a\"b\\c\/\n\u00e9\ud83d\ude00", "a": [1, [2], {}], "o": {"k": "v"}} )");
  ASSERT_TRUE(static_cast<bool>(v)) << v.status().message();
  EXPECT_EQ(v->get("n")->kind(), json::Value::Kind::Null);
  EXPECT_EQ(v->get("t")->getBool(), true);
  EXPECT_EQ(v->get("f")->getBool(), false);
  EXPECT_EQ(v->get("i")->getInteger(), -42);
  EXPECT_EQ(v->get("i")->getNumber(), -42.0);
  EXPECT_EQ(v->get("x")->getInteger(), std::nullopt);
  EXPECT_EQ(v->get("x")->getNumber(), 2500.0);
  // UTF-8 for \u00e9 and for the surrogate pair of U+1F600.
  EXPECT_EQ(*v->get("s")->getString(), "a\"b\\c/\n\xc3\xa9\xf0\x9f\x98\x80");
  ASSERT_NE(v->get("a")->getArray(), nullptr);
  EXPECT_EQ(v->get("a")->getArray()->size(), 3u);
  EXPECT_EQ(*v->get("o")->get("k")->getString(), "v");
  EXPECT_EQ(v->get("missing"), nullptr);
  EXPECT_EQ(v->get("i")->get("k"), nullptr);
  EXPECT_EQ(v->get("i")->getString(), nullptr);
}

TEST(JsonTest, IntegersBeyondInt64AreNumbers) {
  Result<json::Value> v = json::Value::parse("[9223372036854775807, "
                                             "9223372036854775808]");
  ASSERT_TRUE(static_cast<bool>(v));
  EXPECT_EQ((*v->getArray())[0].getInteger(), INT64_MAX);
  EXPECT_EQ((*v->getArray())[1].getInteger(), std::nullopt);
  EXPECT_EQ((*v->getArray())[1].getNumber(), 9223372036854775808.0);
}

TEST(JsonTest, ErrorsNameTheByte) {
  auto errorOf = [](std::string_view text) {
    Result<json::Value> v = json::Value::parse(text);
    return v ? std::string("<no error>") : v.status().message();
  };
  EXPECT_EQ(errorOf(""), "invalid JSON at byte 0: unexpected end of text");
  EXPECT_EQ(errorOf("{"),
            "invalid JSON at byte 1: expected a string key in an object");
  EXPECT_EQ(errorOf("[1 2]"),
            "invalid JSON at byte 3: expected ',' or ']' in an array");
  EXPECT_EQ(errorOf("{\"a\" 1}"),
            "invalid JSON at byte 5: expected ':' after an object key");
  EXPECT_EQ(errorOf("{\"a\":1,\"a\":2}"),
            "invalid JSON at byte 12: duplicate key \"a\"");
  EXPECT_EQ(errorOf("\"abc"), "invalid JSON at byte 4: unterminated string");
  EXPECT_EQ(errorOf("\"\\q\""), "invalid JSON at byte 3: unknown escape '\\q'");
  EXPECT_EQ(errorOf("\"\\ud800\""),
            "invalid JSON at byte 7: a high surrogate without its low half");
  EXPECT_EQ(errorOf("\"\\udc00\""),
            "invalid JSON at byte 7: a low surrogate without its high half");
  EXPECT_EQ(errorOf("\"\\u12\""),
            "invalid JSON at byte 3: a \\u escape needs four hex digits");
  EXPECT_EQ(errorOf("\"a\nb\""),
            "invalid JSON at byte 3: a control character inside a string");
  EXPECT_EQ(errorOf("-"), "invalid JSON at byte 1: a number needs digits");
  EXPECT_EQ(errorOf("1."), "invalid JSON at byte 2: a fraction needs digits");
  EXPECT_EQ(errorOf("1e"), "invalid JSON at byte 2: an exponent needs digits");
  EXPECT_EQ(errorOf("tru"), "invalid JSON at byte 0: unexpected character 't'");
  EXPECT_EQ(errorOf("1 2"),
            "invalid JSON at byte 2: unexpected text after the value");
  // Nesting is bounded: a deep document is an error, not a deep stack.
  EXPECT_EQ(errorOf(std::string(100000, '[')),
            "invalid JSON at byte 65: nested too deeply");
  EXPECT_EQ(errorOf(std::string(64, '[') + std::string(64, ']')),
            "<no error>");
}

TEST(JsonTest, QuoteEscapes) {
  EXPECT_EQ(json::quote("a\"b\\c\n\t\x01"), "\"a\\\"b\\\\c\\n\\t\\u0001\"");
  // What quote writes parses back to the same text.
  std::string text = "tab\there \"quoted\" \x1f end";
  Result<json::Value> v = json::Value::parse(json::quote(text));
  ASSERT_TRUE(static_cast<bool>(v));
  EXPECT_EQ(*v->getString(), text);
}

struct Base {
  virtual ~Base() = default;
};
struct Derived : Base {};

TEST(StatusTest, ReadsLikeLlvmError) {
  Status ok;
  EXPECT_TRUE(ok.ok());
  EXPECT_FALSE(static_cast<bool>(ok));
  EXPECT_EQ(ok.message(), "");
  Status failed = error("input '", "q", "' has ", 3, " dims");
  EXPECT_FALSE(failed.ok());
  EXPECT_TRUE(static_cast<bool>(failed));
  EXPECT_EQ(failed.message(), "input 'q' has 3 dims");
  EXPECT_EQ(toString(failed), "input 'q' has 3 dims");

  Result<int> value = 7;
  EXPECT_TRUE(static_cast<bool>(value));
  EXPECT_EQ(*value, 7);
  EXPECT_TRUE(value.status().ok());
  Result<int> none = Status::error("no value");
  EXPECT_FALSE(static_cast<bool>(none));
  EXPECT_EQ(none.takeError().message(), "no value");

  // References, and conversions between results of related types.
  int target = 3;
  Result<int &> ref = target;
  *ref = 4;
  EXPECT_EQ(target, 4);
  Result<std::unique_ptr<Base>> base =
      Result<std::unique_ptr<Derived>>(std::make_unique<Derived>());
  EXPECT_TRUE(static_cast<bool>(base));
  Result<std::unique_ptr<Base>> failedBase =
      Result<std::unique_ptr<Derived>>(Status::error("none"));
  EXPECT_EQ(failedBase.status().message(), "none");
}

} // namespace
