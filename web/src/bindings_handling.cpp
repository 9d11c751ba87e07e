// The C API of the WebAssembly core, part 4: before filing (the urgency the words suggest,
// similar open appeals of the village), the departments an appeal may be sent to, the user's
// notices (通知) and their actions that did not take effect (未生效的操作).
// bindings_support.hpp holds the contract every export keeps and the envelope.
//
// Sections: before filing | departments | notices | refusals. (Dispatch and merge are with the
// other handling commands in bindings.cpp.)
#include "bindings_support.hpp"

#include "cunwu/appeals/service.hpp"
#include "cunwu/appeals/triage.hpp"
#include "cunwu/notify/feed.hpp"
#include "cunwu/notify/refusals.hpp"

namespace {

using cunwu::Result;
using cunwu::web::answer;
using cunwu::web::device;
using Json = nlohmann::json;

// The notices of `user` with the unread count: {"notices":[...], "unread":N}.
Result<Json> notices_json(cunwu::web::Device& d, const cunwu::UserId& user, int limit) {
  cunwu::notify::Feed feed(*d.replica, user);
  CUNWU_ASSIGN(const auto list, feed.list(limit));
  CUNWU_ASSIGN(const auto unread, feed.unread());
  Json out = Json::array();
  for (const auto& n : list) out.push_back(cunwu::notify::to_json(n, d.replica->directory()));
  return Json{{"notices", std::move(out)}, {"unread", unread}};
}

}  // namespace

extern "C" {

// --- before filing ------------------------------------------------------------------------

/// The urgency the app pre-selects for an appeal of `category` (by name) with `text`
/// (appeals::suggest_urgency): {"ok":true,"urgency":"red"|"yellow"|"green","because":["漏电"...]}.
/// Needs no device. Error unknown_category.
char* cunwu_appeal_suggest_urgency(const char* category, const char* text) {
  return answer([&]() -> Result<Json> {
    CUNWU_ASSIGN(const auto c, cunwu::appeals::parse_category(category));
    const auto s = cunwu::appeals::suggest_urgency(c, text);
    return Json{{"urgency", cunwu::appeals::name(s.urgency)}, {"because", s.because}};
  });
}

/// 类似诉求 — the open appeals on this device of the village of region `where` that read like
/// `text` (appeals::Service::similar): same `category` first, at most `limit` (1..20), without
/// appeal `exclude` ("" for none): {"ok":true,"similar":[{...appeal, "score":0..1,
/// "same_category":bool}]}. Errors: unknown_category, unknown_region, invalid_input (limit),
/// not_found (handle), storage_error.
char* cunwu_appeal_similar(int handle, const char* where, const char* category, const char* text, const char* exclude,
                           double limit) {
  return answer([&]() -> Result<Json> {
    CUNWU_ASSIGN(auto* d, device(handle));
    CUNWU_ASSIGN(const auto c, cunwu::appeals::parse_category(category));
    CUNWU_ASSIGN(const int n, cunwu::web::int_arg(limit, 1, 20, "limit"));
    std::optional<cunwu::EntityId> without;
    if (*exclude) without = cunwu::EntityId(exclude);
    CUNWU_ASSIGN(const auto found, cunwu::appeals::Service(*d->replica).similar(cunwu::RegionId(where), c, text,
                                                                                std::size_t(n), without));
    Json out = Json::array();
    for (const auto& s : found) {
      Json j = cunwu::appeals::to_json(s.appeal);
      j["score"] = s.score;
      j["same_category"] = s.same_category;
      out.push_back(std::move(j));
    }
    return Json{{"similar", std::move(out)}};
  });
}

// --- departments ---------------------------------------------------------------------------

/// 部门 — the departments that serve appeal `id` (org::Directory::departments_for its courtyard),
/// nearest first: {"ok":true,"departments":[{"id","name","region","region_name"}]} (empty where
/// the county defines none). Errors: not_found (handle or appeal), storage_error.
char* cunwu_appeal_departments(int handle, const char* id) {
  return answer([&]() -> Result<Json> {
    CUNWU_ASSIGN(auto* d, device(handle));
    CUNWU_ASSIGN(const auto a, cunwu::appeals::Service(*d->replica).get(cunwu::EntityId(id)));
    const auto& dir = d->replica->directory();
    Json out = Json::array();
    for (const auto* dep : dir.departments_for(a.scope)) {
      const auto* region = dir.region(dep->region);
      out.push_back(Json{{"id", dep->id}, {"name", dep->name}, {"region", dep->region.str()},
                         {"region_name", region ? region->name : dep->region.str()}});
    }
    return Json{{"departments", std::move(out)}};
  });
}

// --- notices --------------------------------------------------------------------------------

/// 通知 — finds what changed for `user` in the ops that arrived since the last call (notify::Feed::scan;
/// the first call on a device only marks where the log ends) and answers the newest `limit`
/// (1..200) notices: {"ok":true,"added":N,"unread":N,"notices":[{"seq","kind","entity","actor",
/// "actor_name","at","data":{...},"unread"}]} (kinds and data: core/include/cunwu/notify/feed.hpp).
/// Errors: invalid_input (limit), not_found (handle), storage_error.
char* cunwu_notices(int handle, const char* user, double limit) {
  return answer([&]() -> Result<Json> {
    CUNWU_ASSIGN(auto* d, device(handle));
    CUNWU_ASSIGN(const int n, cunwu::web::int_arg(limit, 1, 200, "limit"));
    const cunwu::UserId who(user);
    CUNWU_ASSIGN(const auto added, cunwu::notify::Feed(*d->replica, who).scan());
    CUNWU_ASSIGN(auto out, notices_json(*d, who, n));
    out["added"] = added;
    return out;
  });
}

/// Marks `user`'s notices up to sequence `seq` read (never back): {"ok":true,"unread":N}.
/// Errors: invalid_input (seq), not_found (handle), storage_error.
char* cunwu_notices_read(int handle, const char* user, double seq) {
  return answer([&]() -> Result<Json> {
    CUNWU_ASSIGN(auto* d, device(handle));
    if (!(seq >= 0 && seq < 9e15)) return cunwu::make_error(cunwu::Errc::invalid_input, "seq");
    cunwu::notify::Feed feed(*d->replica, cunwu::UserId(user));
    CUNWU_TRY(feed.mark_read(static_cast<std::int64_t>(seq)));
    CUNWU_ASSIGN(const auto unread, feed.unread());
    return Json{{"unread", unread}};
  });
}

// --- refusals ------------------------------------------------------------------------------

/// 未生效的操作 — what `user` did on this device that did not take effect (notify::refusals):
/// ops the host rejected and ops this device found invalid where they fell in the order, of
/// entity `entity` ("" for all), newest first: {"ok":true,"refusals":[{"op","type","entity",
/// "kind","code","message","message_en","detail","by_host","at","item":{...}}]} (item:
/// core/include/cunwu/notify/refusals.hpp). What to do is the catalogue's hint for "code".
/// Errors: not_found (handle), storage_error.
char* cunwu_refusals(int handle, const char* user, const char* entity) {
  return answer([&]() -> Result<Json> {
    CUNWU_ASSIGN(auto* d, device(handle));
    std::optional<cunwu::EntityId> which;
    if (*entity) which = cunwu::EntityId(entity);
    CUNWU_ASSIGN(const auto list, cunwu::notify::refusals(*d->replica, cunwu::UserId(user), which));
    Json out = Json::array();
    for (const auto& r : list) out.push_back(cunwu::notify::to_json(r));
    return Json{{"refusals", std::move(out)}};
  });
}

}  // extern "C"
