#pragma once
// Hex and SHA-256 (libsodium) as the host writes them everywhere: session token hashes, chain
// links, keys, blob names.
#include <cstddef>
#include <string>
#include <string_view>

namespace cunwu::host {

/// `n` bytes at `data` as 2n lowercase hex digits.
std::string hex(const unsigned char* data, std::size_t n);
/// SHA-256 of `bytes` as 64 lowercase hex digits.
std::string sha256_hex(std::string_view bytes);

}  // namespace cunwu::host
