#include "cunwu/oplog/op.hpp"

#include "cunwu/base/text.hpp"

namespace cunwu::oplog {
namespace {

constexpr std::size_t kMaxIdChars = 200;

Result<std::string> get_id_text(const Json& j, const char* key) {
  const auto it = j.find(key);
  if (it == j.end() || !it->is_string()) return make_error(Errc::invalid_json, std::string("missing string ") + key);
  const auto& s = it->get_ref<const std::string&>();
  if (!is_valid_utf8(s)) return make_error(Errc::invalid_utf8, key);
  if (s.size() > kMaxIdChars) return make_error(Errc::invalid_id, std::string(key) + " too long");
  return s;
}

Result<std::int64_t> get_int(const Json& j, const char* key, std::int64_t min, std::int64_t max) {
  const auto it = j.find(key);
  if (it == j.end() || !it->is_number_integer()) {
    return make_error(Errc::invalid_json, std::string("missing integer ") + key);
  }
  // Compare unsigned values as unsigned: one above INT64_MAX must not go through int64 (or max + 1).
  if (it->is_number_unsigned() && it->get<std::uint64_t>() > std::uint64_t(max)) {
    return make_error(Errc::invalid_json, std::string(key) + " out of range");
  }
  const auto v = it->get<std::int64_t>();
  if (v < min || v > max) return make_error(Errc::invalid_json, std::string(key) + " out of range");
  return v;
}

}  // namespace

std::string to_string(const OpId& id) { return id.origin.str() + "." + std::to_string(id.counter); }

Json to_json(const Op& op) {
  return Json{{"origin", op.id.origin.str()},
              {"counter", op.id.counter},
              {"wall", op.hlc.wall},
              {"logical", op.hlc.logical},
              {"actor", op.actor.str()},
              {"type", op.type},
              {"entity", op.entity.str()},
              {"scope", op.scope.str()},
              {"visibility", int(op.visibility)},
              {"payload", op.payload}};
}

// Keys in dump()'s (sorted) order.
void write_json(JsonWriter& w, const Op& op) {
  w.begin_object();
  w.key("actor").value(op.actor.str());
  w.key("counter").value(std::int64_t(op.id.counter));
  w.key("entity").value(op.entity.str());
  w.key("logical").value(std::int64_t(op.hlc.logical));
  w.key("origin").value(op.id.origin.str());
  w.key("payload").raw(op.payload.dump());
  w.key("scope").value(op.scope.str());
  w.key("type").value(op.type);
  w.key("visibility").value(int(op.visibility));
  w.key("wall").value(op.hlc.wall);
  w.end_object();
}

Result<Op> op_from_json(const Json& j) {
  if (!j.is_object()) return make_error(Errc::invalid_json, "op is not an object");
  Op op;
  CUNWU_ASSIGN(auto origin, get_id_text(j, "origin"));
  // "origin.counter" names an op, so an origin may not contain the separator.
  if (origin.empty() || origin.find('.') != std::string::npos) return make_error(Errc::invalid_id, "origin");
  op.id.origin = ReplicaId(std::move(origin));
  CUNWU_ASSIGN(const auto counter, get_int(j, "counter", 1, INT64_MAX));
  op.id.counter = std::uint64_t(counter);
  CUNWU_ASSIGN(op.hlc.wall, get_int(j, "wall", 0, INT64_MAX / 2));
  CUNWU_ASSIGN(const auto logical, get_int(j, "logical", 0, UINT32_MAX));
  op.hlc.logical = std::uint32_t(logical);
  CUNWU_ASSIGN(auto actor, get_id_text(j, "actor"));
  op.actor = UserId(std::move(actor));
  CUNWU_ASSIGN(op.type, get_id_text(j, "type"));
  CUNWU_ASSIGN(auto entity, get_id_text(j, "entity"));
  op.entity = EntityId(std::move(entity));
  CUNWU_ASSIGN(auto scope, get_id_text(j, "scope"));
  op.scope = RegionId(std::move(scope));
  CUNWU_ASSIGN(const auto vis, get_int(j, "visibility", 0, 1));
  op.visibility = Visibility(vis);
  const auto p = j.find("payload");
  if (p == j.end() || !p->is_object()) return make_error(Errc::invalid_json, "payload is not an object");
  op.payload = *p;
  if (op.actor.empty() || op.type.empty() || op.entity.empty() || op.scope.empty()) {
    return make_error(Errc::invalid_id, "empty actor, type or entity");
  }
  return op;
}

}  // namespace cunwu::oplog
