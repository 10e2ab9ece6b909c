//===- Nesting.h - Input that would crash the parsers, rejected first -*- C++ -*-===//

#ifndef ATTNC_FRONTEND_NESTING_H
#define ATTNC_FRONTEND_NESTING_H

#include "llvm/Support/Error.h"

namespace attnc {

/// The bracket syntax checkNesting counts.
enum class Syntax {
  /// `[` and `{`, outside strings.
  Json,
  /// `{`, `[`, `(` and `<`, outside strings and `//` comments.
  Mlir,
};

/// The deepest nesting accepted (frontend/README.md, "Limits"). Real JSON
/// descriptions nest a few levels, real MLIR a few dozen.
constexpr unsigned kMaxJsonNesting = 128;
constexpr unsigned kMaxMlirNesting = 256;

/// Rejects `text` when its brackets nest deeper than the limit for `syntax`,
/// with "NAME:LINE: ..." at the first bracket past it. MLIR's parser and
/// llvm::json recurse once per level, so without this a deeply nested file
/// overflows the stack instead of getting an error.
llvm::Error checkNesting(llvm::StringRef text, llvm::StringRef name,
                         Syntax syntax);

/// Rejects `text` (MLIR) where a `permutation =` or `dimensions =` in the
/// custom syntax of linalg.transpose, linalg.broadcast and linalg.reduce
/// (not an entry of an attribute dictionary) is not followed by a list of
/// integers: MLIR 22's parsers of those ops dereference a null attribute on
/// anything else (`permutation = foo`, `[0,, 2 1, 3]` and `array< 1, 3]`
/// crashed attnc; test/fuzz found them).
llvm::Error checkLinalgArrays(llvm::StringRef text, llvm::StringRef name);

} // namespace attnc

#endif // ATTNC_FRONTEND_NESTING_H
