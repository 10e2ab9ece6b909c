//===- Span.h - A non-owning view of contiguous elements -*- C++ -*-===//
//
// What llvm::ArrayRef is to LLVM code, for the runtime's API, which links
// nothing from LLVM (C++17 has no std::span). It is made from a
// std::vector, a braced list, a pointer and a count, or any contiguous
// container with data() and size() (llvm::ArrayRef and SmallVector
// included), so that callers with either kind of container pass it as is.
//
//===----------------------------------------------------------------------===//

#ifndef ATTNC_RUNTIME_SPAN_H
#define ATTNC_RUNTIME_SPAN_H

#include <cstddef>
#include <initializer_list>
#include <type_traits>
#include <vector>

namespace attnc {

/// A view of `size()` elements of type T at `data()`; T is usually const.
template <typename T> class Span {
  using Element = std::remove_const_t<T>;

public:
  Span() = default;
  Span(T *data, size_t size) : ptr(data), count(size) {}
  /// From a braced list; it lives until the end of the full expression, so
  /// a Span made this way is for arguments, not to keep.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Winit-list-lifetime"
#endif
  Span(std::initializer_list<Element> list)
      : ptr(list.begin()), count(list.size()) {}
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif
  /// From any contiguous container of Element (std::vector, std::array,
  /// llvm::ArrayRef, llvm::SmallVector, another Span).
  template <typename C,
            typename = std::enable_if_t<std::is_convertible_v<
                decltype(std::declval<C &>().data()), T *>>,
            typename = decltype(std::declval<C &>().size())>
  Span(C &&container) : ptr(container.data()), count(container.size()) {}

  T *data() const { return ptr; }
  size_t size() const { return count; }
  bool empty() const { return count == 0; }
  T *begin() const { return ptr; }
  T *end() const { return ptr + count; }
  T &operator[](size_t i) const { return ptr[i]; }
  T &front() const { return ptr[0]; }
  T &back() const { return ptr[count - 1]; }
  /// A copy of the elements.
  std::vector<Element> vec() const { return {begin(), end()}; }

private:
  T *ptr = nullptr;
  size_t count = 0;
};

} // namespace attnc

#endif // ATTNC_RUNTIME_SPAN_H
