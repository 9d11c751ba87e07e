#pragma once
// 操作 — an operation: the unit of every change, appended to the log and never edited.
#include <compare>
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "cunwu/base/ids.hpp"
#include "cunwu/base/json_writer.hpp"
#include "cunwu/base/result.hpp"
#include "cunwu/clock/hlc.hpp"

namespace cunwu::oplog {

using Json = nlohmann::json;

/// Globally unique op id: the authoring replica and its per-replica counter (from 1).
struct OpId {
  ReplicaId origin;
  std::uint64_t counter = 0;
  friend std::strong_ordering operator<=>(const OpId& a, const OpId& b) {
    if (const auto c = a.origin <=> b.origin; c != 0) return c;
    return a.counter <=> b.counter;
  }
  friend bool operator==(const OpId& a, const OpId& b) { return a.origin == b.origin && a.counter == b.counter; }
};

/// Who may receive an op: everyone in its scope, or only the people taking part.
enum class Visibility : std::uint8_t { public_in_scope = 0, participants = 1 };

/// The fold order of ops: (hlc, origin, counter). Identical on every replica.
struct OrderKey {
  clock::Hlc hlc;
  std::string origin;
  std::uint64_t counter = 0;
  friend std::strong_ordering operator<=>(const OrderKey& a, const OrderKey& b) {
    if (const auto c = a.hlc <=> b.hlc; c != 0) return c;
    if (const auto c = a.origin.compare(b.origin) <=> 0; c != 0) return c;
    return a.counter <=> b.counter;
  }
  friend bool operator==(const OrderKey& a, const OrderKey& b) {
    return a.hlc == b.hlc && a.origin == b.origin && a.counter == b.counter;
  }
};

/// One operation. `type` is "<domain>.<verb>", e.g. "appeal.resolve".
struct Op {
  OpId id;
  clock::Hlc hlc;
  UserId actor;        ///< Who did it (checked against the session by the host).
  std::string type;    ///< What was done.
  EntityId entity;     ///< What it was done to.
  RegionId scope;      ///< Where in the org tree it belongs (drives replication).
  Visibility visibility = Visibility::public_in_scope;
  Json payload = Json::object();  ///< Type-specific fields.

  OrderKey order_key() const { return OrderKey{hlc, id.origin.str(), id.counter}; }
};

/// The type of verdict ops: the host's acceptance or rejection of another op.
inline constexpr const char* kVerdictType = "verdict";

/// Serializes an op to its wire and storage JSON.
Json to_json(const Op& op);
/// Appends the op to `w` as the text to_json(op).dump() is, without building the tree first
/// (only the payload is dumped): for the host's responses, which carry many ops.
void write_json(JsonWriter& w, const Op& op);

/// Parses an op from JSON, checking every field's presence, type and range.
/// Errors: invalid_json (shape), invalid_id, invalid_utf8.
Result<Op> op_from_json(const Json& j);

/// "origin.counter": the op id as text.
std::string to_string(const OpId& id);

}  // namespace cunwu::oplog
