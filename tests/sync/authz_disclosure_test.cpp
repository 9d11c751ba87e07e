// The authorization matrix of disclosure (公开) at the host: every person of the demo county ×
// every post and read-receipt op type, on posts of a village (their own or another), of a
// township and of the county. Each op is pushed as the person's device sends it, whatever their
// app would allow. Each is accepted or refused with the catalogued reason in the tables below; a
// refused op never changes its entity, and the same op sent under another person's login is
// refused as forged and not stored.
// Cells: ok (accepted), role (forbidden_role), scope (out_of_scope), or the catalogued code.
#include <gtest/gtest.h>

#include <algorithm>

#include "authz_support.hpp"
#include "cunwu/disclosure/domain.hpp"
#include "cunwu/disclosure/mask.hpp"
#include "cunwu/disclosure/service.hpp"

namespace cunwu {
namespace {

using oplog::Json;
using oplog::Visibility;
using testing::Row;

// What a scope's cells act on: a draft to edit, a draft to publish, and a published post with a
// question on it, all written by the cadre of that level.
struct PostTarget {
  RegionId scope;
  EntityId to_edit, to_publish, published;
  std::string question;
};

Json notice(const std::string& title) { return {{"title", title}, {"body", "请各位村民相互转告。"}}; }

PostTarget seed_scope(testing::TestHost& host, const char* scope, const char* cadre, const char* asker) {
  disclosure::Service svc(*host.replica);
  const UserId by(cadre);
  PostTarget t;
  t.scope = RegionId(scope);
  t.to_edit = testing::must(svc.draft(by, t.scope, disclosure::PostType::notice, notice("防汛值班安排（草稿）")));
  t.to_publish = testing::must(svc.draft(by, t.scope, disclosure::PostType::notice, notice("停电检修通知")));
  t.published = testing::must(svc.draft(by, t.scope, disclosure::PostType::notice, notice("秋季征兵公告")));
  EXPECT_TRUE(svc.publish(by, t.published));
  t.question = testing::must(svc.ask(UserId(asker), t.published, "报名截止到哪天？"));
  EXPECT_FALSE(t.question.empty());
  return t;
}

const std::vector<const char*> kPostOps = {"post.draft", "post.edit",   "post.publish", "post.amend",
                                           "post.ask",   "post.answer", "receipt.read"};

oplog::Op post_op(testing::TestHost& host, const PostTarget& t, std::size_t k, const std::string& actor) {
  const auto draft = *disclosure::Service(*host.replica).get(t.to_publish);
  std::string fresh = "post/new-in-" + t.scope.str();
  std::replace(fresh.begin(), fresh.end(), '/', '-');
  fresh.replace(0, 5, "post/");
  const struct {
    EntityId entity;
    Visibility visibility;
    Json payload;
  } cells[] = {
      {EntityId(fresh), Visibility::participants, {{"type", "notice"}, {"fields", notice("新的通知")}}},
      {t.to_edit, Visibility::participants, {{"fields", {{"title", "防汛值班安排（修改）"}}}}},
      {t.to_publish,
       Visibility::public_in_scope,
       {{"revision", draft.revision},
        {"type", "notice"},
        {"content", disclosure::mask_content(draft.type, draft.draft)}}},
      {t.published,
       Visibility::public_in_scope,
       {{"reason", "更正报名时间"}, {"fields", {{"body", "报名截止到9月30日。"}}}}},
      {t.published, Visibility::public_in_scope, {{"version", 1}, {"text", "身体条件有什么要求？"}}},
      {t.published, Visibility::public_in_scope, {{"question", t.question}, {"text", "9月30日截止。"}}},
      {disclosure::receipt_id(t.published, UserId(actor)),
       Visibility::participants,
       {{"post", t.published.str()}, {"version", 1}}},
  };
  return testing::crafted(actor, kPostOps[k], cells[k].entity, t.scope, cells[k].visibility, cells[k].payload);
}

// clang-format off
// Posts of 河山村 (qs/dq/hs). Drafting, editing, publishing, amending and answering are for the
// cadres of the post's own level (here the village's cadres, not the township's or county's
// staff); asking and reading are for anyone in its scope: residents of the village and people
// serving it or a region above it.
const std::vector<Row> kPostsHs = {
    //                draft    edit     publish  amend    ask      answer   read
    {"wang",         {"role",  "role",  "role",  "role",  "ok",    "role",  "ok"}},
    {"li",           {"role",  "role",  "role",  "role",  "ok",    "role",  "ok"}},
    {"chen",         {"role",  "role",  "role",  "role",  "ok",    "role",  "ok"}},
    {"sun",          {"role",  "role",  "role",  "role",  "scope", "role",  "scope"}},
    {"zhao",         {"role",  "role",  "role",  "role",  "scope", "role",  "scope"}},
    {"head-hs1",     {"role",  "role",  "role",  "role",  "ok",    "role",  "ok"}},
    {"grid-hs1",     {"role",  "role",  "role",  "role",  "ok",    "role",  "ok"}},
    {"head-hs2",     {"role",  "role",  "role",  "role",  "ok",    "role",  "ok"}},
    {"head-lj1",     {"role",  "role",  "role",  "role",  "scope", "role",  "scope"}},
    {"cadre-hs",     {"ok",    "ok",    "ok",    "ok",    "ok",    "ok",    "ok"}},
    {"cadre-hs2",    {"ok",    "ok",    "ok",    "ok",    "ok",    "ok",    "ok"}},
    {"cadre-lj",     {"scope", "scope", "scope", "scope", "scope", "scope", "scope"}},
    {"staff-dq",     {"role",  "role",  "role",  "role",  "ok",    "role",  "ok"}},
    {"staff-lh",     {"role",  "role",  "role",  "role",  "scope", "role",  "scope"}},
    {"staff-qs",     {"role",  "role",  "role",  "role",  "ok",    "role",  "ok"}},
    {"inspector-qs", {"role",  "role",  "role",  "role",  "ok",    "role",  "ok"}},
    {"deputy-dq",    {"role",  "role",  "role",  "role",  "ok",    "role",  "ok"}},
    {"shop-hs",      {"role",  "role",  "role",  "role",  "ok",    "role",  "ok"}},
    {"admin-qs",     {"role",  "role",  "role",  "role",  "ok",    "role",  "ok"}},
};

// Posts of 柳家村 (qs/lh/lj): another village, of another township.
const std::vector<Row> kPostsLj = {
    //                draft    edit     publish  amend    ask      answer   read
    {"wang",         {"role",  "role",  "role",  "role",  "scope", "role",  "scope"}},
    {"li",           {"role",  "role",  "role",  "role",  "scope", "role",  "scope"}},
    {"chen",         {"role",  "role",  "role",  "role",  "scope", "role",  "scope"}},
    {"sun",          {"role",  "role",  "role",  "role",  "scope", "role",  "scope"}},
    {"zhao",         {"role",  "role",  "role",  "role",  "ok",    "role",  "ok"}},
    {"head-hs1",     {"role",  "role",  "role",  "role",  "scope", "role",  "scope"}},
    {"grid-hs1",     {"role",  "role",  "role",  "role",  "scope", "role",  "scope"}},
    {"head-hs2",     {"role",  "role",  "role",  "role",  "scope", "role",  "scope"}},
    {"head-lj1",     {"role",  "role",  "role",  "role",  "ok",    "role",  "ok"}},
    {"cadre-hs",     {"scope", "scope", "scope", "scope", "scope", "scope", "scope"}},
    {"cadre-hs2",    {"scope", "scope", "scope", "scope", "scope", "scope", "scope"}},
    {"cadre-lj",     {"ok",    "ok",    "ok",    "ok",    "ok",    "ok",    "ok"}},
    {"staff-dq",     {"role",  "role",  "role",  "role",  "scope", "role",  "scope"}},
    {"staff-lh",     {"role",  "role",  "role",  "role",  "ok",    "role",  "ok"}},
    {"staff-qs",     {"role",  "role",  "role",  "role",  "ok",    "role",  "ok"}},
    {"inspector-qs", {"role",  "role",  "role",  "role",  "ok",    "role",  "ok"}},
    {"deputy-dq",    {"role",  "role",  "role",  "role",  "scope", "role",  "scope"}},
    {"shop-hs",      {"role",  "role",  "role",  "role",  "scope", "role",  "scope"}},
    {"admin-qs",     {"role",  "role",  "role",  "role",  "ok",    "role",  "ok"}},
};

// Posts of 大桥镇 (qs/dq), a township: written by its staff; village cadres of the township
// read them but do not write them.
const std::vector<Row> kPostsDq = {
    //                draft    edit     publish  amend    ask      answer   read
    {"wang",         {"role",  "role",  "role",  "role",  "ok",    "role",  "ok"}},
    {"li",           {"role",  "role",  "role",  "role",  "ok",    "role",  "ok"}},
    {"chen",         {"role",  "role",  "role",  "role",  "ok",    "role",  "ok"}},
    {"sun",          {"role",  "role",  "role",  "role",  "ok",    "role",  "ok"}},
    {"zhao",         {"role",  "role",  "role",  "role",  "scope", "role",  "scope"}},
    {"head-hs1",     {"role",  "role",  "role",  "role",  "ok",    "role",  "ok"}},
    {"grid-hs1",     {"role",  "role",  "role",  "role",  "ok",    "role",  "ok"}},
    {"head-hs2",     {"role",  "role",  "role",  "role",  "ok",    "role",  "ok"}},
    {"head-lj1",     {"role",  "role",  "role",  "role",  "scope", "role",  "scope"}},
    {"cadre-hs",     {"role",  "role",  "role",  "role",  "ok",    "role",  "ok"}},
    {"cadre-hs2",    {"role",  "role",  "role",  "role",  "ok",    "role",  "ok"}},
    {"cadre-lj",     {"role",  "role",  "role",  "role",  "scope", "role",  "scope"}},
    {"staff-dq",     {"ok",    "ok",    "ok",    "ok",    "ok",    "ok",    "ok"}},
    {"staff-lh",     {"scope", "scope", "scope", "scope", "scope", "scope", "scope"}},
    {"staff-qs",     {"role",  "role",  "role",  "role",  "ok",    "role",  "ok"}},
    {"inspector-qs", {"role",  "role",  "role",  "role",  "ok",    "role",  "ok"}},
    {"deputy-dq",    {"role",  "role",  "role",  "role",  "ok",    "role",  "ok"}},
    {"shop-hs",      {"role",  "role",  "role",  "role",  "ok",    "role",  "ok"}},
    {"admin-qs",     {"role",  "role",  "role",  "role",  "ok",    "role",  "ok"}},
};

// Posts of 青山县 (qs), the county: written by county staff, read by everyone in the county.
const std::vector<Row> kPostsQs = {
    //                draft    edit     publish  amend    ask      answer   read
    {"wang",         {"role",  "role",  "role",  "role",  "ok",    "role",  "ok"}},
    {"li",           {"role",  "role",  "role",  "role",  "ok",    "role",  "ok"}},
    {"chen",         {"role",  "role",  "role",  "role",  "ok",    "role",  "ok"}},
    {"sun",          {"role",  "role",  "role",  "role",  "ok",    "role",  "ok"}},
    {"zhao",         {"role",  "role",  "role",  "role",  "ok",    "role",  "ok"}},
    {"head-hs1",     {"role",  "role",  "role",  "role",  "ok",    "role",  "ok"}},
    {"grid-hs1",     {"role",  "role",  "role",  "role",  "ok",    "role",  "ok"}},
    {"head-hs2",     {"role",  "role",  "role",  "role",  "ok",    "role",  "ok"}},
    {"head-lj1",     {"role",  "role",  "role",  "role",  "ok",    "role",  "ok"}},
    {"cadre-hs",     {"role",  "role",  "role",  "role",  "ok",    "role",  "ok"}},
    {"cadre-hs2",    {"role",  "role",  "role",  "role",  "ok",    "role",  "ok"}},
    {"cadre-lj",     {"role",  "role",  "role",  "role",  "ok",    "role",  "ok"}},
    {"staff-dq",     {"role",  "role",  "role",  "role",  "ok",    "role",  "ok"}},
    {"staff-lh",     {"role",  "role",  "role",  "role",  "ok",    "role",  "ok"}},
    {"staff-qs",     {"ok",    "ok",    "ok",    "ok",    "ok",    "ok",    "ok"}},
    {"inspector-qs", {"role",  "role",  "role",  "role",  "ok",    "role",  "ok"}},
    {"deputy-dq",    {"role",  "role",  "role",  "role",  "ok",    "role",  "ok"}},
    {"shop-hs",      {"role",  "role",  "role",  "role",  "ok",    "role",  "ok"}},
    {"admin-qs",     {"role",  "role",  "role",  "role",  "ok",    "role",  "ok"}},
};
// clang-format on

struct Scope {
  const char* scope;
  const char* cadre;
  const char* asker;
  const std::vector<Row>* table;
};

const Scope kScopes[] = {{"qs/dq/hs", "cadre-hs", "wang", &kPostsHs},
                         {"qs/lh/lj", "cadre-lj", "zhao", &kPostsLj},
                         {"qs/dq", "staff-dq", "sun", &kPostsDq},
                         {"qs", "staff-qs", "chen", &kPostsQs}};

TEST(AuthzDisclosure, TablesCoverEveryPersonOfTheDemoCounty) {
  for (const auto& s : kScopes) testing::expect_every_person(*s.table, kPostOps.size(), s.scope);
}

TEST(AuthzDisclosure, EveryPersonTimesEveryDisclosureOpInAndOutOfScope) {
  for (const auto& [id, user] : testing::demo_directory().users()) {
    const std::string person = id.str();
    testing::TestHost host(testing::demo_start());
    std::vector<PostTarget> targets;
    for (const auto& s : kScopes) targets.push_back(seed_scope(host, s.scope, s.cadre, s.asker));
    testing::Pusher pusher(host);
    for (std::size_t i = 0; i < std::size(kScopes); ++i) {
      for (std::size_t k = 0; k < kPostOps.size(); ++k) {
        SCOPED_TRACE(person + " " + kPostOps[k] + " in " + kScopes[i].scope);
        testing::expect_cell(host, pusher, post_op(host, targets[i], k, person),
                             testing::expected_cell(*kScopes[i].table, person, k));
      }
    }
  }
}

}  // namespace
}  // namespace cunwu
