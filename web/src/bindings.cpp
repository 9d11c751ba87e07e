// The C API of the WebAssembly core, part 1: devices (open from the host's snapshot, close,
// the org tree), sync, appeals and their handling, the appeals dashboard. Points and disclosure
// are in bindings_points.cpp and bindings_disclosure.cpp; bindings_support.hpp holds the
// contract every export keeps and the envelope. Devices are handles (positive integers) from
// cunwu_open; several can be open at once (a test may hold a villager's phone and tablet).
//
// Sections: helpers | open/close | org tree | sync | appeals | appeal handling (also dispatch and
// merge) | dashboard |
// storage (browser build only) | misc.
#include "bindings_support.hpp"

#include "cunwu/appeals/service.hpp"
#include "cunwu/org/directory.hpp"
#include "cunwu/sync/protocol.hpp"

#ifdef CUNWU_BROWSER
#include "opfs_vfs.hpp"
#endif

namespace {

using cunwu::Errc;
using cunwu::Result;
using cunwu::web::answer;
using cunwu::web::Device;
using cunwu::web::device;
using cunwu::web::device_at;
using cunwu::web::devices;
using cunwu::web::parse_json;
using cunwu::web::time_arg;
using Json = nlohmann::json;

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
