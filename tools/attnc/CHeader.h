//===- CHeader.h - The C header that attnc writes for a compiled entry -*- C++ -*-===//
//
// `attnc --header OUT.h` describes the library's entry point to C and C++
// callers that have no MLIR: descriptor structs, the raw `_mlir_ciface_`
// prototype and a wrapper that takes plain pointers and shapes.
//
//===----------------------------------------------------------------------===//

#ifndef ATTNC_TOOLS_ATTNC_CHEADER_H
#define ATTNC_TOOLS_ATTNC_CHEADER_H

#include "runtime/Signature.h"

#include "llvm/Support/Error.h"

#include <string>

namespace attnc {

/// The largest output rank the header's `attnc_tensor_out` holds; shared by
/// every generated header so that two of them can be included together.
constexpr unsigned kHeaderMaxRank = 8;

/// The text of a self-contained C header for `signature`. `source` names
/// the model it was compiled from, for the header's comment. Fails when the
/// function's name is not a C identifier or an output's rank exceeds
/// kHeaderMaxRank.
llvm::Expected<std::string> emitCHeader(const Signature &signature,
                                        llvm::StringRef source);

} // namespace attnc

#endif // ATTNC_TOOLS_ATTNC_CHEADER_H
