// The one error catalogue: names, HTTP statuses and messages in both languages.
#include "cunwu/base/error.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <iterator>
#include <set>
#include <string>

#include "cunwu/base/text.hpp"

namespace cunwu {
namespace {

bool has_non_ascii(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) >= 0x80; });
}

TEST(ErrorCatalog, RowsAreInEnumOrder) {
  std::size_t i = 0;
  for (const auto& row : kErrcTable) {
    EXPECT_EQ(static_cast<std::size_t>(row.code), i + 1) << row.name;
    EXPECT_EQ(&errc_info(row.code), &row) << row.name;
    ++i;
  }
  EXPECT_GE(i, 30u) << "the catalogue lost rows";
}

TEST(ErrorCatalog, NamesAreUniqueAndWellFormed) {
  std::set<std::string> names;
  for (const auto& row : kErrcTable) {
    const std::string name = row.name;
    EXPECT_TRUE(names.insert(name).second) << "duplicate name " << name;
    ASSERT_FALSE(name.empty());
    EXPECT_TRUE(std::all_of(name.begin(), name.end(),
                            [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; }))
        << name;
    EXPECT_EQ(errc_name(row.code), name);
  }
}

TEST(ErrorCatalog, EveryCodeMapsToAnErrorStatus) {
  for (const auto& row : kErrcTable) {
    const int status = http_status(row.code);
    EXPECT_GE(status, 400) << row.name;
    EXPECT_LE(status, 599) << row.name;
  }
}

TEST(ErrorCatalog, StatusesFollowWhoseFaultItIs) {
  EXPECT_EQ(http_status(Errc::invalid_json), 400);
  EXPECT_EQ(http_status(Errc::text_too_long), 400);
  EXPECT_EQ(http_status(Errc::forbidden_role), 403);
  EXPECT_EQ(http_status(Errc::out_of_scope), 403);
  EXPECT_EQ(http_status(Errc::not_found), 404);
  EXPECT_EQ(http_status(Errc::invalid_transition), 409);
  EXPECT_GE(http_status(Errc::storage_error), 500);
  EXPECT_GE(http_status(Errc::internal), 500);
}

TEST(ErrorCatalog, EveryCodeHasMessagesInBothLanguages) {
  for (const auto& row : kErrcTable) {
    const std::string_view zh = user_message(row.code, Lang::zh);
    const std::string_view en = user_message(row.code, Lang::en);
    EXPECT_FALSE(trim(zh).empty()) << row.name;
    EXPECT_FALSE(trim(en).empty()) << row.name;
    EXPECT_TRUE(is_valid_utf8(zh)) << row.name;
    EXPECT_TRUE(is_valid_utf8(en)) << row.name;
    EXPECT_TRUE(has_non_ascii(zh)) << row.name << ": the zh message is not Chinese: " << zh;
    EXPECT_NE(zh, en) << row.name;
    // A villager should never read the code's identifier instead of a sentence.
    EXPECT_NE(en, std::string_view(row.name)) << row.name;
  }
}

TEST(ErrorCatalog, UserMessagePicksTheLanguage) {
  EXPECT_EQ(user_message(Errc::not_found, Lang::zh), errc_info(Errc::not_found).zh);
  EXPECT_EQ(user_message(Errc::not_found, Lang::en), errc_info(Errc::not_found).en);
  EXPECT_EQ(user_message(Errc::not_found), user_message(Errc::not_found, Lang::zh)) << "zh is the default";
  EXPECT_EQ(user_message(Errc::text_empty, Lang::zh), "内容不能为空，请写几句话说明情况。");
  EXPECT_EQ(user_message(Errc::text_empty, Lang::en), "Please write a few words; the text cannot be empty.");
}

TEST(ErrorCatalog, NamesRoundTrip) {
  for (const auto& row : kErrcTable) {
    EXPECT_EQ(errc_from_name(errc_name(row.code)), row.code) << row.name;
  }
  EXPECT_EQ(errc_from_name("not_resolved"), Errc::not_resolved);
  EXPECT_EQ(errc_from_name("op_rejected"), Errc::op_rejected);
}

TEST(ErrorCatalog, UnknownNamesMapToInternal) {
  EXPECT_EQ(errc_from_name(""), Errc::internal);
  EXPECT_EQ(errc_from_name("no_such_code"), Errc::internal);
  EXPECT_EQ(errc_from_name("NOT_FOUND"), Errc::internal) << "names are case-sensitive";
  EXPECT_EQ(errc_from_name("not_found "), Errc::internal);
  EXPECT_EQ(errc_from_name("not_foun"), Errc::internal);
}

TEST(ErrorCatalog, OutOfRangeCodesFallBackToInternal) {
  const auto zero = static_cast<Errc>(0);
  const auto past_end = static_cast<Errc>(std::size(kErrcTable) + 1);
  EXPECT_EQ(errc_name(zero), "internal");
  EXPECT_EQ(errc_name(past_end), "internal");
  EXPECT_EQ(http_status(past_end), http_status(Errc::internal));
  EXPECT_EQ(user_message(past_end, Lang::en), user_message(Errc::internal, Lang::en));
}

TEST(ErrorCatalog, MakeErrorKeepsCodeAndDetail) {
  const Error e = make_error(Errc::out_of_scope, "wang files outside qs/dq/hs/y2");
  EXPECT_EQ(e.code, Errc::out_of_scope);
  EXPECT_EQ(e.detail, "wang files outside qs/dq/hs/y2");
  EXPECT_EQ(e, (Error{Errc::out_of_scope, "wang files outside qs/dq/hs/y2"}));
  EXPECT_NE(e, (Error{Errc::out_of_scope, "other"}));
  EXPECT_EQ(Error{}.code, Errc::internal);
}

}  // namespace
}  // namespace cunwu
