//===- Json.h - The small JSON reader and writer the runtime needs -*- C++ -*-===//
//
// Compiled libraries describe their entry points as JSON (the symbol
// `attnc_signature`, runtime/Signature.h). The runtime must read it without
// LLVM, so it carries this reader: RFC 8259 JSON, numbers kept as int64_t
// when they are integers, nesting bounded, and errors that say where the
// text went wrong. The writer escapes strings and prints integers exactly.
//
//===----------------------------------------------------------------------===//

#ifndef ATTNC_RUNTIME_JSON_H
#define ATTNC_RUNTIME_JSON_H

#include "runtime/Status.h"

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace attnc::json {

/// A parsed JSON value.
class Value {
public:
  enum class Kind { Null, Bool, Integer, Number, String, Array, Object };

  Value() = default;
  Kind kind() const { return k; }

  /// The value as each kind, or null/nullopt when it is another kind.
  /// An integer is also a number.
  std::optional<bool> getBool() const;
  std::optional<int64_t> getInteger() const;
  std::optional<double> getNumber() const;
  const std::string *getString() const;
  const std::vector<Value> *getArray() const;
  /// A member of an object (null when this is not an object or lacks it).
  const Value *get(std::string_view key) const;

  /// Parses `text`; the error names the byte offset of the problem.
  static Result<Value> parse(std::string_view text);

private:
  friend class Parser;
  Kind k = Kind::Null;
  bool boolean = false;
  int64_t integer = 0;
  double number = 0;
  std::string string;
  std::vector<Value> array;
  std::map<std::string, Value, std::less<>> object;
};

/// `text` as a JSON string literal, quotes included.
std::string quote(std::string_view text);

} // namespace attnc::json

#endif // ATTNC_RUNTIME_JSON_H
