#include "gzip.hpp"

#include <libdeflate.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <memory>

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
  // libdeflate compresses a whole buffer in one call: on a snapshot of 10k ops (6.3 MB) it took
  // 28-32 ms here against zlib's fastest level's 31-45, and its output was 5% smaller.
  const std::unique_ptr<libdeflate_compressor, void (*)(libdeflate_compressor*)> c(libdeflate_alloc_compressor(1),
                                                                                   libdeflate_free_compressor);
  if (!c) return make_error(Errc::internal, "libdeflate_alloc_compressor");
  std::string out(libdeflate_gzip_compress_bound(c.get(), data.size()), '\0');
  const std::size_t written = libdeflate_gzip_compress(c.get(), data.data(), data.size(), out.data(), out.size());
  if (written == 0) return make_error(Errc::internal, "libdeflate_gzip_compress: no room");
  out.resize(written);
  return out;
}

}  // namespace cunwu::host
