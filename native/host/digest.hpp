#pragma once
// Hex and SHA-256 as the host writes them everywhere: session token hashes, chain links, keys,
// blob names. SHA-256 is OpenSSL's (libcrypto, which cpp-httplib links already): it uses the
// CPU's SHA instructions where there are some, several times faster than libsodium's portable
// code, and the chain hashes every op the host accepts.
#include <openssl/types.h>

#include <array>
#include <cstddef>
#include <string>
#include <string_view>

namespace cunwu::host {

/// A SHA-256 digest.
using Digest = std::array<unsigned char, 32>;

/// SHA-256 fed in pieces: `update` any number of times, then `finish`, which starts it afresh
/// for the next message. One object per thread. Throws std::bad_alloc when libcrypto cannot
/// allocate its context (the only way it fails).
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  Sha256& update(const void* data, std::size_t n);
  Sha256& update(std::string_view bytes) { return update(bytes.data(), bytes.size()); }
  /// The digest of everything fed since the last `finish`.
  Digest finish();

 private:
  EVP_MD_CTX* ctx_;
};

/// `n` bytes at `data` as 2n lowercase hex digits.
std::string hex(const unsigned char* data, std::size_t n);
/// SHA-256 of `bytes`.
Digest sha256(std::string_view bytes);
/// SHA-256 of `bytes` as 64 lowercase hex digits.
std::string sha256_hex(std::string_view bytes);

}  // namespace cunwu::host
