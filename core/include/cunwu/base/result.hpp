#pragma once
// Result<T>: a value or an Error. Status is Result<void>.
#include <cassert>
#include <optional>
#include <type_traits>
#include <utility>
#include <variant>

#include "cunwu/base/error.hpp"

namespace cunwu {

/// Either a T or an Error. Check `ok()` (or bool) before `value()`.
template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}          // NOLINT(google-explicit-constructor)
  Result(Error error) : v_(std::move(error)) {}      // NOLINT(google-explicit-constructor)

  /// True when a value is held.
  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  /// The value; only valid when ok().
  T& value() & { assert(ok()); return std::get<0>(v_); }
  const T& value() const& { assert(ok()); return std::get<0>(v_); }
  T&& value() && { assert(ok()); return std::get<0>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  /// The error; only valid when !ok().
  const Error& error() const { assert(!ok()); return std::get<1>(v_); }
  /// The error code, or nullopt when ok().
  std::optional<Errc> code() const { return ok() ? std::nullopt : std::optional<Errc>(error().code); }

 private:
  std::variant<T, Error> v_;
};

/// Success or an Error.
template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : e_(std::move(error)) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return !e_.has_value(); }
  explicit operator bool() const { return ok(); }
  const Error& error() const { assert(!ok()); return *e_; }
  std::optional<Errc> code() const { return ok() ? std::nullopt : std::optional<Errc>(e_->code); }

 private:
  std::optional<Error> e_;
};

using Status = Result<void>;

/// Success, for functions returning Status.
inline Status ok_status() { return {}; }

}  // namespace cunwu

/// Returns the error of `expr` (a Status or Result) from the enclosing function if it failed.
#define CUNWU_TRY(expr)                              \
  do {                                               \
    if (auto cunwu_try_r_ = (expr); !cunwu_try_r_) { \
      return cunwu_try_r_.error();                   \
    }                                                \
  } while (0)

#define CUNWU_CONCAT_INNER_(a, b) a##b
#define CUNWU_CONCAT_(a, b) CUNWU_CONCAT_INNER_(a, b)
/// Declares `lhs` from the value of the Result `expr`, or returns its error.
#define CUNWU_ASSIGN(lhs, expr) CUNWU_ASSIGN_IMPL_(CUNWU_CONCAT_(cunwu_r_, __LINE__), lhs, expr)
#define CUNWU_ASSIGN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                       \
  if (!tmp) return tmp.error();            \
  lhs = std::move(tmp).value()
