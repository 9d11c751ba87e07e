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
  const auto code = p.find("code"), detail = p.find("detail");
  if ((code != p.end() && !code->is_string()) || (detail != p.end() && !detail->is_string())) {
    return make_error(Errc::invalid_json, "verdict payload");
  }
  Verdict v{OpId{ReplicaId((*t)["origin"].get<std::string>()), (*t)["counter"].get<std::uint64_t>()},
            acc->get<bool>(), {}};
  v.reason = Error{errc_from_name(code == p.end() ? "op_rejected" : code->get<std::string>()),
                   detail == p.end() ? std::string() : detail->get<std::string>()};
  return v;
}

Conflict conflict_of(const Op& op, const Error& e) {
  return Conflict{op.id, op.entity, op.actor, op.type, e, op.hlc.wall};
}

}  // namespace

Log::Log(store::Db& db, std::vector<std::unique_ptr<Domain>> domains)
    : db_(db), ops_(db), domains_(std::move(domains)) {
  ops_.before_entity_scan([this] { return write_held(); });
}

Log::WriteBehind::WriteBehind(Log& log) : log_(log), active_(!log.holding_) { log_.holding_ = true; }

Log::WriteBehind::~WriteBehind() {
  if (!active_) return;
  log_.holding_ = false;
  // Not finished: the caller rolls back, and the cached states are no longer what is stored.
  if (!log_.unwritten_.empty()) log_.forget_cache();
}

Status Log::WriteBehind::finish() {
  if (!active_) return ok_status();
  CUNWU_TRY(log_.write_held());
  log_.holding_ = false;
  active_ = false;
  return ok_status();
}

Status Log::write_held() {
  for (const auto& [id, domain] : unwritten_) {
    const auto it = cache_.find(id);
    if (it == cache_.end()) return make_error(Errc::internal, "held row without a state: " + id.str());
    const EntityState& state = *it->second.state;
    CUNWU_TRY(ops_.put_entity(store::EntityRow{id, std::string(domain->kind()), state.scope(), state.to_text(),
                                               it->second.last}));
  }
  unwritten_.clear();
  return ok_status();
}

Status Log::make_room(const EntityId& id) {
  if (cache_.size() < kCacheLimit || cache_.contains(id)) return ok_status();
  CUNWU_TRY(write_held());
  cache_.clear();
  return ok_status();
}

std::vector<std::string> Log::kinds() const {
  std::vector<std::string> out;
  for (const auto& d : domains_) out.emplace_back(d->kind());
  return out;
}

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

const Domain* Log::domain_of_entity(const EntityId& id) const {
  const std::string_view kind = std::string_view(id.str()).substr(0, id.str().find('/'));
  for (const auto& d : domains_) {
    if (d->kind() == kind) return d.get();
  }
  return nullptr;
}

Result<Log::Cached*> Log::cached(const EntityId& id, const Domain& domain) {
  if (const auto it = cache_.find(id); it != cache_.end()) return &it->second;
  if (absent_.contains(id)) return static_cast<Cached*>(nullptr);
  CUNWU_ASSIGN(const auto row, ops_.entity(id));
  if (!row) {
    if (absent_.size() >= kCacheLimit) absent_.clear();
    absent_.insert(id);
    return static_cast<Cached*>(nullptr);
  }
  CUNWU_ASSIGN(auto state, domain.from_json(Json::parse(row->state, nullptr, false)));
  CUNWU_TRY(make_room(id));
  return &(cache_[id] = Cached{std::move(state), row->last});
}

Status Log::remember(const EntityId& id, const Domain& domain, std::unique_ptr<EntityState> state,
                     const OrderKey& last) {
  if (!holding_) {
    CUNWU_TRY(ops_.put_entity(store::EntityRow{id, std::string(domain.kind()), state->scope(),
                                               state->to_text(), last}));
  }
  CUNWU_TRY(domain.project(db_, id, *state));
  CUNWU_TRY(make_room(id));
  absent_.erase(id);
  cache_[id] = Cached{std::move(state), last};
  if (holding_) unwritten_[id] = &domain;  // after make_room, which writes what was held before
  return ok_status();
}

Status Log::reproject(const EntityId& id) {
  const Domain* domain = domain_of_entity(id);
  if (!domain || !domain->has_projection()) return ok_status();
  CUNWU_ASSIGN(auto* c, cached(id, *domain));
  if (!c) return ok_status();
  return domain->project(db_, id, *c->state);
}

Result<bool> Log::any_rejections() {
  if (!any_rejections_) {
    CUNWU_ASSIGN(const auto n, ops_.rejection_count());
    any_rejections_ = n > 0;
  }
  return *any_rejections_;
}

Status Log::check(const Op& op, const FoldContext& ctx) {
  CUNWU_TRY(validate_shape(op));
  if (op.type == kVerdictType) return ok_status();  // shape and author checked above
  const Domain* d = domain_for(op.type);
  if (!d) return make_error(Errc::unknown_op_type, op.type);
  CUNWU_ASSIGN(Cached* c, cached(op.entity, *d));
  const auto state = c ? c->state->clone() : d->empty(op.entity);
  return d->apply(*state, op, ctx);
}

Status Log::check_audience(const Op& op) {
  CUNWU_TRY(validate_shape(op));
  if (op.type == kVerdictType) return ok_status();
  const Domain* d = domain_for(op.type);
  if (!d) return make_error(Errc::unknown_op_type, op.type);
  if (const auto v = d->visibility_of(op.type); v && op.visibility != *v) {
    return make_error(
        Errc::visibility_mismatch,
        op.type + (*v == Visibility::participants ? " is for participants only" : " is public in its scope"));
  }
  // An entity without a state yet takes the scope of its first op (the domain checks that one);
  // some kinds know their scope from the id alone (a village's rulebook).
  CUNWU_ASSIGN(Cached* c, cached(op.entity, *d));
  const RegionId scope = c ? c->state->scope() : d->empty(op.entity)->scope();
  if (!scope.empty() && op.scope != scope) {
    return make_error(Errc::scope_mismatch, op.entity.str() + " is in " + scope.str() + ", not " + op.scope.str());
  }
  return ok_status();
}

Result<IngestReport> Log::ingest(std::span<const Op> ops, const FoldContext& ctx) {
  auto report = ingest_all(ops, ctx);
  // The transaction rolled back: cached states may hold changes that are no longer stored.
  if (!report) forget_cache();
  return report;
}

Result<IngestReport> Log::ingest_all(std::span<const Op> ops, const FoldContext& ctx) {
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
        any_rejections_ = true;
        ++rejections_recorded_;
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
  const Domain* domain = domain_of_entity(id);
  if (!domain) return ok_status();  // a verdict about an entity of a kind we do not fold
  std::sort(fresh.begin(), fresh.end(), before);
  CUNWU_ASSIGN(Cached* c, cached(id, *domain));
  if (force_refold || (c && !fresh.empty() && fresh.front()->order_key() < c->last)) {
    return refold(*domain, id, fresh, ctx, report);
  }
  if (fresh.empty()) return ok_status();
  std::unique_ptr<EntityState> state = c ? std::move(c->state) : domain->empty(id);
  std::vector<std::pair<OpId, Error>> rejected;
  CUNWU_ASSIGN(const bool check_rejections, any_rejections());
  if (check_rejections) { CUNWU_ASSIGN(rejected, ops_.rejections(id)); }
  std::optional<std::vector<Op>> known_ops;
  long conflicts = c ? c->conflicts : 0;
  if (c && c->ops) known_ops = std::move(c->ops);
  for (const Op* op : fresh) {
    if (known_ops) known_ops->push_back(*op);  // fresh ops all sort after the known ones
    const bool is_rejected = std::any_of(rejected.begin(), rejected.end(),
                                         [&](const auto& r) { return r.first == op->id; });
    if (is_rejected) continue;
    if (auto s = domain->apply(*state, *op, ctx); s) {
      ++report.applied;
    } else {
      ++report.conflicts;
      if (conflicts >= 0) ++conflicts;
      CUNWU_TRY(ops_.put_conflict(conflict_of(*op, s.error())));
    }
  }
  CUNWU_TRY(remember(id, *domain, std::move(state), fresh.back()->order_key()));
  Cached& entry = cache_[id];
  entry.ops = std::move(known_ops);
  entry.conflicts = conflicts;
  return ok_status();
}

Status Log::refold(const Domain& domain, const EntityId& id, const std::vector<const Op*>& fresh,
                   const FoldContext& ctx, IngestReport& report) {
  ++report.refolded_entities;
  // The entity's ops: from the cache plus the fresh ones (already appended to the log), or
  // read back from the log on the first re-fold.
  std::vector<Op> all;
  long previous_conflicts = -1;
  if (const auto it = cache_.find(id); it != cache_.end() && it->second.ops) {
    all = std::move(*it->second.ops);
    previous_conflicts = it->second.conflicts;
    const auto middle = all.size();
    for (const Op* op : fresh) all.push_back(*op);
    std::inplace_merge(all.begin(), all.begin() + std::ptrdiff_t(middle), all.end(),
                       [](const Op& a, const Op& b) { return a.order_key() < b.order_key(); });
  } else {
    CUNWU_ASSIGN(all, ops_.entity_ops(id));
    // Verdicts are not folded, and they sort by the host's clock, after ops that may still
    // arrive: kept in the list they would break its order (the cache appends in-order ops).
    std::erase_if(all, [](const Op& op) { return op.type == kVerdictType; });
  }
  std::vector<std::pair<OpId, Error>> rejected;
  CUNWU_ASSIGN(const bool check_rejections, any_rejections());
  if (check_rejections) { CUNWU_ASSIGN(rejected, ops_.rejections(id)); }
  if (previous_conflicts != 0) CUNWU_TRY(ops_.clear_conflicts(id));
  long conflicts = 0;
  auto state = domain.empty(id);
  OrderKey last;
  for (const Op& op : all) {
    last = op.order_key();
    const bool is_rejected = std::any_of(rejected.begin(), rejected.end(),
                                         [&](const auto& r) { return r.first == op.id; });
    if (is_rejected) continue;
    if (auto s = domain.apply(*state, op, ctx); !s) {
      ++report.conflicts;
      ++conflicts;
      CUNWU_TRY(ops_.put_conflict(conflict_of(op, s.error())));
    }
  }
  CUNWU_TRY(remember(id, domain, std::move(state), last));
  Cached& entry = cache_[id];
  entry.ops = std::move(all);
  entry.conflicts = conflicts;
  return ok_status();
}

Result<std::size_t> Log::refold_conflicted(const FoldContext& ctx) {
  CUNWU_ASSIGN(const auto conflicts, ops_.conflicts());
  std::set<EntityId> entities;
  for (const auto& c : conflicts) entities.insert(c.entity);
  if (entities.empty()) return std::size_t{0};
  IngestReport report;
  auto run = [&]() -> Status {
    store::Transaction tx(db_);
    CUNWU_TRY(tx.status());
    for (const auto& id : entities) {
      const Domain* domain = domain_of_entity(id);
      if (!domain) continue;
      // A re-fold without fresh ops reads the entity's ops back from the log.
      if (auto it = cache_.find(id); it != cache_.end()) it->second.ops.reset();
      CUNWU_TRY(refold(*domain, id, {}, ctx, report));
    }
    return tx.commit();
  };
  if (auto done = run(); !done) {
    forget_cache();
    return done.error();
  }
  return entities.size();
}

Result<std::unique_ptr<EntityState>> Log::state(const EntityId& id) {
  CUNWU_ASSIGN(const EntityState* s, peek(id));
  return s->clone();
}

Result<const EntityState*> Log::peek(const EntityId& id) {
  const Domain* domain = domain_of_entity(id);
  if (!domain) return make_error(Errc::not_found, id.str());
  CUNWU_ASSIGN(Cached* c, cached(id, *domain));
  if (!c) return make_error(Errc::not_found, id.str());
  return static_cast<const EntityState*>(c->state.get());
}

}  // namespace cunwu::oplog
