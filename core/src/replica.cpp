#include "cunwu/replica.hpp"

#include "domains.hpp"
#include "cunwu/store/org_store.hpp"

namespace cunwu {

Replica::Replica(ReplicaId id, std::unique_ptr<store::Db> db, clock::PhysicalClock physical)
    : id_(std::move(id)), db_(std::move(db)), log_(std::make_unique<oplog::Log>(*db_, all_domains())),
      clock_(std::move(physical)) {}

namespace {

Status check_replica_id(const ReplicaId& id) {
  if (id.empty() || id.str().size() > 64 || id.str().find('.') != std::string::npos) {
    return make_error(Errc::invalid_id, "replica id must be 1..64 characters without '.'");
  }
  return ok_status();
}

}  // namespace

Result<std::unique_ptr<Replica>> Replica::open(ReplicaOptions options) {
  CUNWU_TRY(check_replica_id(options.id));
  CUNWU_ASSIGN(auto db, store::Db::open(options.path, options.db));
  std::unique_ptr<Replica> r(new Replica(options.id, std::move(db), std::move(options.physical)));
  CUNWU_ASSIGN(r->counter_, r->log_->ops().max_counter(r->id_));
  // Our own latest op (the highest counter carries the latest tick) is trusted as time; the
  // log's greatest hlc is only observed, as receive() does, so that a kept far-future op from
  // a wrong device clock does not set our clock after a restart.
  if (r->counter_ > 0) {
    CUNWU_ASSIGN(const auto own, r->log_->ops().find(oplog::OpId{r->id_, r->counter_}));
    if (own) r->clock_.restore(own->hlc);
  }
  CUNWU_ASSIGN(const auto last, r->log_->ops().max_hlc());
  (void)r->clock_.observe(last);
  CUNWU_ASSIGN(r->dir_, store::load_directory(*r->db_));
  return r;
}

Result<std::unique_ptr<Replica>> Replica::open_snapshot(ReplicaOptions options, std::string_view image,
                                                       std::string_view digest) {
  CUNWU_TRY(check_replica_id(options.id));  // before the file changes
  if (options.path == ":memory:") return make_error(Errc::invalid_input, "a snapshot is opened into a file");
  CUNWU_ASSIGN(const bool written, store::Db::write_new_file(options.path, image, digest));
  if (!written) {
    // The file exists (an app that opened its database before the first login): it is
    // replaced only while it holds no op; restore checks the image.
    CUNWU_ASSIGN(auto db, store::Db::open(options.path, options.db));
    CUNWU_ASSIGN(const auto ops, store::OpStore(*db).count());
    if (ops > 0) return make_error(Errc::invalid_input, options.path + " already holds " + std::to_string(ops) + " ops");
    CUNWU_TRY(db->restore(image, digest));
  }
  return open(std::move(options));
}

Status Replica::set_directory(org::Directory dir) {
  CUNWU_TRY(store::save_directory(*db_, dir));
  dir_ = std::move(dir);
  dir_version_.reset();
  return ok_status();
}

Status Replica::add_person(org::User user, const std::vector<org::Grant>& grants) {
  org::Directory dir = dir_;
  CUNWU_TRY(dir.add_user(user));
  for (const auto& g : grants) CUNWU_TRY(dir.grant(user.id, g.role, g.region));
  CUNWU_TRY(store::put_person(*db_, user, grants));
  dir_ = std::move(dir);
  dir_version_.reset();
  return ok_status();
}

Status Replica::reload_directory() {
  CUNWU_ASSIGN(auto dir, store::load_directory(*db_));
  dir_ = std::move(dir);
  dir_version_.reset();
  return ok_status();
}

const std::string& Replica::directory_version() const {
  if (!dir_version_) dir_version_ = org::directory_version(dir_);
  return *dir_version_;
}

Result<std::optional<std::size_t>> Replica::update_directory(org::Directory dir) {
  if (org::directory_version(dir) == directory_version()) return std::optional<std::size_t>{};
  // One transaction: a tree saved without the re-fold would leave its conflicts behind for good
  // (the next update would find the same tree and skip).
  store::Transaction tx(*db_);
  CUNWU_TRY(tx.status());
  CUNWU_TRY(store::save_directory(*db_, dir));
  auto refolded = log_->refold_conflicted(oplog::FoldContext{dir});
  if (refolded) {
    if (auto done = tx.commit(); !done) refolded = done.error();
  }
  if (!refolded) {
    log_->forget_cache();
    return refolded.error();
  }
  dir_ = std::move(dir);
  dir_version_.reset();
  return std::optional<std::size_t>{*refolded};
}

Result<oplog::Op> Replica::submit(OpDraft draft) {
  oplog::Op op;
  op.id = oplog::OpId{id_, counter_ + 1};
  op.actor = std::move(draft.actor);
  op.type = std::move(draft.type);
  op.entity = draft.entity.empty()
                  ? EntityId(op.type.substr(0, op.type.find('.')) + "/" + oplog::to_string(op.id))
                  : std::move(draft.entity);
  op.visibility = draft.visibility;
  op.payload = std::move(draft.payload);
  if (!op.payload.is_object()) return make_error(Errc::invalid_json, "payload must be an object");
  if (draft.scope.empty()) {
    CUNWU_ASSIGN(const auto row, log_->ops().entity(op.entity));
    if (!row) return make_error(Errc::not_found, op.entity.str());
    op.scope = row->scope;
  } else {
    op.scope = std::move(draft.scope);
  }
  const oplog::FoldContext ctx{dir_};
  op.hlc = clock_.tick();
  CUNWU_TRY(log_->check(op, ctx));
  CUNWU_ASSIGN(const auto report, log_->ingest(std::span<const oplog::Op>(&op, 1), ctx));
  if (!report.invalid.empty()) return report.invalid.front().second;
  ++counter_;
  return op;
}

Status Replica::rehearse(OpDraft draft) {
  store::Transaction tx(*db_);  // rolled back when it goes out of scope, never committed
  CUNWU_TRY(tx.status());
  const auto counter = counter_;
  const auto submitted = submit(std::move(draft));
  counter_ = counter;
  log_->forget_cache();  // states folded from the op the rollback removes
  if (!submitted) return submitted.error();
  return ok_status();
}

Result<oplog::IngestReport> Replica::receive(std::span<const oplog::Op> ops) {
  for (const auto& op : ops) (void)clock_.observe(op.hlc);  // a far-future op is kept, not trusted as time
  return log_->ingest(ops, oplog::FoldContext{dir_});
}

Status Replica::receive_rejected(const oplog::Op& op, const Error& why) {
  (void)clock_.observe(op.hlc);
  oplog::Op verdict;
  verdict.id = oplog::OpId{id_, counter_ + 1};
  verdict.hlc = clock_.tick();
  verdict.actor = kHostActor;
  verdict.type = oplog::kVerdictType;
  verdict.entity = op.entity;
  verdict.scope = op.scope;
  verdict.visibility = op.visibility;
  verdict.payload = oplog::Json{{"op", {{"origin", op.id.origin.str()}, {"counter", op.id.counter}}},
                                {"accepted", false},
                                {"code", errc_name(why.code)},
                                {"detail", why.detail}};
  const oplog::Op both[] = {op, verdict};
  CUNWU_ASSIGN(const auto report, log_->ingest(both, oplog::FoldContext{dir_}));
  if (!report.invalid.empty()) return report.invalid.front().second;
  ++counter_;
  return ok_status();
}

Result<oplog::Json> Replica::state_json(const EntityId& id) {
  CUNWU_ASSIGN(const auto state, log_->state(id));
  return state->to_json();
}

Result<std::vector<oplog::Conflict>> Replica::conflicts(const std::optional<EntityId>& entity) {
  return log_->ops().conflicts(entity);
}

Result<std::string> Replica::canonical_dump() {
  std::string out;
  for (const auto& kind : log_->kinds()) {
    CUNWU_ASSIGN(const auto rows, log_->ops().entities(kind));
    for (const auto& row : rows) out += row.id.str() + " " + row.state + "\n";
  }
  CUNWU_ASSIGN(const auto conflicts, log_->ops().conflicts());
  for (const auto& c : conflicts) {
    out += "conflict " + oplog::to_string(c.op) + " " + c.entity.str() + " " + c.type + " " +
           std::string(errc_name(c.error.code)) + "\n";
  }
  return out;
}

}  // namespace cunwu
