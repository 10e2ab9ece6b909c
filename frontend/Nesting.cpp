//===- Nesting.cpp - A depth limit for the recursive parsers' inputs ------===//

#include "frontend/Nesting.h"

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
