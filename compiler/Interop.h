//===- Interop.h - The runtime's Status and Result as LLVM errors -*- C++ -*-===//
//
// The runtime reports failures with attnc::Status and attnc::Result<T>
// (runtime/Status.h), since it links no LLVM; the compiler and the tools
// speak llvm::Error. These convert, keeping the message.
//
//===----------------------------------------------------------------------===//

#ifndef ATTNC_COMPILER_INTEROP_H
#define ATTNC_COMPILER_INTEROP_H

#include "runtime/Status.h"

#include "llvm/Support/Error.h"

namespace attnc {

/// `status` as an llvm::Error (success stays success).
inline llvm::Error toError(Status status) {
  if (status.ok())
    return llvm::Error::success();
  return llvm::createStringError(status.message());
}

/// `result` as an llvm::Expected.
template <typename T> llvm::Expected<T> toExpected(Result<T> result) {
  if (!result)
    return toError(result.takeError());
  return std::move(*result);
}

/// `error` as a Status, consuming it.
inline Status toStatus(llvm::Error error) {
  if (!error)
    return Status();
  return Status::error(llvm::toString(std::move(error)));
}

} // namespace attnc

#endif // ATTNC_COMPILER_INTEROP_H
