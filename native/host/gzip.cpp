#include "gzip.hpp"

#include <zlib.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>

namespace cunwu::host {

bool accepts_encoding(std::string_view header, std::string_view coding_wanted) {
  std::size_t at = 0;
  while (at <= header.size()) {
    const std::size_t end = std::min(header.find(',', at), header.size());
    std::string token(header.substr(at, end - at));
    at = end + 1;
    for (auto& c : token) c = char(std::tolower(static_cast<unsigned char>(c)));
    token.erase(std::remove(token.begin(), token.end(), ' '), token.end());
    const std::string coding = token.substr(0, token.find(';'));
    if (coding != coding_wanted && coding != "*") continue;
    const auto q = token.find(";q=");
    return q == std::string::npos || std::strtod(token.c_str() + q + 3, nullptr) > 0;
  }
  return false;
}

bool accepts_gzip(std::string_view header) { return accepts_encoding(header, "gzip"); }

Result<std::string> gzip(std::string_view data) {
  z_stream z{};
  // 15 + 16: a gzip header and trailer rather than zlib's.
  if (deflateInit2(&z, Z_BEST_SPEED, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
    return make_error(Errc::internal, "deflateInit2");
  }
  std::string out(deflateBound(&z, uLong(data.size())), '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = uInt(data.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = uInt(out.size());
  const int rc = deflate(&z, Z_FINISH);
  const auto written = z.total_out;
  deflateEnd(&z);
  if (rc != Z_STREAM_END) return make_error(Errc::internal, "deflate " + std::to_string(rc));
  out.resize(written);
  return out;
}

}  // namespace cunwu::host
