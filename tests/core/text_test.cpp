// Text that people type: UTF-8 validity, length in characters, trimming, validate_text errors.
#include "cunwu/base/text.hpp"

#include <gtest/gtest.h>

#include <string>

namespace cunwu {
namespace {

std::string repeat(std::string_view unit, std::size_t n) {
  std::string out;
  out.reserve(unit.size() * n);
  for (std::size_t i = 0; i < n; ++i) out += unit;
  return out;
}

TEST(Utf8, AcceptsAsciiChineseAndEmoji) {
  EXPECT_TRUE(is_valid_utf8(""));
  EXPECT_TRUE(is_valid_utf8("road is broken"));
  EXPECT_TRUE(is_valid_utf8("村口的路灯坏了三天了"));
  EXPECT_TRUE(is_valid_utf8("谢谢院长👍"));
  EXPECT_TRUE(is_valid_utf8("\xC2\xA9"));          // U+00A9, smallest-but-one 2-byte range
  EXPECT_TRUE(is_valid_utf8("\xE0\xA0\x80"));      // U+0800, smallest 3-byte
  EXPECT_TRUE(is_valid_utf8("\xED\x9F\xBF"));      // U+D7FF, just below the surrogates
  EXPECT_TRUE(is_valid_utf8("\xEE\x80\x80"));      // U+E000, just above the surrogates
  EXPECT_TRUE(is_valid_utf8("\xF0\x90\x80\x80"));  // U+10000, smallest 4-byte
  EXPECT_TRUE(is_valid_utf8("\xF4\x8F\xBF\xBF"));  // U+10FFFF, the largest code point
}

TEST(Utf8, RejectsOverlongEncodings) {
  EXPECT_FALSE(is_valid_utf8("\xC0\xAF"));          // '/' in two bytes
  EXPECT_FALSE(is_valid_utf8("\xC1\xBF"));          // U+007F in two bytes
  EXPECT_FALSE(is_valid_utf8("\xE0\x80\xAF"));      // '/' in three bytes
  EXPECT_FALSE(is_valid_utf8("\xE0\x9F\xBF"));      // U+07FF in three bytes
  EXPECT_FALSE(is_valid_utf8("\xF0\x80\x80\xAF"));  // '/' in four bytes
  EXPECT_FALSE(is_valid_utf8("\xF0\x8F\xBF\xBF"));  // U+FFFF in four bytes
  EXPECT_FALSE(is_valid_utf8(std::string("\xC0\x80", 2)));  // "modified UTF-8" NUL
}

TEST(Utf8, RejectsSurrogates) {
  EXPECT_FALSE(is_valid_utf8("\xED\xA0\x80"));  // U+D800
  EXPECT_FALSE(is_valid_utf8("\xED\xBF\xBF"));  // U+DFFF
  EXPECT_FALSE(is_valid_utf8("\xED\xA0\xBD\xED\xB8\x80"));  // CESU-8 pair for an emoji
}

TEST(Utf8, RejectsValuesPastTheLastCodePoint) {
  EXPECT_FALSE(is_valid_utf8("\xF4\x90\x80\x80"));  // U+110000
  EXPECT_FALSE(is_valid_utf8("\xF7\xBF\xBF\xBF"));
  EXPECT_FALSE(is_valid_utf8("\xF8\x88\x80\x80\x80"));  // old 5-byte form
  EXPECT_FALSE(is_valid_utf8("\xFC\x84\x80\x80\x80\x80"));  // old 6-byte form
  EXPECT_FALSE(is_valid_utf8("\xFE"));
  EXPECT_FALSE(is_valid_utf8("\xFF"));
}

TEST(Utf8, RejectsTruncatedAndStrayBytes) {
  const std::string han = "村";  // E6 9D 91
  EXPECT_FALSE(is_valid_utf8(han.substr(0, 1)));
  EXPECT_FALSE(is_valid_utf8(han.substr(0, 2)));
  EXPECT_FALSE(is_valid_utf8("路灯" + han.substr(0, 2)));          // cut at the end of a message
  EXPECT_FALSE(is_valid_utf8(han.substr(0, 2) + "路灯"));          // cut, then more text
  EXPECT_FALSE(is_valid_utf8(std::string("👍").substr(0, 3)));
  EXPECT_FALSE(is_valid_utf8("\x9D"));                              // a lone continuation byte
  EXPECT_FALSE(is_valid_utf8("ok\x80ok"));
  EXPECT_FALSE(is_valid_utf8("\xE6\x9D" "a"));                     // continuation replaced by ASCII
  EXPECT_FALSE(is_valid_utf8("\xC3\xA9\xA9"));                     // one continuation too many
}

TEST(Utf8, AcceptsEmbeddedNul) {
  EXPECT_TRUE(is_valid_utf8(std::string("a\0b", 3)));
}

TEST(Utf8Length, CountsCodePointsNotBytes) {
  EXPECT_EQ(utf8_length(""), 0u);
  EXPECT_EQ(utf8_length("abc"), 3u);
  EXPECT_EQ(utf8_length("村务"), 2u);
  EXPECT_EQ(std::string("村务").size(), 6u);
  EXPECT_EQ(utf8_length("👍"), 1u);
  EXPECT_EQ(utf8_length("王秀英: 路灯坏了👍"), 10u);
  EXPECT_EQ(utf8_length("\xC2\xA9"), 1u);
}

TEST(Trim, RemovesAsciiWhiteSpace) {
  EXPECT_EQ(trim("  路灯坏了 \t\r\n"), "路灯坏了");
  EXPECT_EQ(trim("\n\nabc"), "abc");
  EXPECT_EQ(trim("abc"), "abc");
  EXPECT_EQ(trim(""), "");
  EXPECT_EQ(trim(" \t\r\n "), "");
}

// Regression: the contract says ASCII white space, but \v and \f were kept, so a text of
// only form feeds passed as not blank.
TEST(Trim, RemovesEveryAsciiWhiteSpace) {
  EXPECT_EQ(trim("\v\f 路灯 \f\v"), "路灯");
  EXPECT_EQ(validate_text("\f\v", 100, "text").code(), Errc::text_empty);
  // Other control characters are not white space.
  EXPECT_EQ(trim("\x01" "a" "\x0E"), "\x01" "a" "\x0E");
}

TEST(Trim, RemovesFullWidthSpace) {
  const std::string ideo = "\xE3\x80\x80";  // U+3000
  EXPECT_EQ(trim(ideo + "路灯坏了" + ideo + ideo), "路灯坏了");
  EXPECT_EQ(trim(ideo + " " + ideo + "路灯" + " " + ideo + "\n"), "路灯");
  EXPECT_EQ(trim(ideo + ideo), "");
}

TEST(Trim, KeepsInnerSpaceAndOtherCharacters) {
  const std::string ideo = "\xE3\x80\x80";
  EXPECT_EQ(trim(" 路灯" + ideo + "坏了 "), "路灯" + ideo + "坏了");
  EXPECT_EQ(trim("  a b  "), "a b");
  // U+3001 (the ideographic comma) shares the first two bytes with U+3000 but is not space.
  EXPECT_EQ(trim("\xE3\x80\x81"), "\xE3\x80\x81");
  // A lone lead byte of U+3000 at the edge is not a space either.
  EXPECT_EQ(trim("x\xE3\x80"), "x\xE3\x80");
}

TEST(ValidateText, ReturnsTrimmedText) {
  auto r = validate_text("\xE3\x80\x80  村口路灯坏了 \n", 100, "text");
  ASSERT_TRUE(r.ok()) << r.error().detail;
  EXPECT_EQ(*r, "村口路灯坏了");
}

TEST(ValidateText, RejectsInvalidUtf8) {
  auto r = validate_text("路灯\xFF", 100, "text");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, Errc::invalid_utf8);
  EXPECT_NE(r.error().detail.find("text"), std::string::npos) << "the detail names the field";
  // Invalid UTF-8 wins over emptiness: the villager must retype, not just add words.
  EXPECT_EQ(validate_text("  \xC0\xAF  ", 100, "text").code(), Errc::invalid_utf8);
}

TEST(ValidateText, RejectsBlankText) {
  EXPECT_EQ(validate_text("", 100, "text").code(), Errc::text_empty);
  EXPECT_EQ(validate_text("   ", 100, "text").code(), Errc::text_empty);
  EXPECT_EQ(validate_text("\t\r\n", 100, "text").code(), Errc::text_empty);
  EXPECT_EQ(validate_text("\xE3\x80\x80\xE3\x80\x80", 100, "text").code(), Errc::text_empty);
  EXPECT_EQ(validate_text(" \xE3\x80\x80\n", 100, "reply").code(), Errc::text_empty);
}

TEST(ValidateText, LimitCountsCharactersNotBytes) {
  const std::string ok = repeat("路", 2000);  // 6000 bytes
  auto r = validate_text(ok, 2000, "text");
  ASSERT_TRUE(r.ok()) << r.error().detail;
  EXPECT_EQ(utf8_length(*r), 2000u);

  const std::string too_long = repeat("路", 2001);
  auto bad = validate_text(too_long, 2000, "text");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, Errc::text_too_long);

  EXPECT_TRUE(validate_text(repeat("👍", 10), 10, "text").ok());
  EXPECT_EQ(validate_text(repeat("👍", 11), 10, "text").code(), Errc::text_too_long);
}

TEST(ValidateText, LimitAppliesAfterTrimming) {
  const std::string padded = "   " + repeat("路", 2000) + "\xE3\x80\x80\xE3\x80\x80";
  auto r = validate_text(padded, 2000, "text");
  ASSERT_TRUE(r.ok()) << r.error().detail;
  EXPECT_EQ(utf8_length(*r), 2000u);
}

}  // namespace
}  // namespace cunwu
