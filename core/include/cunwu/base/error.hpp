#pragma once
// Errors as values: a code from the one catalogue plus a detail for logs and developers.
#include <string>
#include <string_view>

#include "cunwu/base/errc.gen.hpp"

namespace cunwu {

/// The languages the product speaks; zh-CN first.
enum class Lang { zh, en };

/// A failure that is normal for the product (bad input, forbidden, conflict...).
struct Error {
  Errc code = Errc::internal;  ///< Catalogued code; decides the HTTP status and user message.
  std::string detail;          ///< Technical detail for logs; never shown to villagers as is.
  friend bool operator==(const Error&, const Error&) = default;
};

/// Builds an Error; `detail` says what exactly was wrong.
inline Error make_error(Errc code, std::string detail = {}) { return Error{code, std::move(detail)}; }

/// The catalogue row of `code` (name, HTTP status, messages).
const ErrcInfo& errc_info(Errc code);

/// The code's stable name, e.g. "not_resolved".
std::string_view errc_name(Errc code);

/// The HTTP status the code maps to (4xx for the user's mistakes, 5xx for ours).
int http_status(Errc code);

/// The message a villager reads, in `lang`.
std::string_view user_message(Errc code, Lang lang = Lang::zh);

/// Looks a code up by name; Errc::internal when the name is unknown.
Errc errc_from_name(std::string_view name);

}  // namespace cunwu
