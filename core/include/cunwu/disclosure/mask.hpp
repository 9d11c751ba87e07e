#pragma once
// 脱敏 — the one masking function for personal data in published views of assistance lists.
//
// The rule (applied to every published version of an assistance list, and again to every view
// a query returns, so a list can never be shown unmasked):
// - ID numbers (居民身份证号): the first 6 characters (the area code of the issuing county,
//   which the list's village shares anyway) and the last 4 are kept, every character between
//   them becomes '*': 110101199003071234 → 110101********1234. In free text, an 18-character
//   ID (17 digits + a digit or X) and an old 15-digit ID are recognised.
// - Mobile numbers (手机号): the first 3 and last 4 digits are kept: 13812341234 → 138****1234.
//   In free text an 11-digit number starting 13..19 is recognised.
// - In the structured fields id_number and phone, a value that does not look like either is
//   masked the same way if long enough (first 3 + last 4 for ≤ 11 characters, first 6 + last 4
//   above), or replaced by stars entirely when 7 characters or shorter.
// - Names, amounts, household sizes stay visible: 公示 names who receives assistance.
// Digits are only treated as an ID or phone when the run is not part of a longer digit run.
// Masking is idempotent: a masked text is returned unchanged.
#include <string>
#include <string_view>

#include "cunwu/disclosure/types.hpp"

namespace cunwu::disclosure {

/// Masks an ID number held in an id_number field (see the rule above).
std::string mask_id_number(std::string_view id);
/// Masks a phone number held in a phone field.
std::string mask_phone(std::string_view phone);
/// Masks every ID number and mobile number pattern found in free text (valid UTF-8 in, out).
std::string mask_text(std::string_view text);
/// The published view of content of type `t`: for assistance lists, masks id_number and phone
/// of every entry and every ID/phone pattern in every text field; other types are unchanged.
Json mask_content(PostType t, const Json& content);

}  // namespace cunwu::disclosure
