#pragma once
// 同步协议 — the sync protocol: one round trip (POST /v1/sync) pushes the ops the host has not
// acknowledged and pulls the ops visible to the user after a cursor. Both sides (the WASM client
// and the native host) parse and write these messages with this code; the schema and golden
// examples are in shared/protocol/.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cunwu/oplog/op.hpp"

namespace cunwu::sync {

/// The protocol version on every message; a peer with another version gets protocol_mismatch.
inline constexpr int kProtocolVersion = 1;

/// Bounds on one round trip; a request above them is refused whole (request_too_large).
struct Limits {
  std::size_t max_push_ops = 1000;       ///< ops pushed in one request
  std::size_t max_pull_ops = 1000;       ///< ops returned in one response
  std::size_t max_body_bytes = 4 << 20;  ///< request body size (the HTTP host enforces it)
};

/// What a device sends.
struct SyncRequest {
  int schema = 0;                   ///< the sender's database schema version
  ReplicaId replica;                ///< the device's replica id (origin of the ops it pushes)
  std::int64_t cursor = 0;          ///< the host position after the last op pulled (0: none yet)
  std::vector<oplog::Op> push;      ///< the device's own ops not yet acknowledged, oldest first
  std::size_t pull_limit = 1000;    ///< at most this many ops back (the host caps it)
  std::int64_t sent_at = 0;         ///< device clock (ms) when sent, echoed for the clock offset
};

/// What the host decided about one pushed op.
enum class AckStatus : std::uint8_t {
  accepted,   ///< durably stored and folded on the host
  duplicate,  ///< already stored earlier (a retry); nothing changed
  rejected,   ///< refused: `reason` says why (a stored op also gets a verdict op)
};

struct Ack {
  oplog::OpId op;
  AckStatus status = AckStatus::accepted;
  std::optional<Error> reason;  ///< set when rejected
};

/// What the host answers.
struct SyncResponse {
  int schema = 0;
  std::vector<Ack> acks;          ///< one per pushed op, in push order
  std::vector<oplog::Op> ops;     ///< visible ops after the cursor, in host order
  /// More of them, after `ops`, each as its wire text (oplog::to_json(op).dump()): what the
  /// host's pull reads from its store and sends without parsing (Host::pull_batch).
  std::vector<std::string> wire_ops;
  std::int64_t cursor = 0;        ///< the cursor for the next request
  bool more = false;              ///< more ops are waiting: sync again right away
  std::int64_t host_time = 0;     ///< host clock (ms) when answering
  std::int64_t echo_sent_at = 0;  ///< the request's sent_at
};

/// Writes a message with its protocol version.
oplog::Json to_json(const SyncRequest& r);
oplog::Json to_json(const SyncResponse& r);
/// The response as the text to_json(r).dump() is, written straight (the host's hot path).
std::string to_text(const SyncResponse& r);

/// Parses `r.wire_ops` into `r.ops`, after what it holds, and empties it: the ops as a device
/// that read the response holds them. Errors: those of op_from_json, invalid_json.
Status parse_wire_ops(SyncResponse& r);

/// Parses and validates a request: shape, types, ranges, every op (op_from_json), the push and
/// pull bounds of `limits`. Errors: invalid_json, invalid_id, invalid_utf8, protocol_mismatch,
/// request_too_large.
Result<SyncRequest> request_from_json(const oplog::Json& j, const Limits& limits = {});
/// Parses and validates a response. Errors: invalid_json, invalid_id, invalid_utf8,
/// protocol_mismatch.
Result<SyncResponse> response_from_json(const oplog::Json& j);

/// Parses a request body (text): invalid_json for anything that is not JSON (also bad UTF-8).
Result<SyncRequest> parse_request(std::string_view body, const Limits& limits = {});

std::string_view name(AckStatus s);

}  // namespace cunwu::sync
