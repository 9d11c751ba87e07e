// Host::snapshot: a new device's first state, cut from the host's database.
#include <cstdint>
#include <unordered_map>

#include "cunwu/base/hash64.hpp"
#include "cunwu/store/snapshot_store.hpp"
#include "cunwu/store/sync_store.hpp"
#include "cunwu/sync/client.hpp"
#include "cunwu/sync/host.hpp"
#include "cunwu/sync/visibility.hpp"
#include "store/migrations.hpp"

namespace cunwu::sync {
namespace {

// Per entity: how many of its ops the host holds and which of them go to the user.
struct Share {
  std::size_t total = 0;
  std::vector<std::int64_t> seqs;
};

}  // namespace

Status Host::check_snapshot_request(const SyncRequest& req) {
  if (req.schema != store::latest_schema_version()) {
    return make_error(Errc::protocol_mismatch, "device schema " + std::to_string(req.schema) + ", host " +
                                                   std::to_string(store::latest_schema_version()));
  }
  if (!req.push.empty() || req.cursor != 0) {
    return make_error(Errc::invalid_input, "a snapshot is for a device that holds nothing yet: sync instead");
  }
  return ok_status();
}

Result<Snapshot> Host::snapshot(const UserId& user, const SyncRequest& req) {
  CUNWU_TRY(check_snapshot_request(req));
  // One read of the host's database: the cursor and the rows agree even if another process
  // (cunwu-admin) writes meanwhile, and the many small reads below share one lock.
  store::Transaction view(r_.db(), store::Transaction::Mode::read);
  CUNWU_TRY(view.status());
  Snapshot out;
  CUNWU_ASSIGN(out.cursor, r_.log().ops().max_seq());
  CUNWU_ASSIGN(const auto heads, store::op_heads(r_.db(), 0, out.cursor, SIZE_MAX));
  CUNWU_ASSIGN(const auto joined, store::entities_of(r_.db(), user));
  // The rule of Host::pull from cursor 0: an entity joined later (since > 0) is owed all its
  // ops; otherwise each op goes by may_receive, participants-only ops to its participants.
  std::unordered_map<std::string, Share> shares;
  std::vector<EntityId> order;  // entities in order of their first op
  std::vector<std::int64_t> copied_seqs;
  for (const auto& h : heads) {
    auto [it, fresh] = shares.try_emplace(h.entity.str());
    if (fresh) order.push_back(h.entity);
    ++it->second.total;
    const auto j = joined.find(h.entity);
    bool owed = j != joined.end() && j->second > 0;
    if (!owed) {
      const bool takes_part = h.visibility == oplog::Visibility::participants && j != joined.end();
      owed = may_receive(r_.directory(), user, h.scope, h.visibility, takes_part);
    }
    if (owed) it->second.seqs.push_back(h.seq);
  }

  ReplicaOptions options;
  options.id = req.replica;
  CUNWU_ASSIGN(auto snap, Replica::open(std::move(options)));  // in memory
  CUNWU_TRY(snap->set_directory(r_.directory()));
  store::Transaction tx(snap->db());
  CUNWU_TRY(tx.status());
  std::vector<EntityId> whole;
  std::vector<oplog::Op> partial;
  for (const auto& id : order) {
    const auto& share = shares.at(id.str());
    if (share.seqs.empty()) continue;
    out.ops += share.seqs.size();
    if (share.seqs.size() == share.total) {
      whole.push_back(id);
      continue;
    }
    // Only part of it is the user's (e.g. a post whose drafts only cadres see): the host's
    // state would tell more than its ops, so it is folded from those ops alone.
    ++out.folded;
    for (const auto seq : share.seqs) {
      CUNWU_ASSIGN(auto op, r_.log().ops().at_seq(seq));
      if (op) partial.push_back(std::move(*op));
    }
  }
  CUNWU_TRY(snap->receive(partial));
  // The whole entities' ops in host order, then their folded rows as the host has them.
  for (const auto& h : heads) {
    const auto& share = shares.at(h.entity.str());
    if (share.seqs.size() == share.total) copied_seqs.push_back(h.seq);
  }
  CUNWU_TRY(store::copy_ops(r_.db(), snap->db(), copied_seqs));
  CUNWU_TRY(store::copy_entities(r_.db(), snap->db(), whole));
  for (const auto& id : whole) CUNWU_TRY(snap->log().reproject(id));
  out.copied = whole.size();
  CUNWU_TRY(store::put_meta_int(snap->db(), kCursorMetaKey, out.cursor));
  CUNWU_TRY(tx.commit());
  CUNWU_ASSIGN(out.image, snap->db().serialize());
  // Checked once here, natively, where it is cheap: the device then checks only that it got
  // these bytes (the digest), not every page again in WebAssembly.
  CUNWU_TRY(store::Db::check_image(out.image));
  out.digest = xxh64_digest(out.image);
  return out;
}

}  // namespace cunwu::sync
