// gzip for large answers (a new device's snapshot): phones on a slow link get a tenth of the bytes.
#pragma once

#include <string>
#include <string_view>

#include "cunwu/base/result.hpp"

namespace cunwu::host {

/// Whether an Accept-Encoding header value accepts `coding` (its token or "*", without q=0);
/// `coding` is lower case.
bool accepts_encoding(std::string_view accept_encoding, std::string_view coding);

/// Whether an Accept-Encoding header value accepts gzip (a token "gzip", without q=0).
bool accepts_gzip(std::string_view accept_encoding);

/// `data` as one gzip member (RFC 1952), at libdeflate's fastest level: the host compresses while
/// a device waits, and the fastest level already takes a SQLite image to about a tenth.
/// Error: internal (libdeflate failed).
Result<std::string> gzip(std::string_view data);

}  // namespace cunwu::host
