// The C API of the WebAssembly core: every function JavaScript may call, in this one file (the
// explicit list is CUNWU_WEB_EXPORTS in web/CMakeLists.txt). bindings_support.hpp holds the
// contract every export keeps (plain values in, one core call, status plus JSON out, nothing
// thrown across) and the envelope. Devices are handles (positive integers) from cunwu_open;
// several can be open at once (a test may hold a villager's phone and tablet). Commands author
// one op of `actor` at device time `now_ms`, offline; it syncs with the next round trip, and
// the host decides what depends on global order (balances, stock, limits, official numbers) by
// verdict.
//
// Sections (each part has its own helpers first, in an anonymous namespace):
//   devices and appeals: open/close | org tree | sync | appeals | appeal handling (also dispatch
//     and merge) | dashboard | storage (browser build only) | misc
//   points (积分): reading (account, catalogue, shop, honour) | villager commands | reviewer and
//     shopkeeper
//   disclosure (村务公开): reading (list, one post, versions, search) | commands
//   before filing and after: before filing (urgency, similar appeals) | departments | notices
//     (通知) | refusals (未生效的操作)
#include "bindings_support.hpp"

#include "cunwu/appeals/service.hpp"
#include "cunwu/appeals/triage.hpp"
#include "cunwu/disclosure/content.hpp"
#include "cunwu/disclosure/service.hpp"
#include "cunwu/notify/feed.hpp"
#include "cunwu/notify/refusals.hpp"
#include "cunwu/org/directory.hpp"
#include "cunwu/points/service.hpp"
#include "cunwu/sync/protocol.hpp"
#include "cunwu/sync/rehearsal.hpp"

#ifdef CUNWU_BROWSER
#include "opfs_vfs.hpp"
#endif


// ============================================================================================
// Devices, org tree, sync, appeals and their handling, the dashboard
// ============================================================================================

namespace {

// The names every part uses (the anonymous namespace is reopened by each part).
using cunwu::EntityId;
using cunwu::Errc;
using cunwu::HouseholdId;
using cunwu::RegionId;
using cunwu::Result;
using cunwu::UserId;
using cunwu::web::answer;
using cunwu::web::Device;
using cunwu::web::device;
using cunwu::web::device_at;
using cunwu::web::devices;
using cunwu::web::int_arg;
using cunwu::web::parse_json;
using cunwu::web::time_arg;
using Json = nlohmann::json;
namespace disclosure = cunwu::disclosure;
namespace points = cunwu::points;

Json report_json(const cunwu::sync::ApplyReport& r) {
  Json rejected = Json::array();
  for (const auto& a : r.rejected) {
    Json one{{"op", cunwu::oplog::to_string(a.op)}};
    if (a.reason) cunwu::web::put_error(one, *a.reason);
    rejected.push_back(std::move(one));
  }
  return Json{{"accepted", r.accepted}, {"duplicates", r.duplicates}, {"rejected", rejected},
              {"pulled", r.pulled},     {"more", r.more},             {"clock_offset", r.clock_offset.ms}};
}

Result<cunwu::appeals::FileRequest> file_request(const Json& j) {
  if (!j.is_object()) return cunwu::make_error(Errc::invalid_json, "the appeal must be a JSON object");
  cunwu::appeals::FileRequest req;
  req.courtyard = cunwu::RegionId(j.value("courtyard", ""));
  CUNWU_ASSIGN(req.category, cunwu::appeals::parse_category(j.value("category", "other")));
  CUNWU_ASSIGN(req.urgency, cunwu::appeals::parse_urgency(j.value("urgency", "green")));
  req.text = j.value("text", "");
  for (const auto& a : j.value("attachments", Json::array())) {
    req.attachments.push_back({a.value("kind", ""), a.value("sha256", "")});
  }
  if (const auto who = j.value("on_behalf_of", ""); !who.empty()) req.on_behalf_of = cunwu::UserId(who);
  return req;
}

// How device `d` opens its replica: the file, its id, and the clock the exports set.
cunwu::ReplicaOptions replica_options(const Device& d, const char* path, const char* replica_id) {
  cunwu::ReplicaOptions options;
  options.path = path;
  options.id = cunwu::ReplicaId(replica_id);
  options.physical = [clock = d.now] { return *clock; };
#ifdef CUNWU_BROWSER
  // The worker holds the file's OPFS handles alone: WAL without shared memory, so a commit
  // flushes once (the WAL) instead of four times (journal twice, database, journal's removal).
  // Under node several devices of a test may share a process and files stay shared.
  options.db.exclusive = true;
#endif
  return options;
}

// Registers an open replica as a device and answers {"handle","ops","pending"}.
Result<Json> register_device(std::unique_ptr<Device> d) {
  d->client = std::make_unique<cunwu::sync::Client>(*d->replica);
  CUNWU_ASSIGN(const auto ops, d->replica->log().ops().count());
  CUNWU_ASSIGN(const auto pending, d->client->pending());
  static int next_handle = 0;
  const int handle = ++next_handle;
  devices()[handle] = std::move(d);
  return Json{{"handle", handle}, {"ops", ops}, {"pending", pending}};
}

Json inbox_json(const cunwu::appeals::InboxItem& item) {
  Json j = cunwu::appeals::to_json(item.appeal);
  j["due"] = item.due ? Json(item.due->ms) : Json(nullptr);
  using cunwu::appeals::Breach;
  j["breach"] = item.breach == Breach::none ? "none" : item.breach == Breach::response ? "response" : "resolution";
  // The countdown as the core decides it (sla.hpp): its colour now, the limit it counts
  // against, and when it turns yellow.
  j["due_colour"] = cunwu::appeals::name(item.colour);
  j["due_kind"] = item.next ? Json(cunwu::appeals::name(item.next->kind)) : Json(nullptr);
  j["due_limit_ms"] = item.next ? Json(item.next->limit.ms) : Json(nullptr);
  j["yellow_from"] = item.next ? Json(cunwu::appeals::yellow_from(*item.next).ms) : Json(nullptr);
  return j;
}

// Runs one appeals command of `actor` on appeal `id` at device time `now_ms`; {"id":id} on success.
template <class F>
char* appeal_command(int handle, double now_ms, const char* id, F&& command) {
  return answer([&]() -> Result<Json> {
    CUNWU_ASSIGN(auto* d, device_at(handle, now_ms));
    cunwu::appeals::Service service(*d->replica);
    CUNWU_TRY(command(service, cunwu::EntityId(id)));
    return Json{{"id", id}};
  });
}

Json rates_json(const cunwu::appeals::Rates& r) {
  return Json{{"filed", r.filed},
              {"responded", r.responded},
              {"responded_in_time", r.responded_in_time},
              {"resolved", r.resolved},
              {"rated", r.rated},
              {"satisfied", r.satisfied},
              {"response_rate", r.response_rate},
              {"resolution_rate", r.resolution_rate},
              {"satisfaction_rate", r.satisfaction_rate},
              {"median_handling_ms", r.median_handling ? Json(r.median_handling->ms) : Json(nullptr)}};
}

}  // namespace

extern "C" {

// --- open / close -----------------------------------------------------------------------

/// Opens (creating if absent) the replica in the SQLite file `path` (":memory:" for none; under
/// node with NODERAWFS a real file) as device `replica_id` (1..64 characters, no '.', stable per
/// device). `directory_json`: the county's org tree as seed JSON (shared/demo/county.json's
/// shape), stored in the replica; "" keeps the one stored by an earlier open. `now_ms`: device
/// clock. Returns {"ok":true,"handle":H,"ops":N,"pending":P}. Errors: invalid_id, invalid_json,
/// storage_error, schema_too_new, not_found (no directory given and none stored), and the
/// directory's errors (unknown_region, invalid_id...).
char* cunwu_open(const char* path, const char* replica_id, const char* directory_json, double now_ms) {
  return answer([&]() -> Result<Json> {
    CUNWU_ASSIGN(const auto now, time_arg(now_ms));
    auto d = std::make_unique<Device>();
    *d->now = now.ms;
    auto options = replica_options(*d, path, replica_id);
    CUNWU_ASSIGN(d->replica, cunwu::Replica::open(std::move(options)));
    if (*directory_json) {
      CUNWU_ASSIGN(const auto seed, parse_json(directory_json, "directory_json"));
      CUNWU_ASSIGN(auto dir, cunwu::org::directory_from_json(seed));
      CUNWU_TRY(d->replica->set_directory(std::move(dir)));
    } else if (d->replica->directory().regions().empty()) {
      return cunwu::make_error(Errc::not_found, "no org tree stored in " + std::string(path) + ": pass directory_json");
    }
    return register_device(std::move(d));
  });
}

/// The first request of a device that holds nothing yet (`replica_id`, device time `now_ms`),
/// to POST to /v1/snapshot: {"ok":true,"request":{...}}. Errors: invalid_id, invalid_input.
char* cunwu_snapshot_request(const char* replica_id, double now_ms) {
  return answer([&]() -> Result<Json> {
    CUNWU_ASSIGN(const auto now, time_arg(now_ms));
    const cunwu::ReplicaId id(replica_id);
    if (id.empty() || id.str().size() > 64) return cunwu::make_error(Errc::invalid_id, "replica id must be 1..64 characters");
    return Json{{"request", cunwu::sync::to_json(cunwu::sync::Client::snapshot_request(id, now))}};
  });
}

/// 演练 — runs a whole first sync once between a host and a device that exist only in memory for
/// it (sync::rehearse_first_sync): nothing is kept. The app does it while a person logs in, so
/// that the real first sync finds the core's code compiled.
/// Returns {"ok":true}. Errors: invalid_input (now_ms); any other is a bug.
char* cunwu_rehearse_first_sync(double now_ms) {
  return answer([&]() -> Result<Json> {
    CUNWU_ASSIGN(const auto now, time_arg(now_ms));
    CUNWU_TRY(cunwu::sync::rehearse_first_sync(now));
    return Json::object();
  });
}

/// Opens a new device from the host's snapshot (the body of a 200 from /v1/snapshot: `size`
/// bytes at `image`, in this module's memory) in the SQLite file `path`, which must hold no ops
/// yet, as `replica_id`. The device is then where a full pull would have left it, and syncs
/// incrementally. `digest`: the host's X-Cunwu-Image-Digest ('' if none: the image's pages are
/// checked here instead, which is slower). Returns {"ok":true,"handle":H,"ops":N,"pending":0}.
/// Errors: invalid_input (not a sound snapshot, or the file already holds ops), protocol_mismatch,
/// schema_too_new, invalid_id, storage_error.
char* cunwu_open_snapshot(const char* path, const char* replica_id, const unsigned char* image, double size,
                          double now_ms, const char* digest) {
  return answer([&]() -> Result<Json> {
    CUNWU_ASSIGN(const auto now, time_arg(now_ms));
    if (!(size >= 0 && size < 4e9) || (!image && size > 0)) return cunwu::make_error(Errc::invalid_input, "bad snapshot size");
    auto d = std::make_unique<Device>();
    *d->now = now.ms;
    auto options = replica_options(*d, path, replica_id);
    const std::string_view bytes(reinterpret_cast<const char*>(image), static_cast<std::size_t>(size));
    CUNWU_ASSIGN(d->replica, cunwu::Replica::open_snapshot(std::move(options), bytes, digest ? digest : ""));
    return register_device(std::move(d));
  });
}

/// Closes device `handle` (its database file stays). Error not_found.
char* cunwu_close(int handle) {
  return answer([&]() -> Result<Json> {
    CUNWU_TRY(device(handle));
    devices().erase(handle);
    return Json::object();
  });
}

// --- org tree ---------------------------------------------------------------------------

/// The fingerprint of the device's org tree (org::directory_version): {"ok":true,"version":V},
/// to send as ?known= to the host's GET /v1/directory. Error not_found.
char* cunwu_directory_version(int handle) {
  return answer([&]() -> Result<Json> {
    CUNWU_ASSIGN(auto* d, device(handle));
    return Json{{"version", d->replica->directory_version()}};
  });
}

/// Takes the host's org tree (the "directory" of GET /v1/directory): stores it if it differs
/// and re-folds what people the device did not know yet had done (Replica::update_directory).
/// Returns {"ok":true,"changed":bool,"refolded":N,"version":V}. Errors: invalid_json, the tree's
/// errors (unknown_region, invalid_id...), not_found (handle), storage_error.
char* cunwu_directory_update(int handle, const char* directory_json) {
  return answer([&]() -> Result<Json> {
    CUNWU_ASSIGN(auto* d, device(handle));
    CUNWU_ASSIGN(const auto seed, parse_json(directory_json, "directory_json"));
    CUNWU_ASSIGN(auto dir, cunwu::org::directory_from_json(seed));
    CUNWU_ASSIGN(const auto refolded, d->replica->update_directory(std::move(dir)));
    return Json{{"changed", refolded.has_value()}, {"refolded", refolded.value_or(0)},
                {"version", d->replica->directory_version()}};
  });
}

// --- sync -------------------------------------------------------------------------------

/// The body of the next POST /v1/sync at device time `now_ms`: {"ok":true,"request":{...}} with
/// the request in the protocol's shape (shared/protocol/examples/request.json): own ops not yet
/// acknowledged (at most 1000) and the pull cursor. Keep the request text: cunwu_sync_apply
/// needs it with the answer. Errors: not_found (handle), invalid_input (now_ms), storage_error.
char* cunwu_sync_request(int handle, double now_ms) {
  return answer([&]() -> Result<Json> {
    CUNWU_ASSIGN(auto* d, device_at(handle, now_ms));
    CUNWU_ASSIGN(const auto req, d->client->request(cunwu::TimeMs{*d->now}));
    return Json{{"request", cunwu::sync::to_json(req)}};
  });
}

/// Applies the host's answer `response_json` (the body of a 200 from /v1/sync) to the request
/// `request_json` it answers, received at device time `now_ms`: ingests the pulled ops, marks
/// the acknowledged ones, advances the cursor and measures the clock offset, in one transaction.
/// Returns {"ok":true,"accepted":N,"duplicates":N,"rejected":[{"op","code","message","detail"}],
/// "pulled":N,"more":bool,"clock_offset":ms}; sync again at once while "more" is true or
/// cunwu_pending says ops wait. Errors: invalid_json, invalid_id, invalid_utf8,
/// protocol_mismatch, request_too_large (malformed messages), invalid_input (an answer for
/// another device), not_found (handle), storage_error.
char* cunwu_sync_apply(int handle, const char* request_json, const char* response_json, double now_ms) {
  return answer([&]() -> Result<Json> {
    CUNWU_ASSIGN(auto* d, device_at(handle, now_ms));
    CUNWU_ASSIGN(const auto sent, cunwu::sync::parse_request(request_json));
    CUNWU_ASSIGN(const auto body, parse_json(response_json, "response_json"));
    CUNWU_ASSIGN(const auto resp, cunwu::sync::response_from_json(body));
    CUNWU_ASSIGN(const auto report, d->client->apply(sent, resp, cunwu::TimeMs{*d->now}));
    return report_json(report);
  });
}

/// How many own ops wait to be pushed: {"ok":true,"pending":N}. Errors: not_found, storage_error.
char* cunwu_pending(int handle) {
  return answer([&]() -> Result<Json> {
    CUNWU_ASSIGN(auto* d, device(handle));
    CUNWU_ASSIGN(const auto pending, d->client->pending());
    return Json{{"pending", pending}};
  });
}

// --- appeals ----------------------------------------------------------------------------

/// 提交诉求 — `actor` files an appeal at device time `now_ms`, offline; it syncs with the next
/// round trip. `appeal_json`: {"courtyard","category","urgency","text","attachments":[{"kind",
/// "sha256"}],"on_behalf_of"?} (category and urgency by name: environment, red...). Returns
/// {"ok":true,"id":"appeal/..."}. Errors: those of appeals::Service::file (unknown_region,
/// text_empty, text_too_long, invalid_utf8, invalid_attachment, forbidden_role, out_of_scope),
/// unknown_category, unknown_urgency, invalid_json, not_found (handle).
char* cunwu_appeal_file(int handle, const char* actor, const char* appeal_json, double now_ms) {
  return answer([&]() -> Result<Json> {
    CUNWU_ASSIGN(auto* d, device_at(handle, now_ms));
    CUNWU_ASSIGN(const auto j, parse_json(appeal_json, "appeal_json"));
    CUNWU_ASSIGN(const auto req, file_request(j));
    CUNWU_ASSIGN(const auto id, cunwu::appeals::Service(*d->replica).file(cunwu::UserId(actor), req));
    return Json{{"id", id.str()}};
  });
}

/// 演练 — runs the filing `cunwu_appeal_file` would do and takes it back (appeals::Service::
/// rehearse_file): nothing is filed. The worker does it once the compose screen opens, so that
/// the villager's filing finds the core's code compiled. Returns {"ok":true} or the error filing
/// would give (the same errors).
char* cunwu_appeal_rehearse(int handle, const char* actor, const char* appeal_json, double now_ms) {
  return answer([&]() -> Result<Json> {
    CUNWU_ASSIGN(auto* d, device_at(handle, now_ms));
    CUNWU_ASSIGN(const auto j, parse_json(appeal_json, "appeal_json"));
    CUNWU_ASSIGN(const auto req, file_request(j));
    CUNWU_TRY(cunwu::appeals::Service(*d->replica).rehearse_file(cunwu::UserId(actor), req));
    return Json::object();
  });
}

/// The folded appeal `id` as on this device: {"ok":true,"appeal":{...}} (fields as
/// appeals::to_json: status, level, provisional_number, official_number, timeline...).
/// Errors: not_found (handle or appeal), storage_error.
char* cunwu_appeal_get(int handle, const char* id) {
  return answer([&]() -> Result<Json> {
    CUNWU_ASSIGN(auto* d, device(handle));
    CUNWU_ASSIGN(const auto appeal, cunwu::appeals::Service(*d->replica).get(cunwu::EntityId(id)));
    return Json{{"appeal", cunwu::appeals::to_json(appeal)}};
  });
}

/// The appeals on this device within region `scope` ("" for all), ordered by id:
/// {"ok":true,"appeals":[...]}. Errors: not_found (handle), storage_error.
char* cunwu_appeal_list(int handle, const char* scope) {
  return answer([&]() -> Result<Json> {
    CUNWU_ASSIGN(auto* d, device(handle));
    std::optional<cunwu::RegionId> where;
    if (*scope) where = cunwu::RegionId(scope);
    CUNWU_ASSIGN(const auto all, cunwu::appeals::Service(*d->replica).list(where));
    Json out = Json::array();
    for (const auto& a : all) out.push_back(cunwu::appeals::to_json(a));
    return Json{{"appeals", out}};
  });
}

/// 待办 — the open appeals `user` handles at their current level, nearest deadline first, at
/// device time `now_ms`: {"ok":true,"inbox":[{...appeal, "due":ms|null, "breach":"none"|
/// "response"|"resolution", "due_colour":"green"|"yellow"|"red", "due_kind":"respond"|"resolve"|
/// null, "due_limit_ms":ms|null, "yellow_from":ms|null}]}. Errors: not_found (handle), invalid_input (now_ms), storage_error.
char* cunwu_appeal_inbox(int handle, const char* user, double now_ms) {
  return answer([&]() -> Result<Json> {
    CUNWU_ASSIGN(auto* d, device_at(handle, now_ms));
    CUNWU_ASSIGN(const auto items, cunwu::appeals::Service(*d->replica).inbox(cunwu::UserId(user), cunwu::TimeMs{*d->now}));
    Json out = Json::array();
    for (const auto& item : items) out.push_back(inbox_json(item));
    return Json{{"inbox", out}};
  });
}

// --- appeal handling ----------------------------------------------------------------------
// Each authors one op of `actor` on appeal `id` at device time `now_ms`, offline; it syncs with
// the next round trip. Returns {"ok":true,"id":id}. Errors: those of the appeals::Service
// command (not_found, forbidden_role, out_of_scope, invalid_transition, text_empty,
// text_too_long...), not_found (handle), invalid_input (now_ms).

/// 受理 — a handler at the appeal's level accepts it.
char* cunwu_appeal_accept(int handle, const char* actor, const char* id, double now_ms) {
  return appeal_command(handle, now_ms, id, [&](auto& s, const auto& e) { return s.accept(cunwu::UserId(actor), e); });
}

/// 答复 — a handler replies with `text` (the villager sees it on the timeline).
char* cunwu_appeal_reply(int handle, const char* actor, const char* id, const char* text, double now_ms) {
  return appeal_command(handle, now_ms, id, [&](auto& s, const auto& e) { return s.reply(cunwu::UserId(actor), e, text); });
}

/// 办结 — a handler resolves it with `text` saying what was done.
char* cunwu_appeal_resolve(int handle, const char* actor, const char* id, const char* text, double now_ms) {
  return appeal_command(handle, now_ms, id, [&](auto& s, const auto& e) { return s.resolve(cunwu::UserId(actor), e, text); });
}

/// 上报 — a handler escalates it by hand to the next level with `note` (top_level_reached at county).
char* cunwu_appeal_escalate(int handle, const char* actor, const char* id, const char* note, double now_ms) {
  return appeal_command(handle, now_ms, id, [&](auto& s, const auto& e) { return s.escalate(cunwu::UserId(actor), e, note); });
}

/// 评价 — the filer rates a resolved appeal: `rating` very_satisfied, satisfied or
/// dissatisfied (reopens it); `comment` may be "". Extra errors: unknown_rating, not_resolved.
char* cunwu_appeal_rate(int handle, const char* actor, const char* id, const char* rating, const char* comment,
                        double now_ms) {
  return appeal_command(handle, now_ms, id, [&](auto& s, const auto& e) -> cunwu::Status {
    CUNWU_ASSIGN(const auto r, cunwu::appeals::parse_rating(rating));
    return s.rate(cunwu::UserId(actor), e, r, comment);
  });
}

/// 撤回 — the filer withdraws an open appeal; `reason` may be "".
char* cunwu_appeal_withdraw(int handle, const char* actor, const char* id, const char* reason, double now_ms) {
  return appeal_command(handle, now_ms, id, [&](auto& s, const auto& e) { return s.withdraw(cunwu::UserId(actor), e, reason); });
}

/// 转派 — a handler at the appeal's level sends appeal `id` to `department` (an id from
/// cunwu_appeal_departments) at device time `now_ms`, offline: {"ok":true,"id":id}. Errors: those
/// of appeals::Service::dispatch (unknown_department, not_found, forbidden_role, out_of_scope,
/// invalid_transition...), invalid_input (now_ms).
char* cunwu_appeal_dispatch(int handle, const char* actor, const char* id, const char* department, double now_ms) {
  return appeal_command(handle, now_ms, id, [&](auto& s, const auto& e) { return s.dispatch(cunwu::UserId(actor), e, department); });
}

/// 合并 — a handler merges duplicate `id` into open appeal `into` of the same village at device
/// time `now_ms`, offline: {"ok":true,"id":id}. Errors: those of appeals::Service::merge
/// (self_merge, not_found, out_of_scope, invalid_transition, already_merged, forbidden_role...).
char* cunwu_appeal_merge(int handle, const char* actor, const char* id, const char* into, double now_ms) {
  return appeal_command(handle, now_ms, id,
                        [&](auto& s, const auto& e) { return s.merge(cunwu::UserId(actor), e, cunwu::EntityId(into)); });
}

// --- dashboard ----------------------------------------------------------------------------

/// 考核 — response, resolution and satisfaction rates of the appeals within region `scope` on
/// this device (appeals::Service::rates): {"ok":true,"name":"<region name>","overall":{filed, responded,
/// responded_in_time, resolved, rated, satisfied, response_rate, resolution_rate,
/// satisfaction_rate, median_handling_ms|null}, "by_month":[{"month":"2026-07", ...same}]}.
/// Errors: unknown_region, not_found (handle), storage_error.
char* cunwu_appeal_rates(int handle, const char* scope) {
  return answer([&]() -> Result<Json> {
    CUNWU_ASSIGN(auto* d, device(handle));
    CUNWU_ASSIGN(const auto rates, cunwu::appeals::Service(*d->replica).rates(cunwu::RegionId(scope)));
    Json months = Json::array();
    for (const auto& [month, r] : rates.by_month) {
      Json m = rates_json(r);
      m["month"] = month;
      months.push_back(std::move(m));
    }
    const auto* region = d->replica->directory().region(cunwu::RegionId(scope));
    return Json{{"name", region ? region->name : std::string(scope)}, {"overall", rates_json(rates.overall)},
                {"by_month", std::move(months)}};
  });
}

#ifdef CUNWU_BROWSER
// --- storage (browser build only) ---------------------------------------------------------

/// Makes SQLite keep every database file that the worker has opened a handle for (see
/// web/app/storage.js) in that handle: OPFS or IndexedDB. Call once before cunwu_open.
/// Returns {"ok":true}. Error storage_error.
char* cunwu_storage_install() {
  return answer([&]() -> Result<Json> {
    CUNWU_TRY(cunwu::web::install_browser_vfs());
    return Json::object();
  });
}
#endif

// --- misc -------------------------------------------------------------------------------

/// How many ops this device's log holds (own and pulled, verdicts included): {"ok":true,"ops":N}.
/// Errors: not_found, storage_error.
char* cunwu_op_count(int handle) {
  return answer([&]() -> Result<Json> {
    CUNWU_ASSIGN(auto* d, device(handle));
    CUNWU_ASSIGN(const auto ops, d->replica->log().ops().count());
    return Json{{"ops", ops}};
  });
}

/// A canonical text of every folded entity and conflict, equal on devices that hold the same
/// ops: {"ok":true,"dump":"..."}. For convergence checks. Errors: not_found, storage_error.
char* cunwu_canonical_dump(int handle) {
  return answer([&]() -> Result<Json> {
    CUNWU_ASSIGN(auto* d, device(handle));
    CUNWU_ASSIGN(auto dump, d->replica->canonical_dump());
    return Json{{"dump", std::move(dump)}};
  });
}

/// Releases a string returned by any cunwu_* function (null is ignored).
void cunwu_free(char* text) { std::free(text); }

}  // extern "C"

// ============================================================================================
// Points (积分)
// ============================================================================================

namespace {

Json problem_json(const points::Problem& p) {
  Json j{{"op", p.op}, {"type", p.type}, {"actor", p.actor.str()}, {"by_host", p.by_host}};
  return cunwu::web::put_error(j, p.error);
}

// Runs one points command on device `handle` at `now_ms`; the command returns Result<Json>.
template <class F>
char* points_command(int handle, double now_ms, F&& command) {
  return answer([&]() -> Result<Json> {
    CUNWU_ASSIGN(auto* d, device_at(handle, now_ms));
    points::Service service(*d->replica);
    return command(service);
  });
}

Result<points::RedemptionStatus> redemption_status(std::string_view s) {
  for (auto st : {points::RedemptionStatus::pending, points::RedemptionStatus::confirmed, points::RedemptionStatus::fulfilled}) {
    if (points::name(st) == s) return st;
  }
  return cunwu::make_error(Errc::invalid_input, "redemption status " + std::string(s.substr(0, 20)));
}

}  // namespace

extern "C" {

// --- points: reading -------------------------------------------------------------------------

/// 我的积分 — household `household`'s account: {"ok":true,"balance":N,"available":N,
/// "ledger":{entries, applications, redemptions (points::to_json(Ledger))},"problems":[{op, type,
/// actor, by_host, code, message, message_en, detail}]}. Errors: unknown_household, not_found (handle),
/// storage_error.
char* cunwu_points_account(int handle, const char* household) {
  return answer([&]() -> Result<Json> {
    CUNWU_ASSIGN(auto* d, device(handle));
    CUNWU_ASSIGN(const auto a, points::Service(*d->replica).account(HouseholdId(household)));
    Json problems = Json::array();
    for (const auto& p : a.problems) problems.push_back(problem_json(p));
    return Json{{"balance", a.ledger.balance().value}, {"available", a.ledger.available().value},
                {"ledger", points::to_json(a.ledger)},
                {"problems", std::move(problems)}};
  });
}

/// 积分规则 — village `village`'s rule catalogue as this device holds it: {"ok":true,"rules":
/// [{id, title, category, direction, amount, evidence_required, limit, active}]} (current
/// versions; retired rules have active false). Errors: not_found (handle), storage_error.
char* cunwu_points_rules(int handle, const char* village) {
  return answer([&]() -> Result<Json> {
    CUNWU_ASSIGN(auto* d, device(handle));
    CUNWU_ASSIGN(const auto book, points::Service(*d->replica).rulebook(RegionId(village)));
    Json rules = Json::array();
    for (const auto& r : book.rules) rules.push_back(points::to_json(r));
    return Json{{"rules", std::move(rules)}};
  });
}

/// 积分超市 — village `village`'s supermarket: {"ok":true,"goods":[{id, name, price, stock}]}.
/// Errors: not_found (handle), storage_error.
char* cunwu_points_shop(int handle, const char* village) {
  return answer([&]() -> Result<Json> {
    CUNWU_ASSIGN(auto* d, device(handle));
    CUNWU_ASSIGN(const auto shop, points::Service(*d->replica).shop(RegionId(village)));
    return Json{{"goods", points::to_json(shop)["goods"]}};
  });
}

/// 光荣榜 — households of `scope` (a village or courtyard) by points earned in the `kind`
/// ("month" or "year") period that holds device time `now_ms`, top `limit` (1..100):
/// {"ok":true,"period":"2026-07","rows":[{rank, household, name, points}]}. Errors:
/// unknown_region, invalid_input, not_found (handle), storage_error.
char* cunwu_points_honour(int handle, const char* scope, const char* kind, double now_ms, double limit) {
  return answer([&]() -> Result<Json> {
    CUNWU_ASSIGN(auto* d, device(handle));
    CUNWU_ASSIGN(const auto now, time_arg(now_ms));
    CUNWU_ASSIGN(const auto period_kind, points::parse_period_kind(kind));
    CUNWU_ASSIGN(const int top, int_arg(limit, 1, 100, "limit"));
    const auto period = points::Period::of(period_kind, now);
    CUNWU_ASSIGN(const auto rows, points::Service(*d->replica).honour_list(RegionId(scope), period, top));
    Json out = Json::array();
    for (const auto& r : rows) {
      out.push_back(Json{{"rank", r.rank}, {"household", r.household.str()}, {"name", r.name}, {"points", r.points.value}});
    }
    return Json{{"period", period.key()}, {"rows", std::move(out)}};
  });
}

/// 荣誉称号 — the titles of village `village` for the `kind` period holding `now_ms`:
/// {"ok":true,"period":"2026","titles":[{title, category, points, households:[{id, name}]}]}.
/// Errors: unknown_region, invalid_input, not_found (handle), storage_error.
char* cunwu_points_titles(int handle, const char* village, const char* kind, double now_ms) {
  return answer([&]() -> Result<Json> {
    CUNWU_ASSIGN(auto* d, device(handle));
    CUNWU_ASSIGN(const auto now, time_arg(now_ms));
    CUNWU_ASSIGN(const auto period_kind, points::parse_period_kind(kind));
    const auto period = points::Period::of(period_kind, now);
    CUNWU_ASSIGN(const auto titles, points::Service(*d->replica).titles(RegionId(village), period));
    Json out = Json::array();
    for (const auto& t : titles) {
      Json households = Json::array();
      for (const auto& h : t.households) {
        const auto* hh = d->replica->directory().household(h);
        households.push_back(Json{{"id", h.str()}, {"name", hh ? hh->name : h.str()}});
      }
      out.push_back(Json{{"title", t.title}, {"category", points::name(t.category)}, {"points", t.points.value},
                         {"households", std::move(households)}});
    }
    return Json{{"period", period.key()}, {"titles", std::move(out)}};
  });
}

// --- points: villager commands ---------------------------------------------------------------

/// 申请积分 — `actor` applies for award rule `rule` for household `household` with evidence
/// `text` and `photos_json` ([{"kind":"photo","sha256":...}], "" or "[]" for none):
/// {"ok":true,"id":"<application op id>"}. Errors: those of points::Service::apply
/// (unknown_household, unknown_rule, evidence_required, rule_limit_reached, invalid_attachment,
/// text errors, forbidden_role, out_of_scope), invalid_json (photos_json), not_found (handle),
/// invalid_input (now_ms).
char* cunwu_points_apply(int handle, const char* actor, const char* household, const char* rule, const char* text,
                         const char* photos_json, double now_ms) {
  return points_command(handle, now_ms, [&](points::Service& s) -> Result<Json> {
    std::vector<cunwu::appeals::Attachment> photos;
    if (*photos_json) {
      CUNWU_ASSIGN(const auto list, cunwu::web::parse_json(photos_json, "photos_json"));
      if (!list.is_array()) return cunwu::make_error(Errc::invalid_json, "photos_json must be an array");
      for (const auto& p : list) {
        if (!p.is_object()) return cunwu::make_error(Errc::invalid_attachment, "a photo is {kind, sha256}");
        photos.push_back({p.value("kind", ""), p.value("sha256", "")});
      }
    }
    CUNWU_ASSIGN(const auto id, s.apply(UserId(actor), HouseholdId(household), rule, text, photos));
    return Json{{"id", id}};
  });
}

/// 兑换 — `actor` asks for one `goods` from their village's supermarket for `household`,
/// holding its price until the host confirms: {"ok":true,"id":"<request op id>"}. Errors:
/// unknown_goods, out_of_stock, insufficient_points, forbidden_role, out_of_scope,
/// unknown_household, not_found (handle).
char* cunwu_points_redeem(int handle, const char* actor, const char* household, const char* goods, double now_ms) {
  return points_command(handle, now_ms, [&](points::Service& s) -> Result<Json> {
    CUNWU_ASSIGN(const auto id, s.redeem(UserId(actor), HouseholdId(household), goods));
    return Json{{"id", id}};
  });
}

// --- points: reviewer and shopkeeper ---------------------------------------------------------

/// 积分审核 — the pending applications of households within `scope`, oldest first:
/// {"ok":true,"applications":[{household, household_name, courtyard, application:{id, rule,
/// text, applicant, at, status...}}]}. Errors: not_found (handle), storage_error.
char* cunwu_points_pending(int handle, const char* scope) {
  return answer([&]() -> Result<Json> {
    CUNWU_ASSIGN(auto* d, device(handle));
    CUNWU_ASSIGN(const auto items, points::Service(*d->replica).pending_applications(RegionId(scope)));
    Json out = Json::array();
    for (const auto& i : items) {
      out.push_back(Json{{"household", i.household.str()}, {"household_name", i.household_name},
                         {"courtyard", i.courtyard.str()}, {"application", points::to_json(i.application)}});
    }
    return Json{{"applications", std::move(out)}};
  });
}

/// 批准 — a cadre or courtyard head approves pending application `application` of `household`:
/// {"ok":true,"id":application}. Errors: not_found, already_decided, rule_limit_reached,
/// forbidden_role, out_of_scope, unknown_household.
char* cunwu_points_approve(int handle, const char* actor, const char* household, const char* application,
                           double now_ms) {
  return points_command(handle, now_ms, [&](points::Service& s) -> Result<Json> {
    CUNWU_TRY(s.approve(UserId(actor), HouseholdId(household), application));
    return Json{{"id", application}};
  });
}

/// 驳回 — rejects it with `reason` (the villager reads it): {"ok":true,"id":application}.
/// Errors: those of approve, text_empty, text_too_long, invalid_utf8.
char* cunwu_points_reject(int handle, const char* actor, const char* household, const char* application,
                          const char* reason, double now_ms) {
  return points_command(handle, now_ms, [&](points::Service& s) -> Result<Json> {
    CUNWU_TRY(s.reject(UserId(actor), HouseholdId(household), application, reason));
    return Json{{"id", application}};
  });
}

/// The redemptions of households within `scope` at `status` (pending, confirmed, fulfilled),
/// oldest first: {"ok":true,"redemptions":[{household, household_name, courtyard,
/// redemption:{id, goods, goods_name, price, status, at...}}]}. Errors: invalid_input (status),
/// not_found (handle), storage_error.
char* cunwu_points_redemptions(int handle, const char* scope, const char* status) {
  return answer([&]() -> Result<Json> {
    CUNWU_ASSIGN(auto* d, device(handle));
    CUNWU_ASSIGN(const auto st, redemption_status(status));
    CUNWU_ASSIGN(const auto items, points::Service(*d->replica).redemptions(RegionId(scope), st));
    Json out = Json::array();
    for (const auto& i : items) {
      out.push_back(Json{{"household", i.household.str()}, {"household_name", i.household_name},
                         {"courtyard", i.courtyard.str()}, {"redemption", points::to_json(i.redemption)}});
    }
    return Json{{"redemptions", std::move(out)}};
  });
}

/// 领取 — the shopkeeper hands over confirmed request `request` of `household`:
/// {"ok":true,"id":request}. Errors: not_found, not_confirmed, already_decided, forbidden_role,
/// out_of_scope, unknown_household.
char* cunwu_points_fulfil(int handle, const char* actor, const char* household, const char* request, double now_ms) {
  return points_command(handle, now_ms, [&](points::Service& s) -> Result<Json> {
    CUNWU_TRY(s.fulfil(UserId(actor), HouseholdId(household), request));
    return Json{{"id", request}};
  });
}

}  // extern "C"

// ============================================================================================
// Disclosure (村务公开)
// ============================================================================================

namespace {

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

// --- disclosure: reading ---------------------------------------------------------------------

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

// --- disclosure: commands --------------------------------------------------------------------

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

// ============================================================================================
// Before filing, departments, notices, refusals
// ============================================================================================

namespace {

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
