#include "cunwu/base/hash64.hpp"

#include <bit>
#include <cstring>

namespace cunwu {
namespace {

constexpr std::uint64_t kXxhP1 = 0x9E3779B185EBCA87ULL;
constexpr std::uint64_t kXxhP2 = 0xC2B2AE3D27D4EB4FULL;
constexpr std::uint64_t kXxhP3 = 0x165667B19E3779F9ULL;
constexpr std::uint64_t kXxhP4 = 0x85EBCA77C2B2AE63ULL;
constexpr std::uint64_t kXxhP5 = 0x27D4EB2F165667C5ULL;

constexpr std::uint64_t xxh_rotl(std::uint64_t x, int r) { return (x << r) | (x >> (64 - r)); }

// Little-endian loads (the algorithm's byte order; WebAssembly and x86 are little-endian, and
// memcpy compiles to one load).
std::uint64_t xxh_read64(const unsigned char* p) {
  std::uint64_t v;
  std::memcpy(&v, p, 8);
  if constexpr (std::endian::native == std::endian::big) v = __builtin_bswap64(v);
  return v;
}
std::uint32_t xxh_read32(const unsigned char* p) {
  std::uint32_t v;
  std::memcpy(&v, p, 4);
  if constexpr (std::endian::native == std::endian::big) v = __builtin_bswap32(v);
  return v;
}

std::uint64_t xxh_round(std::uint64_t acc, std::uint64_t input) { return xxh_rotl(acc + input * kXxhP2, 31) * kXxhP1; }
std::uint64_t xxh_merge(std::uint64_t acc, std::uint64_t v) { return (acc ^ xxh_round(0, v)) * kXxhP1 + kXxhP4; }

}  // namespace

std::uint64_t xxh64(std::string_view data, std::uint64_t seed) {
  const auto* p = reinterpret_cast<const unsigned char*>(data.data());
  const auto* const end = p + data.size();
  std::uint64_t h;
  if (data.size() >= 32) {
    std::uint64_t v1 = seed + kXxhP1 + kXxhP2, v2 = seed + kXxhP2, v3 = seed, v4 = seed - kXxhP1;
    for (; end - p >= 32; p += 32) {
      v1 = xxh_round(v1, xxh_read64(p));
      v2 = xxh_round(v2, xxh_read64(p + 8));
      v3 = xxh_round(v3, xxh_read64(p + 16));
      v4 = xxh_round(v4, xxh_read64(p + 24));
    }
    h = xxh_rotl(v1, 1) + xxh_rotl(v2, 7) + xxh_rotl(v3, 12) + xxh_rotl(v4, 18);
    h = xxh_merge(xxh_merge(xxh_merge(xxh_merge(h, v1), v2), v3), v4);
  } else {
    h = seed + kXxhP5;
  }
  h += std::uint64_t(data.size());
  for (; end - p >= 8; p += 8) h = xxh_rotl(h ^ xxh_round(0, xxh_read64(p)), 27) * kXxhP1 + kXxhP4;
  if (end - p >= 4) {
    h = xxh_rotl(h ^ (std::uint64_t(xxh_read32(p)) * kXxhP1), 23) * kXxhP2 + kXxhP3;
    p += 4;
  }
  for (; p < end; ++p) h = xxh_rotl(h ^ (std::uint64_t(*p) * kXxhP5), 11) * kXxhP1;
  h ^= h >> 33;
  h *= kXxhP2;
  h ^= h >> 29;
  h *= kXxhP3;
  h ^= h >> 32;
  return h;
}

std::string xxh64_digest(std::string_view data) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "xxh64:";
  const std::uint64_t h = xxh64(data);
  for (int shift = 60; shift >= 0; shift -= 4) out += kHex[(h >> shift) & 0xF];
  return out;
}

}  // namespace cunwu
