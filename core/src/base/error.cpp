#include "cunwu/base/error.hpp"

#include <iterator>

namespace cunwu {

const ErrcInfo& errc_info(Errc code) {
  const auto index = static_cast<std::size_t>(code) - 1;
  if (index >= std::size(kErrcTable)) return errc_info(Errc::internal);
  return kErrcTable[index];
}

std::string_view errc_name(Errc code) { return errc_info(code).name; }

int http_status(Errc code) { return errc_info(code).http_status; }

std::string_view user_message(Errc code, Lang lang) {
  const auto& info = errc_info(code);
  return lang == Lang::zh ? info.zh : info.en;
}

Errc errc_from_name(std::string_view name) {
  for (const auto& row : kErrcTable) {
    if (name == row.name) return row.code;
  }
  return Errc::internal;
}

}  // namespace cunwu
