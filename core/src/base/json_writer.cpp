#include "cunwu/base/json_writer.hpp"

#include <charconv>

namespace cunwu {

JsonWriter& JsonWriter::key(std::string_view k) {
  comma();
  string(k);
  out_ += ':';
  first_ = true;  // the value that follows takes no comma
  return *this;
}

JsonWriter& JsonWriter::value(std::string_view s) {
  comma();
  string(s);
  return *this;
}

JsonWriter& JsonWriter::value(std::int64_t n) {
  comma();
  char buf[24];
  const auto r = std::to_chars(buf, buf + sizeof buf, n);
  out_.append(buf, r.ptr);
  return *this;
}

// The same escapes as nlohmann::json::dump(): the two-character forms for \b \f \n \r \t " \,
// \u00XX (lower-case hex) for the other control characters, UTF-8 copied as it is.
void JsonWriter::string(std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  out_ += '"';
  std::size_t run = 0;  // start of the pending run of characters copied unchanged
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out_.append(s.data() + run, i - run);
    run = i + 1;
    switch (c) {
      case '"': out_ += "\\\""; break;
      case '\\': out_ += "\\\\"; break;
      case '\b': out_ += "\\b"; break;
      case '\f': out_ += "\\f"; break;
      case '\n': out_ += "\\n"; break;
      case '\r': out_ += "\\r"; break;
      case '\t': out_ += "\\t"; break;
      default:
        out_ += "\\u00";
        out_ += kHex[c >> 4];
        out_ += kHex[c & 0xf];
    }
  }
  out_.append(s.data() + run, s.size() - run);
  out_ += '"';
}

}  // namespace cunwu
