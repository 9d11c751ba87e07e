#pragma once
// A fast 64-bit checksum of bytes (XXH64), to tell that a large image arrived exactly as it was
// sent without re-checking its structure on a phone.
#include <cstdint>
#include <string>
#include <string_view>

namespace cunwu {

/// XXH64 of `data` with `seed` (the published algorithm: equal to xxhash's XXH64). Not a
/// defence against someone who can choose the bytes; it detects accidental damage.
std::uint64_t xxh64(std::string_view data, std::uint64_t seed = 0);

/// "xxh64:" and the 16 lower-case hex digits of xxh64(data): the form a host sends it in.
std::string xxh64_digest(std::string_view data);

}  // namespace cunwu
