//===- Json.cpp - The runtime's JSON reader and string quoting ------------===//

#include "runtime/Json.h"

#include <cerrno>
#include <cstdlib>

using namespace attnc;
using namespace attnc::json;

std::optional<bool> Value::getBool() const {
  if (k != Kind::Bool)
    return std::nullopt;
  return boolean;
}

std::optional<int64_t> Value::getInteger() const {
  if (k != Kind::Integer)
    return std::nullopt;
  return integer;
}

std::optional<double> Value::getNumber() const {
  if (k == Kind::Integer)
    return static_cast<double>(integer);
  if (k != Kind::Number)
    return std::nullopt;
  return number;
}

const std::string *Value::getString() const {
  return k == Kind::String ? &string : nullptr;
}

const std::vector<Value> *Value::getArray() const {
  return k == Kind::Array ? &array : nullptr;
}

const Value *Value::get(std::string_view key) const {
  if (k != Kind::Object)
    return nullptr;
  auto it = object.find(key);
  return it == object.end() ? nullptr : &it->second;
}

namespace attnc::json {
/// A recursive-descent parser over the whole text.
class Parser {
public:
  explicit Parser(std::string_view text) : text(text) {}

  Result<Value> parseDocument() {
    Value v;
    if (Status s = parseValue(v, 0))
      return s;
    skipSpace();
    if (at != text.size())
      return fail("unexpected text after the value");
    return v;
  }

private:
  /// Deeper nesting than any signature has is an error, not a deep stack.
  static constexpr int kMaxDepth = 64;

  Status fail(const std::string &what) const {
    return error("invalid JSON at byte ", at, ": ", what);
  }
  void skipSpace() {
    while (at < text.size() && (text[at] == ' ' || text[at] == '\n' ||
                                text[at] == '\r' || text[at] == '\t'))
      ++at;
  }
  bool consume(std::string_view word) {
    if (text.substr(at, word.size()) != word)
      return false;
    at += word.size();
    return true;
  }

  Status parseValue(Value &v, int depth) {
    if (depth > kMaxDepth)
      return fail("nested too deeply");
    skipSpace();
    if (at == text.size())
      return fail("unexpected end of text");
    char c = text[at];
    if (consume("null")) {
      v.k = Value::Kind::Null;
      return Status();
    }
    if (consume("true") || consume("false")) {
      v.k = Value::Kind::Bool;
      v.boolean = c == 't';
      return Status();
    }
    if (c == '"') {
      v.k = Value::Kind::String;
      return parseString(v.string);
    }
    if (c == '[')
      return parseArray(v, depth);
    if (c == '{')
      return parseObject(v, depth);
    if (c == '-' || (c >= '0' && c <= '9'))
      return parseNumber(v);
    return fail(concat("unexpected character '", c, "'"));
  }

  Status parseNumber(Value &v) {
    size_t start = at;
    if (text[at] == '-')
      ++at;
    auto digits = [&] {
      size_t first = at;
      while (at < text.size() && text[at] >= '0' && text[at] <= '9')
        ++at;
      return at > first;
    };
    if (!digits())
      return fail("a number needs digits");
    bool integral = true;
    if (at < text.size() && text[at] == '.') {
      ++at;
      integral = false;
      if (!digits())
        return fail("a fraction needs digits");
    }
    if (at < text.size() && (text[at] == 'e' || text[at] == 'E')) {
      ++at;
      integral = false;
      if (at < text.size() && (text[at] == '+' || text[at] == '-'))
        ++at;
      if (!digits())
        return fail("an exponent needs digits");
    }
    std::string literal(text.substr(start, at - start));
    errno = 0;
    if (integral) {
      long long value = std::strtoll(literal.c_str(), nullptr, 10);
      if (errno == 0) {
        v.k = Value::Kind::Integer;
        v.integer = value;
        return Status();
      }
      errno = 0;
    }
    v.k = Value::Kind::Number;
    v.number = std::strtod(literal.c_str(), nullptr);
    return Status();
  }

  /// Appends the UTF-8 encoding of `code`.
  static void appendUtf8(std::string &out, uint32_t code) {
    if (code < 0x80) {
      out += static_cast<char>(code);
    } else if (code < 0x800) {
      out += static_cast<char>(0xC0 | (code >> 6));
      out += static_cast<char>(0x80 | (code & 0x3F));
    } else if (code < 0x10000) {
      out += static_cast<char>(0xE0 | (code >> 12));
      out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (code & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (code >> 18));
      out += static_cast<char>(0x80 | ((code >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (code & 0x3F));
    }
  }

  Status parseHex4(uint32_t &code) {
    if (text.size() - at < 4)
      return fail("a \\u escape needs four hex digits");
    code = 0;
    for (int i = 0; i < 4; ++i, ++at) {
      char h = text[at];
      code <<= 4;
      if (h >= '0' && h <= '9')
        code |= h - '0';
      else if (h >= 'a' && h <= 'f')
        code |= h - 'a' + 10;
      else if (h >= 'A' && h <= 'F')
        code |= h - 'A' + 10;
      else
        return fail("a \\u escape needs four hex digits");
    }
    return Status();
  }

  Status parseString(std::string &out) {
    ++at; // the opening quote
    while (true) {
      if (at == text.size())
        return fail("unterminated string");
      char c = text[at++];
      if (c == '"')
        return Status();
      if (static_cast<unsigned char>(c) < 0x20)
        return fail("a control character inside a string");
      if (c != '\\') {
        out += c;
        continue;
      }
      if (at == text.size())
        return fail("unterminated string");
      char e = text[at++];
      switch (e) {
      case '"':
      case '\\':
      case '/':
        out += e;
        break;
      case 'b':
        out += '\b';
        break;
      case 'f':
        out += '\f';
        break;
      case 'n':
        out += '\n';
        break;
      case 'r':
        out += '\r';
        break;
      case 't':
        out += '\t';
        break;
      case 'u': {
        uint32_t code = 0;
        if (Status s = parseHex4(code))
          return s;
        // A surrogate pair encodes one code point above U+FFFF.
        if (code >= 0xD800 && code < 0xDC00) {
          uint32_t low = 0;
          if (!consume("\\u"))
            return fail("a high surrogate without its low half");
          if (Status s = parseHex4(low))
            return s;
          if (low < 0xDC00 || low >= 0xE000)
            return fail("a high surrogate without its low half");
          code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
        } else if (code >= 0xDC00 && code < 0xE000) {
          return fail("a low surrogate without its high half");
        }
        appendUtf8(out, code);
        break;
      }
      default:
        return fail(concat("unknown escape '\\", e, "'"));
      }
    }
  }

  Status parseArray(Value &v, int depth) {
    v.k = Value::Kind::Array;
    ++at; // [
    skipSpace();
    if (consume("]"))
      return Status();
    while (true) {
      v.array.emplace_back();
      if (Status s = parseValue(v.array.back(), depth + 1))
        return s;
      skipSpace();
      if (consume("]"))
        return Status();
      if (!consume(","))
        return fail("expected ',' or ']' in an array");
    }
  }

  Status parseObject(Value &v, int depth) {
    v.k = Value::Kind::Object;
    ++at; // {
    skipSpace();
    if (consume("}"))
      return Status();
    while (true) {
      skipSpace();
      if (at == text.size() || text[at] != '"')
        return fail("expected a string key in an object");
      std::string key;
      if (Status s = parseString(key))
        return s;
      skipSpace();
      if (!consume(":"))
        return fail("expected ':' after an object key");
      Value member;
      if (Status s = parseValue(member, depth + 1))
        return s;
      if (!v.object.emplace(key, std::move(member)).second)
        return fail(concat("duplicate key ", quote(key)));
      skipSpace();
      if (consume("}"))
        return Status();
      if (!consume(","))
        return fail("expected ',' or '}' in an object");
    }
  }

  std::string_view text;
  size_t at = 0;
};
} // namespace attnc::json

Result<Value> Value::parse(std::string_view text) {
  return Parser(text).parseDocument();
}

std::string json::quote(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    switch (c) {
    case '"':
      out += "\\\"";
      break;
    case '\\':
      out += "\\\\";
      break;
    case '\n':
      out += "\\n";
      break;
    case '\r':
      out += "\\r";
      break;
    case '\t':
      out += "\\t";
      break;
    default:
      if (static_cast<unsigned char>(c) < 0x20) {
        static const char hex[] = "0123456789abcdef";
        out += "\\u00";
        out += hex[(c >> 4) & 0xF];
        out += hex[c & 0xF];
      } else {
        out += c;
      }
    }
  }
  return out + "\"";
}
