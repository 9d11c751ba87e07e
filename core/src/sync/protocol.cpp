#include "cunwu/sync/protocol.hpp"

#include <array>

#include "cunwu/base/text.hpp"

namespace cunwu::sync {
namespace {

using oplog::Json;

constexpr std::array<std::string_view, 3> kAckNames{"accepted", "duplicate", "rejected"};
constexpr std::size_t kMaxReplicaChars = 64;

Status check_version(const Json& j) {
  if (!j.is_object()) return make_error(Errc::invalid_json, "message is not an object");
  const auto p = j.find("protocol");
  if (p == j.end() || !p->is_number_integer()) return make_error(Errc::invalid_json, "missing protocol");
  if (p->get<std::int64_t>() != kProtocolVersion) {
    return make_error(Errc::protocol_mismatch, "protocol " + p->dump() + ", host speaks " + std::to_string(kProtocolVersion));
  }
  return ok_status();
}

Result<std::int64_t> get_int(const Json& j, const char* key, std::int64_t min, std::int64_t max) {
  const auto it = j.find(key);
  if (it == j.end() || !it->is_number_integer()) return make_error(Errc::invalid_json, std::string("missing integer ") + key);
  if (it->is_number_unsigned() && it->get<std::uint64_t>() > std::uint64_t(max)) {
    return make_error(Errc::invalid_json, std::string(key) + " out of range");
  }
  const auto v = it->get<std::int64_t>();
  if (v < min || v > max) return make_error(Errc::invalid_json, std::string(key) + " out of range");
  return v;
}

Result<std::vector<oplog::Op>> get_ops(const Json& j, const char* key, std::size_t max) {
  const auto it = j.find(key);
  if (it == j.end() || !it->is_array()) return make_error(Errc::invalid_json, std::string("missing array ") + key);
  if (it->size() > max) {
    return make_error(Errc::request_too_large, std::to_string(it->size()) + " ops > " + std::to_string(max));
  }
  std::vector<oplog::Op> ops;
  ops.reserve(it->size());
  for (const auto& o : *it) {
    auto op = oplog::op_from_json(o);
    if (!op) return Error{op.error().code, std::string(key) + "[" + std::to_string(ops.size()) + "]: " + op.error().detail};
    ops.push_back(std::move(op).value());
  }
  return ops;
}

Json ack_json(const Ack& a) {
  Json j = {{"origin", a.op.origin.str()}, {"counter", a.op.counter}, {"status", name(a.status)}};
  if (a.reason) {
    j["code"] = errc_name(a.reason->code);
    j["detail"] = a.reason->detail;
  }
  return j;
}

Result<Ack> ack_from_json(const Json& j) {
  if (!j.is_object()) return make_error(Errc::invalid_json, "ack is not an object");
  Ack a;
  const auto origin = j.find("origin");
  if (origin == j.end() || !origin->is_string()) return make_error(Errc::invalid_json, "ack origin");
  a.op.origin = ReplicaId(origin->get<std::string>());
  CUNWU_ASSIGN(const auto counter, get_int(j, "counter", 1, INT64_MAX));
  a.op.counter = std::uint64_t(counter);
  const auto status = j.find("status");
  if (status == j.end() || !status->is_string()) return make_error(Errc::invalid_json, "ack status");
  std::size_t k = 0;
  while (k < kAckNames.size() && kAckNames[k] != status->get_ref<const std::string&>()) ++k;
  if (k == kAckNames.size()) return make_error(Errc::invalid_json, "ack status " + status->dump());
  a.status = AckStatus(k);
  if (a.status == AckStatus::rejected) {
    const auto code = j.find("code");
    if (code == j.end() || !code->is_string()) return make_error(Errc::invalid_json, "rejected ack without code");
    const auto detail = j.find("detail");
    if (detail != j.end() && !detail->is_string()) return make_error(Errc::invalid_json, "ack detail is not text");
    a.reason = Error{errc_from_name(code->get<std::string>()), detail == j.end() ? std::string() : detail->get<std::string>()};
  }
  return a;
}

}  // namespace

std::string_view name(AckStatus s) { return kAckNames[std::size_t(s)]; }

Json to_json(const SyncRequest& r) {
  Json push = Json::array();
  for (const auto& op : r.push) push.push_back(oplog::to_json(op));
  return Json{{"protocol", kProtocolVersion}, {"schema", r.schema},        {"replica", r.replica.str()},
              {"cursor", r.cursor},           {"push", std::move(push)},   {"pull_limit", r.pull_limit},
              {"sent_at", r.sent_at}};
}

Json to_json(const SyncResponse& r) {
  Json acks = Json::array();
  for (const auto& a : r.acks) acks.push_back(ack_json(a));
  Json ops = Json::array();
  for (const auto& op : r.ops) ops.push_back(oplog::to_json(op));
  for (const auto& text : r.wire_ops) ops.push_back(Json::parse(text));
  return Json{{"protocol", kProtocolVersion}, {"schema", r.schema}, {"acks", std::move(acks)},
              {"ops", std::move(ops)},        {"cursor", r.cursor}, {"more", r.more},
              {"host_time", r.host_time},     {"echo_sent_at", r.echo_sent_at}};
}

// Keys in dump()'s (sorted) order, as ack_json and to_json(SyncResponse) have them.
std::string to_text(const SyncResponse& r) {
  JsonWriter w;
  std::size_t wire_bytes = 0;
  for (const auto& text : r.wire_ops) wire_bytes += text.size() + 1;
  w.reserve(256 + 96 * r.acks.size() + 512 * r.ops.size() + wire_bytes);
  w.begin_object();
  w.key("acks").begin_array();
  for (const auto& a : r.acks) {
    w.begin_object();
    if (a.reason) w.key("code").value(errc_name(a.reason->code));
    w.key("counter").value(std::int64_t(a.op.counter));
    if (a.reason) w.key("detail").value(a.reason->detail);
    w.key("origin").value(a.op.origin.str());
    w.key("status").value(name(a.status));
    w.end_object();
  }
  w.end_array();
  w.key("cursor").value(r.cursor);
  w.key("echo_sent_at").value(r.echo_sent_at);
  w.key("host_time").value(r.host_time);
  w.key("more").value(r.more);
  w.key("ops").begin_array();
  for (const auto& op : r.ops) oplog::write_json(w, op);
  for (const auto& text : r.wire_ops) w.raw(text);
  w.end_array();
  w.key("protocol").value(kProtocolVersion);
  w.key("schema").value(r.schema);
  w.end_object();
  return w.take();
}

Result<SyncRequest> request_from_json(const Json& j, const Limits& limits) {
  CUNWU_TRY(check_version(j));
  SyncRequest r;
  CUNWU_ASSIGN(const auto schema, get_int(j, "schema", 1, 1'000'000));
  r.schema = int(schema);
  const auto replica = j.find("replica");
  if (replica == j.end() || !replica->is_string()) return make_error(Errc::invalid_json, "missing replica");
  const auto& id = replica->get_ref<const std::string&>();
  if (id.empty() || id.size() > kMaxReplicaChars || id.find('.') != std::string::npos || !is_valid_utf8(id)) {
    return make_error(Errc::invalid_id, "replica id must be 1..64 characters without '.'");
  }
  r.replica = ReplicaId(id);
  CUNWU_ASSIGN(r.cursor, get_int(j, "cursor", 0, INT64_MAX));
  CUNWU_ASSIGN(r.push, get_ops(j, "push", limits.max_push_ops));
  CUNWU_ASSIGN(const auto limit, get_int(j, "pull_limit", 0, INT64_MAX));
  r.pull_limit = std::min<std::size_t>(std::size_t(limit), limits.max_pull_ops);
  CUNWU_ASSIGN(r.sent_at, get_int(j, "sent_at", 0, INT64_MAX / 2));
  return r;
}

Status parse_wire_ops(SyncResponse& r) {
  r.ops.reserve(r.ops.size() + r.wire_ops.size());
  for (const auto& text : r.wire_ops) {
    const Json j = Json::parse(text, nullptr, false);
    if (j.is_discarded()) return make_error(Errc::invalid_json, "a pulled op is not JSON");
    CUNWU_ASSIGN(auto op, oplog::op_from_json(j));
    r.ops.push_back(std::move(op));
  }
  r.wire_ops.clear();
  return ok_status();
}

Result<SyncResponse> response_from_json(const Json& j) {
  CUNWU_TRY(check_version(j));
  SyncResponse r;
  CUNWU_ASSIGN(const auto schema, get_int(j, "schema", 1, 1'000'000));
  r.schema = int(schema);
  const auto acks = j.find("acks");
  if (acks == j.end() || !acks->is_array()) return make_error(Errc::invalid_json, "missing acks");
  for (const auto& a : *acks) {
    CUNWU_ASSIGN(auto ack, ack_from_json(a));
    r.acks.push_back(std::move(ack));
  }
  CUNWU_ASSIGN(r.ops, get_ops(j, "ops", SIZE_MAX));
  CUNWU_ASSIGN(r.cursor, get_int(j, "cursor", 0, INT64_MAX));
  const auto more = j.find("more");
  if (more == j.end() || !more->is_boolean()) return make_error(Errc::invalid_json, "missing more");
  r.more = more->get<bool>();
  CUNWU_ASSIGN(r.host_time, get_int(j, "host_time", 0, INT64_MAX / 2));
  CUNWU_ASSIGN(r.echo_sent_at, get_int(j, "echo_sent_at", 0, INT64_MAX / 2));
  return r;
}

Result<SyncRequest> parse_request(std::string_view body, const Limits& limits) {
  if (body.size() > limits.max_body_bytes) {
    return make_error(Errc::request_too_large, std::to_string(body.size()) + " bytes");
  }
  const Json j = Json::parse(body, nullptr, false);
  if (j.is_discarded()) return make_error(Errc::invalid_json, "request body is not JSON");
  return request_from_json(j, limits);
}

}  // namespace cunwu::sync
