#include "digest.hpp"

#include <openssl/evp.h>
#include <sodium.h>

#include <new>

namespace cunwu::host {
namespace {

// Fetched once: EVP_sha256() would look the algorithm up in the provider again at every start.
const EVP_MD* sha256_md() {
  static EVP_MD* md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  return md;
}

// libcrypto fails these only without memory, or without its default provider (a broken install).
void must(int ok) {
  if (ok != 1) throw std::bad_alloc();
}

}  // namespace

Sha256::Sha256() : ctx_(EVP_MD_CTX_new()) {
  if (ctx_ == nullptr || sha256_md() == nullptr) {
    EVP_MD_CTX_free(ctx_);
    throw std::bad_alloc();
  }
  must(EVP_DigestInit_ex2(ctx_, sha256_md(), nullptr));
}

Sha256::~Sha256() { EVP_MD_CTX_free(ctx_); }

Sha256& Sha256::update(const void* data, std::size_t n) {
  must(EVP_DigestUpdate(ctx_, data, n));
  return *this;
}

Digest Sha256::finish() {
  Digest out;
  unsigned int n = 0;
  must(EVP_DigestFinal_ex(ctx_, out.data(), &n));
  must(EVP_DigestInit_ex2(ctx_, sha256_md(), nullptr));
  return out;
}

std::string hex(const unsigned char* data, std::size_t n) {
  std::string out(n * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), data, n);
  out.pop_back();
  return out;
}

Digest sha256(std::string_view bytes) {
  thread_local Sha256 h;
  return h.update(bytes).finish();
}

std::string sha256_hex(std::string_view bytes) {
  const auto d = sha256(bytes);
  return hex(d.data(), d.size());
}

}  // namespace cunwu::host
