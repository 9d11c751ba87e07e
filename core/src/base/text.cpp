#include "cunwu/base/text.hpp"

#include <cstdint>

namespace cunwu {

bool is_valid_utf8(std::string_view s) {
  std::size_t i = 0;
  const std::size_t n = s.size();
  while (i < n) {
    const auto c = static_cast<std::uint8_t>(s[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    int len = 0;
    std::uint32_t cp = 0, min = 0;
    if ((c & 0xE0) == 0xC0) { len = 2; cp = c & 0x1F; min = 0x80; }
    else if ((c & 0xF0) == 0xE0) { len = 3; cp = c & 0x0F; min = 0x800; }
    else if ((c & 0xF8) == 0xF0) { len = 4; cp = c & 0x07; min = 0x10000; }
    else return false;
    if (i + std::size_t(len) > n) return false;
    for (int k = 1; k < len; ++k) {
      const auto cc = static_cast<std::uint8_t>(s[i + std::size_t(k)]);
      if ((cc & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += std::size_t(len);
  }
  return true;
}

std::size_t utf8_length(std::string_view s) {
  std::size_t count = 0;
  for (char ch : s) {
    if ((static_cast<std::uint8_t>(ch) & 0xC0) != 0x80) ++count;
  }
  return count;
}

namespace {

// The C locale's white space: space, \t, \n, \v, \f, \r.
bool is_ascii_space(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

}  // namespace

std::string_view trim(std::string_view s) {
  constexpr std::string_view kIdeoSpace = "\xE3\x80\x80";  // U+3000, the full-width space
  for (;;) {
    if (!s.empty() && is_ascii_space(s.front())) {
      s.remove_prefix(1);
    } else if (s.starts_with(kIdeoSpace)) {
      s.remove_prefix(kIdeoSpace.size());
    } else {
      break;
    }
  }
  for (;;) {
    if (!s.empty() && is_ascii_space(s.back())) {
      s.remove_suffix(1);
    } else if (s.ends_with(kIdeoSpace)) {
      s.remove_suffix(kIdeoSpace.size());
    } else {
      break;
    }
  }
  return s;
}

Result<std::string> validate_text(std::string_view s, std::size_t max_chars, std::string_view field) {
  if (!is_valid_utf8(s)) return make_error(Errc::invalid_utf8, std::string(field) + " is not valid UTF-8");
  const std::string_view t = trim(s);
  if (t.empty()) return make_error(Errc::text_empty, std::string(field) + " is empty");
  if (utf8_length(t) > max_chars) {
    return make_error(Errc::text_too_long,
                      std::string(field) + " has more than " + std::to_string(max_chars) + " characters");
  }
  return std::string(t);
}

}  // namespace cunwu
