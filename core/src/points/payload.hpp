#pragma once
// Payload readers shared by the points domains (internal to core/src/points).
#include <string>
#include <vector>

#include "cunwu/points/types.hpp"

namespace cunwu::points::detail {

/// A required string field; `code` when missing or not a string.
Result<std::string> string_field(const Json& p, const char* key, Errc code);
/// A required typed text (text_empty, invalid_utf8, text_too_long, invalid_input if not text).
Result<std::string> required_text(const Json& p, const char* key, std::size_t max);
/// An optional typed text: "" when absent, null or blank.
Result<std::string> optional_text(const Json& p, const char* key, std::size_t max);
/// Optional photos [{kind: "photo", sha256: 64 hex}], at most `max`. Error invalid_attachment.
Result<std::vector<appeals::Attachment>> photos_field(const Json& p, std::size_t max);
/// The region one level up from a path id ("qs/dq/hs/y1" -> "qs/dq/hs").
RegionId parent_of(const RegionId& id);
/// The text after "<kind>/" in an entity id.
std::string entity_key(const EntityId& id, std::string_view kind);

}  // namespace cunwu::points::detail
