// xxh64 is the published XXH64: the vectors are xxhash's own (libxxhash 0.8.1), across the
// input lengths its code paths split at (under 4, 8 and 32 bytes, and whole 32-byte stripes).
#include <gtest/gtest.h>

#include "cunwu/base/hash64.hpp"

namespace cunwu {
namespace {

TEST(Hash64, MatchesXxhash) {
  EXPECT_EQ(xxh64(""), 0xef46db3751d8e999ULL);
  EXPECT_EQ(xxh64("a"), 0xd24ec4f1a98c6e5bULL);
  EXPECT_EQ(xxh64("abc"), 0x44bc2cf5ad770999ULL);
  EXPECT_EQ(xxh64("abc", 1), 0xbea9ca8199328908ULL);
  EXPECT_EQ(xxh64("Nobody inspects the spammish repetition"), 0xfbcea83c8a378bf1ULL);
  EXPECT_EQ(xxh64("0123456789abcdef0123456789abcdef0123"), 0xc4255ba3d1af5461ULL);
  EXPECT_EQ(xxh64_digest("abc"), "xxh64:44bc2cf5ad770999");
}

TEST(Hash64, OneFlippedBitChangesIt) {
  std::string bytes(1 << 16, 'x');
  const auto before = xxh64(bytes);
  bytes[12345] = char(bytes[12345] ^ 0x10);
  EXPECT_NE(xxh64(bytes), before);
}

}  // namespace
}  // namespace cunwu
