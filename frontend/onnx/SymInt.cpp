//===- SymInt.cpp - Integer polynomials in the graph's symbolic sizes -----===//

#include "frontend/onnx/Importer.h"

#include "llvm/ADT/STLExtras.h"

#include <algorithm>

using namespace attnc::frontend::onnx_import;

namespace {
// Wrapping arithmetic: sizes are checked where they matter, and signed
// overflow must not be undefined behaviour on any input.
int64_t wrapAdd(int64_t a, int64_t b) {
  return static_cast<int64_t>(static_cast<uint64_t>(a) +
                              static_cast<uint64_t>(b));
}
int64_t wrapMul(int64_t a, int64_t b) {
  return static_cast<int64_t>(static_cast<uint64_t>(a) *
                              static_cast<uint64_t>(b));
}
} // namespace

SymInt::SymInt(int64_t constant) {
  if (constant != 0)
    terms.push_back({{}, constant});
}

SymInt SymInt::symbol(unsigned id) {
  SymInt s;
  s.terms.push_back({{id}, 1});
  return s;
}

std::optional<int64_t> SymInt::constant() const {
  if (terms.empty())
    return 0;
  if (terms.size() == 1 && terms[0].symbols.empty())
    return terms[0].coefficient;
  return std::nullopt;
}

std::optional<unsigned> SymInt::singleSymbol() const {
  if (terms.size() == 1 && terms[0].coefficient == 1 &&
      terms[0].symbols.size() == 1)
    return terms[0].symbols[0];
  return std::nullopt;
}

llvm::SmallVector<unsigned, 2> SymInt::symbols() const {
  llvm::SmallVector<unsigned, 2> out;
  for (const Term &t : terms)
    for (unsigned s : t.symbols)
      if (!llvm::is_contained(out, s))
        out.push_back(s);
  return out;
}

llvm::SmallVector<std::pair<llvm::SmallVector<unsigned, 2>, int64_t>, 2>
SymInt::termList() const {
  llvm::SmallVector<std::pair<llvm::SmallVector<unsigned, 2>, int64_t>, 2> out;
  for (const Term &t : terms)
    out.push_back({t.symbols, t.coefficient});
  return out;
}

void SymInt::add(const Monomial &m, int64_t c) {
  auto it = llvm::lower_bound(
      terms, m, [](const Term &t, const Monomial &x) { return t.symbols < x; });
  if (it != terms.end() && it->symbols == m) {
    it->coefficient = wrapAdd(it->coefficient, c);
    if (it->coefficient == 0)
      terms.erase(it);
    return;
  }
  if (c != 0)
    terms.insert(it, Term{m, c});
}

SymInt SymInt::operator+(const SymInt &other) const {
  SymInt r = *this;
  for (const Term &t : other.terms)
    r.add(t.symbols, t.coefficient);
  return r;
}

SymInt SymInt::operator-() const {
  SymInt r;
  for (const Term &t : terms)
    r.add(t.symbols, wrapMul(t.coefficient, -1));
  return r;
}

SymInt SymInt::operator-(const SymInt &other) const { return *this + -other; }

SymInt SymInt::operator*(const SymInt &other) const {
  SymInt r;
  for (const Term &a : terms)
    for (const Term &t : other.terms) {
      Monomial m = a.symbols;
      m.append(t.symbols.begin(), t.symbols.end());
      llvm::sort(m);
      r.add(m, wrapMul(a.coefficient, t.coefficient));
    }
  return r;
}

std::optional<SymInt> SymInt::divideExactly(const SymInt &divisor) const {
  if (std::optional<int64_t> c = divisor.constant()) {
    if (*c == 0)
      return std::nullopt;
    // INT64_MIN % -1 is undefined.
    if (*c == -1)
      return -*this;
    SymInt r;
    for (const Term &t : terms) {
      if (t.coefficient % *c != 0)
        return std::nullopt;
      r.add(t.symbols, t.coefficient / *c);
    }
    return r;
  }
  // A monomial divisor c·m divides each term whose symbols include m's.
  if (divisor.terms.size() != 1)
    return *this == divisor ? std::optional<SymInt>(SymInt(1)) : std::nullopt;
  const Term &d = divisor.terms[0];
  if (d.coefficient == -1)
    return (-*this).divideExactly(-divisor);
  SymInt r;
  for (const Term &t : terms) {
    if (t.coefficient % d.coefficient != 0)
      return std::nullopt;
    Monomial rest = t.symbols;
    for (unsigned s : d.symbols) {
      auto it = llvm::find(rest, s);
      if (it == rest.end())
        return std::nullopt;
      rest.erase(it);
    }
    r.add(rest, t.coefficient / d.coefficient);
  }
  return r;
}

std::optional<SymInt> SymInt::divideTruncating(const SymInt &divisor) const {
  std::optional<int64_t> a = constant(), b = divisor.constant();
  if (!a || !b)
    return divideExactly(divisor);
  if (*b == 0 || (*b == -1 && *a == INT64_MIN))
    return std::nullopt;
  return SymInt(*a / *b);
}

std::optional<bool> SymInt::less(const SymInt &other) const {
  // other - this > 0 when every coefficient is non-negative and the constant
  // positive (symbols are sizes); <= 0 when every coefficient is <= 0.
  SymInt d = other - *this;
  if (std::optional<int64_t> c = d.constant())
    return *c > 0;
  int64_t constantTerm = 0;
  bool allNonNegative = true, allNonPositive = true;
  for (const Term &t : d.terms) {
    if (t.symbols.empty())
      constantTerm = t.coefficient;
    else if (t.coefficient < 0)
      allNonNegative = false;
    else
      allNonPositive = false;
  }
  if (allNonNegative && constantTerm > 0)
    return true;
  if (allNonPositive && constantTerm <= 0)
    return false;
  return std::nullopt;
}

std::optional<bool> SymInt::equals(const SymInt &other) const {
  if (*this == other)
    return true;
  std::optional<bool> lt = less(other), gt = other.less(*this);
  if ((lt && *lt) || (gt && *gt))
    return false;
  return std::nullopt;
}

std::string
SymInt::str(llvm::function_ref<std::string(unsigned)> name) const {
  if (terms.empty())
    return "0";
  std::string s;
  // The constant term (first when sorted) goes last: "batch*seq + 1".
  llvm::SmallVector<const Term *, 2> order;
  for (const Term &t : terms)
    if (!t.symbols.empty())
      order.push_back(&t);
  for (const Term &t : terms)
    if (t.symbols.empty())
      order.push_back(&t);
  for (auto [i, t] : llvm::enumerate(order)) {
    int64_t c = t->coefficient;
    if (i > 0)
      s += c < 0 ? " - " : " + ";
    else if (c < 0)
      s += "-";
    uint64_t magnitude =
        c < 0 ? uint64_t(0) - static_cast<uint64_t>(c) : uint64_t(c);
    bool first = true;
    if (magnitude != 1 || t->symbols.empty()) {
      s += std::to_string(magnitude);
      first = false;
    }
    for (unsigned sym : t->symbols) {
      if (!first)
        s += "*";
      s += name(sym);
      first = false;
    }
  }
  return s;
}
