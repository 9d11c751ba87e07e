// The C API of the WebAssembly core, part 3: disclosure (村务公开). Contract and envelope: see
// bindings_support.hpp. Commands author one op of `actor` at device time `now_ms`, offline; it
// syncs with the next round trip.
//
// Sections: helpers | reading (list, one post, versions, search) | commands.
#include "bindings_support.hpp"

#include "cunwu/disclosure/content.hpp"
#include "cunwu/disclosure/service.hpp"

namespace {

using cunwu::EntityId;
using cunwu::Errc;
using cunwu::RegionId;
using cunwu::Result;
using cunwu::UserId;
using cunwu::web::answer;
using cunwu::web::device;
using cunwu::web::device_at;
using cunwu::web::int_arg;
using cunwu::web::parse_json;
using Json = nlohmann::json;
namespace disclosure = cunwu::disclosure;

// One line of a reader's list: what the card shows, without the texts.
Json listing_json(const disclosure::Listing& l) {
  const auto& p = l.post;
  int unanswered = 0;
  for (const auto& q : p.questions) unanswered += q.answers.empty();
  Json j{{"id", p.id.str()},
         {"type", disclosure::name(p.type)},
         {"status", disclosure::name(p.status)},
         {"scope", p.scope.str()},
         {"title", p.title()},
         {"versions", p.versions.size()},
         {"published_at", p.versions.empty() ? Json(nullptr) : Json(p.versions.front().at.ms)},
         {"updated_at", p.versions.empty() ? Json(nullptr) : Json(p.versions.back().at.ms)},
         {"questions", p.questions.size()},
         {"unanswered", unanswered},
         {"read_version", l.read_version},
         {"unread", l.unread()}};
  if (p.type == disclosure::PostType::policy) j["category"] = p.content().value("category", "");
  return j;
}

// A finance record's totals as the core computes them, or null for other content.
Json finance_totals(disclosure::PostType type, const Json& content) {
  if (type != disclosure::PostType::finance) return nullptr;
  auto f = disclosure::finance_of(content);
  if (!f) return nullptr;  // a draft may be incomplete
  return Json{{"income", f->total_income().value},
              {"spending", f->total_spending().value},
              {"expected_closing", f->expected_closing().value},
              {"balanced", f->expected_closing() == f->closing}};
}

// The post with each version's computed figures ("totals") beside its content.
Json post_json(const disclosure::Post& p) {
  Json j = disclosure::to_json(p);
  for (auto& v : j["versions"]) v["totals"] = finance_totals(p.type, v["content"]);
  if (p.status == disclosure::PostStatus::draft) j["draft_totals"] = finance_totals(p.type, p.draft);
  return j;
}

Json line_change_json(const disclosure::LineChange& c) {
  using K = disclosure::LineChange::Kind;
  return Json{{"kind", c.kind == K::added ? "added" : c.kind == K::removed ? "removed" : "changed"},
              {"before_index", c.before_index},
              {"after_index", c.after_index},
              {"before", c.before},
              {"after", c.after},
              {"members", c.members}};
}

template <class F>
char* post_command(int handle, double now_ms, F&& command) {
  return answer([&]() -> Result<Json> {
    CUNWU_ASSIGN(auto* d, device_at(handle, now_ms));
    disclosure::Service service(*d->replica);
    return command(service);
  });
}

}  // namespace

extern "C" {

// --- reading --------------------------------------------------------------------------------

/// 公开栏 — what `reader` lists, optionally only posts of `type` ("" for all; a type name such
/// as "finance"): drafts they may publish first, then published posts, latest version first:
/// {"ok":true,"posts":[{id, type, status, scope, title, versions, published_at, updated_at,
/// questions, unanswered, read_version, unread, category?}]}. Errors: unknown_post_type,
/// not_found (handle), storage_error.
char* cunwu_post_list(int handle, const char* reader, const char* type) {
  return answer([&]() -> Result<Json> {
    CUNWU_ASSIGN(auto* d, device(handle));
    std::optional<disclosure::PostType> only;
    if (*type) { CUNWU_ASSIGN(only, disclosure::parse_post_type(type)); }
    CUNWU_ASSIGN(const auto list, disclosure::Service(*d->replica).listings(UserId(reader), only));
    Json out = Json::array();
    for (const auto& l : list) out.push_back(listing_json(l));
    return Json{{"posts", std::move(out)}};
  });
}

/// One post as villagers see it (published versions masked, questions and answers; a draft
/// only on a device that holds it, i.e. its cadres'): {"ok":true,"post":{id, type, status,
/// scope, author, versions:[{number, op, by, at, reason, content, totals}], questions:[{id,
/// asker, at, version, text, answers:[{by, at, text}]}], draft, draft_totals?}}. "totals" is
/// null except for finance records: {income, spending, expected_closing, balanced} in fen.
/// Errors: not_found, storage_error.
char* cunwu_post_get(int handle, const char* id) {
  return answer([&]() -> Result<Json> {
    CUNWU_ASSIGN(auto* d, device(handle));
    disclosure::Service service(*d->replica);
    auto shown = service.published(EntityId(id));
    if (!shown && shown.error().code == Errc::not_published) shown = service.get(EntityId(id));
    if (!shown) return shown.error();
    return Json{{"post", post_json(*shown)}};
  });
}

/// 更正记录 — what changed from version `from` to `to` (1-based) of post `id`:
/// {"ok":true,"changes":[{field, before, after, lines:[{kind: added|removed|changed,
/// before_index, after_index, before, after, members}]}],"text_zh":"..."}. Errors: not_found,
/// not_published, invalid_input (versions not whole numbers).
char* cunwu_post_diff(int handle, const char* id, double from, double to) {
  return answer([&]() -> Result<Json> {
    CUNWU_ASSIGN(auto* d, device(handle));
    CUNWU_ASSIGN(const int a, int_arg(from, 1, 1'000'000, "from"));
    CUNWU_ASSIGN(const int b, int_arg(to, 1, 1'000'000, "to"));
    CUNWU_ASSIGN(const auto changes, disclosure::Service(*d->replica).diff(EntityId(id), a, b));
    Json out = Json::array();
    for (const auto& c : changes) {
      Json lines = Json::array();
      for (const auto& l : c.lines) lines.push_back(line_change_json(l));
      out.push_back(Json{{"field", c.field}, {"before", c.before}, {"after", c.after}, {"lines", std::move(lines)}});
    }
    return Json{{"changes", std::move(out)}, {"text_zh", disclosure::describe_zh(changes)}};
  });
}

/// 知晓率 — how many residents of post `id`'s scope have read it: {"ok":true,"residents":N,
/// "readers":N,"rate":0..1}. Errors: not_found, not_published, storage_error.
char* cunwu_post_awareness(int handle, const char* id) {
  return answer([&]() -> Result<Json> {
    CUNWU_ASSIGN(auto* d, device(handle));
    CUNWU_ASSIGN(const auto a, disclosure::Service(*d->replica).awareness(EntityId(id)));
    return Json{{"residents", a.residents}, {"readers", a.readers}, {"rate", a.rate}};
  });
}

/// 检索 — published posts matching `text` (Chinese from one character; terms split at white
/// space must all match), optionally only of `type` ("" for all) and of regions containing
/// `visible_at` ("" for all), best first, at most `limit` (1..100): {"ok":true,"hits":[{post,
/// type, title, snippet, rank}]}, matches marked 【like this】. A blank query has no hits.
/// Errors: query_too_long, invalid_utf8, unknown_post_type, invalid_input, storage_error.
char* cunwu_post_search(int handle, const char* text, const char* type, const char* visible_at, double limit) {
  return answer([&]() -> Result<Json> {
    CUNWU_ASSIGN(auto* d, device(handle));
    disclosure::SearchQuery q;
    q.text = text;
    if (*type) { CUNWU_ASSIGN(q.type, disclosure::parse_post_type(type)); }
    if (*visible_at) q.visible_at = RegionId(visible_at);
    CUNWU_ASSIGN(q.limit, int_arg(limit, 1, 100, "limit"));
    CUNWU_ASSIGN(const auto hits, disclosure::Service(*d->replica).search(q));
    Json out = Json::array();
    for (const auto& h : hits) {
      out.push_back(Json{{"post", h.post.str()}, {"type", disclosure::name(h.type)}, {"title", h.title},
                         {"snippet", h.snippet}, {"rank", h.rank}});
    }
    return Json{{"hits", std::move(out)}};
  });
}

// --- commands -------------------------------------------------------------------------------

/// 发布 — a cadre publishes a new post of `type` for region `scope` with `fields_json` (see
/// disclosure/content.hpp: title, body; finance: period, opening, closing, income, spending with
/// amounts in fen...): {"ok":true,"id":"post/..."}. Errors: unknown_post_type, invalid_json,
/// forbidden_role, out_of_scope, unknown_region, the field errors (text_empty, invalid_amount,
/// invalid_period...), unbalanced_finance, payment_schedule_mismatch.
char* cunwu_post_publish(int handle, const char* actor, const char* scope, const char* type, const char* fields_json,
                         double now_ms) {
  return post_command(handle, now_ms, [&](disclosure::Service& s) -> Result<Json> {
    CUNWU_ASSIGN(const auto fields, parse_json(fields_json, "fields_json"));
    CUNWU_ASSIGN(const auto id, s.publish_new(UserId(actor), RegionId(scope), type, fields));
    return Json{{"id", id.str()}};
  });
}

/// 更正 — a cadre publishes a correction of post `id`: a new version with `fields_json`'s
/// fields replaced, for `reason` (required): {"ok":true,"id":id}. Errors: not_published,
/// text_empty (no reason), invalid_input (changes nothing), forbidden_role, out_of_scope,
/// invalid_json and the field and content errors of publishing.
char* cunwu_post_amend(int handle, const char* actor, const char* id, const char* reason, const char* fields_json,
                       double now_ms) {
  return post_command(handle, now_ms, [&](disclosure::Service& s) -> Result<Json> {
    CUNWU_ASSIGN(const auto fields, parse_json(fields_json, "fields_json"));
    CUNWU_TRY(s.amend(UserId(actor), EntityId(id), reason, fields));
    return Json{{"id", id}};
  });
}

/// 提问 — `actor` asks `text` about the latest version of post `id`: {"ok":true,"id":"<question
/// op id>"}. Errors: not_published, not_found, out_of_scope, text_empty, text_too_long.
char* cunwu_post_ask(int handle, const char* actor, const char* id, const char* text, double now_ms) {
  return post_command(handle, now_ms, [&](disclosure::Service& s) -> Result<Json> {
    CUNWU_ASSIGN(const auto q, s.ask(UserId(actor), EntityId(id), text));
    return Json{{"id", q}};
  });
}

/// 答复 — a cadre answers question `question` of post `id` officially: {"ok":true,"id":question}.
/// Errors: not_found (no such question), forbidden_role, out_of_scope, text errors.
char* cunwu_post_answer(int handle, const char* actor, const char* id, const char* question, const char* text,
                        double now_ms) {
  return post_command(handle, now_ms, [&](disclosure::Service& s) -> Result<Json> {
    CUNWU_TRY(s.answer(UserId(actor), EntityId(id), question, text));
    return Json{{"id", question}};
  });
}

/// 已读 — records that `actor` read the latest version of post `id` (nothing when already
/// recorded): {"ok":true,"id":id}. Errors: not_published, not_found, out_of_scope.
char* cunwu_post_read(int handle, const char* actor, const char* id, double now_ms) {
  return post_command(handle, now_ms, [&](disclosure::Service& s) -> Result<Json> {
    CUNWU_TRY(s.read(UserId(actor), EntityId(id)));
    return Json{{"id", id}};
  });
}

}  // extern "C"
