#include "cunwu/oplog/log.hpp"

#include <algorithm>
#include <map>
#include <set>

namespace cunwu::oplog {
namespace {

std::string_view kind_of(std::string_view type) { return type.substr(0, type.find('.')); }

bool before(const Op* a, const Op* b) { return a->order_key() < b->order_key(); }

// A verdict payload: {"op": {"origin", "counter"}, "accepted": bool, "code", "detail"}.
struct Verdict {
  OpId target;
  bool accepted = true;
  Error reason;
};

Result<Verdict> parse_verdict(const Op& op) {
  const Json& p = op.payload;
  const auto t = p.find("op");
  const auto acc = p.find("accepted");
  if (t == p.end() || !t->is_object() || acc == p.end() || !acc->is_boolean() || !t->contains("origin") ||
      !(*t)["origin"].is_string() || !t->contains("counter") || !(*t)["counter"].is_number_unsigned()) {
    return make_error(Errc::invalid_json, "verdict payload");
  }
  Verdict v{OpId{ReplicaId((*t)["origin"].get<std::string>()), (*t)["counter"].get<std::uint64_t>()},
            acc->get<bool>(), {}};
  v.reason = Error{errc_from_name(p.value("code", std::string("op_rejected"))), p.value("detail", std::string())};
  return v;
}

Conflict conflict_of(const Op& op, const Error& e) {
  return Conflict{op.id, op.entity, op.actor, op.type, e, op.hlc.wall};
}

}  // namespace

Log::Log(store::Db& db, std::vector<std::unique_ptr<Domain>> domains)
    : db_(db), ops_(db), domains_(std::move(domains)) {}

const Domain* Log::domain_for(std::string_view type) const {
  const auto kind = kind_of(type);
  for (const auto& d : domains_) {
    if (d->kind() == kind) return d->knows(type) ? d.get() : nullptr;
  }
  return nullptr;
}

Status Log::validate_shape(const Op& op) const {
  if (op.type == kVerdictType) {
    if (op.actor != kHostActor) return make_error(Errc::host_only, "verdict by " + op.actor.str());
    return parse_verdict(op) ? ok_status() : Status(make_error(Errc::invalid_json, "verdict payload"));
  }
  const Domain* d = domain_for(op.type);
  if (!d) return make_error(Errc::unknown_op_type, op.type);
  const std::string& e = op.entity.str();
  if (e.size() <= d->kind().size() + 1 || !e.starts_with(d->kind()) || e[d->kind().size()] != '/') {
    return make_error(Errc::invalid_id, "entity " + e + " is not a " + std::string(d->kind()));
  }
  return ok_status();
}

Status Log::check(const Op& op, const FoldContext& ctx) {
  CUNWU_TRY(validate_shape(op));
  if (op.type == kVerdictType) return ok_status();  // shape and author checked above
  const Domain* d = domain_for(op.type);
  if (!d) return make_error(Errc::unknown_op_type, op.type);
  CUNWU_ASSIGN(const auto row, ops_.entity(op.entity));
  std::unique_ptr<EntityState> state;
  if (row) {
    CUNWU_ASSIGN(state, d->from_json(Json::parse(row->state, nullptr, false)));
  } else {
    state = d->empty(op.entity);
  }
  return d->apply(*state, op, ctx);
}

Result<IngestReport> Log::ingest(std::span<const Op> ops, const FoldContext& ctx) {
  IngestReport report;
  store::Transaction tx(db_);
  CUNWU_TRY(tx.status());
  std::map<EntityId, std::vector<const Op*>> fresh;
  std::set<EntityId> verdict_touched;
  for (const Op& op : ops) {
    if (auto shape = validate_shape(op); !shape) {
      report.invalid.emplace_back(op.id, shape.error());
      continue;
    }
    CUNWU_ASSIGN(const bool inserted, ops_.insert(op));
    if (!inserted) {
      ++report.duplicates;
      continue;
    }
    ++report.inserted;
    if (op.type == kVerdictType) {
      const Verdict v = *parse_verdict(op);
      if (!v.accepted) {
        CUNWU_TRY(ops_.put_rejection(v.target, op.entity, v.reason));
        verdict_touched.insert(op.entity);
      }
      continue;
    }
    fresh[op.entity].push_back(&op);
  }
  for (const auto& id : verdict_touched) fresh.try_emplace(id);
  for (auto& [id, list] : fresh) {
    CUNWU_TRY(fold_entity(id, list, verdict_touched.contains(id), ctx, report));
  }
  CUNWU_TRY(tx.commit());
  return report;
}

Status Log::fold_entity(const EntityId& id, std::vector<const Op*>& fresh, bool force_refold,
                        const FoldContext& ctx, IngestReport& report) {
  const std::string kind = id.str().substr(0, id.str().find('/'));
  const Domain* domain = nullptr;
  for (const auto& d : domains_) {
    if (d->kind() == kind) domain = d.get();
  }
  if (!domain) return ok_status();  // a verdict about an entity of a kind we do not fold
  std::sort(fresh.begin(), fresh.end(), before);
  CUNWU_ASSIGN(const auto row, ops_.entity(id));
  if (force_refold || (row && !fresh.empty() && fresh.front()->order_key() < row->last)) {
    return refold(*domain, id, ctx, report);
  }
  if (fresh.empty()) return ok_status();
  std::unique_ptr<EntityState> state;
  if (row) {
    CUNWU_ASSIGN(state, domain->from_json(Json::parse(row->state, nullptr, false)));
  } else {
    state = domain->empty(id);
  }
  CUNWU_ASSIGN(const auto rejected, ops_.rejections(id));
  for (const Op* op : fresh) {
    const bool is_rejected = std::any_of(rejected.begin(), rejected.end(),
                                         [&](const auto& r) { return r.first == op->id; });
    if (is_rejected) continue;
    if (auto s = domain->apply(*state, *op, ctx); s) {
      ++report.applied;
    } else {
      ++report.conflicts;
      CUNWU_TRY(ops_.put_conflict(conflict_of(*op, s.error())));
    }
  }
  return ops_.put_entity(store::EntityRow{id, kind, state->scope(), state->to_json().dump(), fresh.back()->order_key()});
}

Status Log::refold(const Domain& domain, const EntityId& id, const FoldContext& ctx, IngestReport& report) {
  ++report.refolded_entities;
  CUNWU_ASSIGN(const auto all, ops_.entity_ops(id));
  CUNWU_ASSIGN(const auto rejected, ops_.rejections(id));
  CUNWU_TRY(ops_.clear_conflicts(id));
  auto state = domain.empty(id);
  OrderKey last;
  for (const Op& op : all) {
    if (op.type == kVerdictType) continue;
    last = op.order_key();
    const bool is_rejected = std::any_of(rejected.begin(), rejected.end(),
                                         [&](const auto& r) { return r.first == op.id; });
    if (is_rejected) continue;
    if (auto s = domain.apply(*state, op, ctx); !s) {
      ++report.conflicts;
      CUNWU_TRY(ops_.put_conflict(conflict_of(op, s.error())));
    }
  }
  return ops_.put_entity(store::EntityRow{id, std::string(domain.kind()), state->scope(), state->to_json().dump(), last});
}

Result<std::unique_ptr<EntityState>> Log::state(const EntityId& id) {
  CUNWU_ASSIGN(const auto row, ops_.entity(id));
  if (!row) return make_error(Errc::not_found, id.str());
  const Domain* domain = nullptr;
  for (const auto& d : domains_) {
    if (d->kind() == row->kind) domain = d.get();
  }
  if (!domain) return make_error(Errc::not_found, "no domain for " + row->kind);
  return domain->from_json(Json::parse(row->state, nullptr, false));
}

}  // namespace cunwu::oplog
