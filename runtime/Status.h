//===- Status.h - The runtime's error type: Status and Result<T> -*- C++ -*-===//
//
// The runtime links nothing from LLVM, so its API reports failures with
// these two small types instead of llvm::Error and llvm::Expected. They read
// the same way, so that code moves between the two without surprises:
//
//   if (attnc::Status s = module->check(...))   // true: it failed
//     return s;
//   attnc::Result<Tensor> t = attnc::loadNpy(path);
//   if (!t)                                       // false: it failed
//     report(t.status().message());
//
// Unlike llvm::Error, an unchecked Status does not abort: the runtime is
// embedded in programs that may not want that. compiler/Interop.h converts
// to and from LLVM's types for code that has them.
//
//===----------------------------------------------------------------------===//

#ifndef ATTNC_RUNTIME_STATUS_H
#define ATTNC_RUNTIME_STATUS_H

#include <cassert>
#include <functional>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <type_traits>
#include <utility>

namespace attnc {

/// Success, or a failure with a message for people ("input 'q' must be
/// f32, got f16").
class [[nodiscard]] Status {
public:
  /// Success.
  Status() = default;
  static Status success() { return Status(); }
  /// A failure with `message`; an empty message still fails.
  static Status error(std::string message) {
    Status s;
    s.failure = std::make_shared<const std::string>(std::move(message));
    return s;
  }

  bool ok() const { return !failure; }
  /// True when this is a failure, as llvm::Error converts, so that
  /// `if (Status s = f()) return s;` propagates failures.
  explicit operator bool() const { return !ok(); }
  /// The failure's message; empty for success.
  const std::string &message() const {
    static const std::string none;
    return failure ? *failure : none;
  }

private:
  std::shared_ptr<const std::string> failure;
};

/// The message of `status`; with llvm::toString for llvm::Error, an
/// unqualified toString(e) reads either kind (argument-dependent lookup).
inline std::string toString(const Status &status) { return status.message(); }

/// Every argument streamed into one string, for messages.
template <typename... Args> std::string concat(const Args &...args) {
  std::ostringstream os;
  (os << ... << args);
  return os.str();
}

/// A failed Status whose message is the arguments streamed together.
template <typename... Args> Status error(const Args &...args) {
  return Status::error(concat(args...));
}

/// A value of type T, or the Status of why there is none. T may be a
/// reference (`Result<const Signature &>`).
template <typename T> class [[nodiscard]] Result {
  using Stored =
      std::conditional_t<std::is_reference_v<T>,
                         std::reference_wrapper<std::remove_reference_t<T>>,
                         T>;
  using Pointee = std::remove_reference_t<T>;

public:
  Result(T value) : value(std::forward<T>(value)) {}
  /// A failure; `failure` must not be success.
  Result(Status failure) : failureStatus(std::move(failure)) {
    assert(!failureStatus.ok() && "a Result made from a successful Status");
  }
  /// From a Result of a type that converts to T (unique_ptr<Derived> to
  /// unique_ptr<Base>, say).
  template <typename U, typename = std::enable_if_t<
                            !std::is_same_v<U, T> &&
                            std::is_convertible_v<U &&, T>>>
  Result(Result<U> &&other) {
    if (other)
      value.emplace(std::move(*other));
    else
      failureStatus = other.takeError();
  }

  /// True when there is a value.
  explicit operator bool() const { return value.has_value(); }
  Pointee &operator*() { return get(); }
  const Pointee &operator*() const { return get(); }
  Pointee *operator->() { return &get(); }
  const Pointee *operator->() const { return &get(); }

  /// Why there is no value (success when there is one).
  const Status &status() const { return failureStatus; }
  /// The failure, moved out (success when there is a value).
  Status takeError() { return std::move(failureStatus); }

private:
  Pointee &get() {
    assert(value && "dereferencing a failed Result");
    if constexpr (std::is_reference_v<T>)
      return value->get();
    else
      return *value;
  }
  const Pointee &get() const { return const_cast<Result *>(this)->get(); }

  std::optional<Stored> value;
  Status failureStatus;
};

} // namespace attnc

#endif // ATTNC_RUNTIME_STATUS_H
