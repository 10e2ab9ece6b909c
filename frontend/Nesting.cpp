//===- Nesting.cpp - Input that would crash the parsers, rejected first ---===//

#include "frontend/Nesting.h"

#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/Twine.h"

using llvm::StringRef;

llvm::Error attnc::checkNesting(StringRef text, StringRef name,
                                Syntax syntax) {
  bool mlir = syntax == Syntax::Mlir;
  unsigned limit = mlir ? kMaxMlirNesting : kMaxJsonNesting;
  StringRef open = mlir ? "{[(<" : "{[";
  StringRef close = mlir ? "}])>" : "}]";
  unsigned depth = 0, line = 1;
  for (size_t i = 0, e = text.size(); i < e; ++i) {
    char c = text[i];
    if (c == '\n') {
      ++line;
    } else if (c == '"') {
      // Skip the string; a backslash escapes the next character.
      for (++i; i < e && text[i] != '"'; ++i) {
        if (text[i] == '\\')
          ++i;
        else if (text[i] == '\n')
          ++line;
      }
    } else if (mlir && c == '/' && i + 1 < e && text[i + 1] == '/') {
      i = std::min(text.find('\n', i), e) - 1;
    } else if (open.contains(c)) {
      if (++depth > limit)
        return llvm::createStringError(
            name + ":" + llvm::Twine(line) + ": brackets nest deeper than " +
            llvm::Twine(limit) + " levels (attnc's limit)");
    } else if (close.contains(c) && depth > 0) {
      // MLIR's '->' is no bracket.
      if (!(mlir && c == '>' && i > 0 && text[i - 1] == '-'))
        --depth;
    }
  }
  return llvm::Error::success();
}

llvm::Error attnc::checkLinalgArrays(StringRef text, StringRef name) {
  unsigned line = 1;
  auto isWord = [](char c) { return llvm::isAlnum(c) || c == '_' || c == '.'; };
  for (size_t i = 0, e = text.size(); i < e; ++i) {
    char c = text[i];
    if (c == '\n') {
      ++line;
      continue;
    }
    if (c == '"') {
      for (++i; i < e && text[i] != '"'; ++i) {
        if (text[i] == '\\')
          ++i;
        else if (text[i] == '\n')
          ++line;
      }
      continue;
    }
    if (c == '/' && i + 1 < e && text[i + 1] == '/') {
      i = std::min(text.find('\n', i), e) - 1;
      continue;
    }
    StringRef rest = text.substr(i);
    StringRef keyword = rest.starts_with("permutation") ? "permutation"
                        : rest.starts_with("dimensions") ? "dimensions"
                                                         : "";
    if (keyword.empty() || (i > 0 && isWord(text[i - 1])) ||
        (rest.size() > keyword.size() && isWord(rest[keyword.size()])))
      continue;
    StringRef after = rest.drop_front(keyword.size()).ltrim();
    if (!after.consume_front("="))
      continue;
    after = after.ltrim();
    // An entry of an attribute dictionary (`<{permutation = array<...>}>`,
    // after '{' or ','): MLIR's generic attribute parser reads it, safely.
    // Otherwise it is the ops' custom syntax, which takes only a list (and
    // crashes on anything else, `array<i64: 1, 0>` included).
    StringRef before = text.take_front(i).rtrim();
    if (before.ends_with("{") || before.ends_with(","))
      continue;
    // "[" integer ("," integer)* "]", or "[]".
    bool list = after.consume_front("[");
    if (list) {
      StringRef inside = after.take_until([](char x) { return x == ']'; });
      list = inside.size() < after.size();
      llvm::SmallVector<StringRef> items;
      inside.split(items, ',');
      if (list && !(items.size() == 1 && items[0].trim().empty()))
        for (StringRef item : items) {
          int64_t value;
          if (item.trim().getAsInteger(10, value))
            list = false;
        }
    }
    if (!list)
      return llvm::createStringError(
          name + ":" + llvm::Twine(line) + ": '" + keyword +
          " =' must be followed by a list of integers such as [1, 0] "
          "(MLIR 22's linalg parsers crash on anything else)");
    i += keyword.size() - 1;
  }
  return llvm::Error::success();
}
