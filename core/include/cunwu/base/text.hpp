#pragma once
// Validation of text that people type: UTF-8, length in characters, trimming.
#include <cstddef>
#include <string>
#include <string_view>

#include "cunwu/base/result.hpp"

namespace cunwu {

/// True when `s` is well-formed UTF-8 (no overlongs, surrogates or values past U+10FFFF).
bool is_valid_utf8(std::string_view s);

/// Number of Unicode code points in valid UTF-8 `s`.
std::size_t utf8_length(std::string_view s);

/// `s` without leading and trailing ASCII and ideographic (U+3000) white space.
std::string_view trim(std::string_view s);

/// Checks typed text: valid UTF-8 (invalid_utf8), not blank (text_empty), at most `max_chars`
/// characters (text_too_long). Returns the trimmed text.
Result<std::string> validate_text(std::string_view s, std::size_t max_chars, std::string_view field);

}  // namespace cunwu
