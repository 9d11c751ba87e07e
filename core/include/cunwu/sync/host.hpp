#pragma once
// The host side of a sync round trip, over the host's replica: validates each pushed op once, in
// host order, stores it with a verdict, and answers with the ops the user may see.
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "cunwu/replica.hpp"
#include "cunwu/store/snapshot_store.hpp"
#include "cunwu/sync/protocol.hpp"

namespace cunwu::sync {

/// What a host does after it accepts an op, on its own authority (e.g. give a new appeal its
/// official number). Called inside the push's transaction; an error rolls the push back.
using AfterAccept = std::function<Status(Replica& host, const oplog::Op& op, TimeMs now)>;

/// The host's follow-ups for every domain (official appeal numbers, ...).
std::vector<AfterAccept> default_follow_ups();

/// A snapshot for a new device (Host::snapshot) and what it holds.
struct Snapshot {
  store::Image image;         ///< a SQLite database file, which passed quick_check on the host
  std::string digest;         ///< xxh64_digest(image), for Replica::open_snapshot
  std::int64_t cursor = 0;    ///< the pull cursor it starts from
  std::size_t ops = 0;        ///< ops it holds
  std::size_t copied = 0;     ///< entities whose folded rows were copied from the host
  std::size_t folded = 0;     ///< entities folded from the part of their ops the user may see
};

/// Handles sync requests on the host's replica. Not thread-safe: one request at a time.
class Host {
 public:
  explicit Host(Replica& replica, Limits limits = {}, std::vector<AfterAccept> follow_ups = default_follow_ups())
      : r_(replica), limits_(limits), follow_ups_(std::move(follow_ups)) {}

  /// One round trip for the authenticated `user` at host time `now`. Each pushed op is
  /// acknowledged: accepted (valid on the host's current state: the actor is `user`, the role
  /// and scope allow it, the domain's rules hold), duplicate (stored before), or rejected with a
  /// catalogued reason; a rejected op that is well-formed is stored with a verdict op that
  /// excludes it from every fold, so its author and the people concerned see why. Everything is
  /// durably committed before the response exists. The pull returns, after `req.cursor`, the
  /// ops `user` may receive (sync::may_receive) that did not come from the requesting device,
  /// at most the capped pull limit. Errors (nothing stored): protocol_mismatch (the device's
  /// schema is newer), request_too_large, storage_error.
  Result<SyncResponse> sync(const UserId& user, const SyncRequest& req, TimeMs now);

  /// One request of a batch: the authenticated user and what the device sent.
  struct Pending {
    UserId user;
    const SyncRequest* req = nullptr;
  };
  /// Several round trips at once, as `sync` does each, with one durable commit for all their
  /// pushes (group commit): each request's push runs in a savepoint of its own, so one that
  /// fails (storage_error) fails alone; a failed final commit fails every request that pushed.
  /// Acknowledgements exist only after the commit. Results are in request order, their ops
  /// parsed (SyncResponse::ops). push_batch then pull_batch.
  std::vector<Result<SyncResponse>> sync_batch(std::span<const Pending> batch, TimeMs now);
  /// The first half of sync_batch: checks each request and runs its push; each response holds
  /// its acks, no ops yet. Inside a transaction of the caller's (the native host runs a batch
  /// with its chain links in one), the commit is the caller's: it must fail every result if
  /// that commit fails, and pull only after it commits.
  std::vector<Result<SyncResponse>> push_batch(std::span<const Pending> batch, TimeMs now);
  /// The second half: gives each response of `out` that is not an error the ops after its
  /// request's cursor that its user may receive, as wire text (SyncResponse::wire_ops), its
  /// next cursor and the host time. Reads what is committed, so it may run on a Host of another
  /// connection to the same database (a reader, in WAL mode), in a read transaction of its own,
  /// beside the next pushes. A pull that fails gets the error (storage_error) as its result.
  void pull_batch(std::span<const Pending> batch, std::vector<Result<SyncResponse>>& out);
  /// Drops what was read inside a transaction that then rolled back: the op heads kept for
  /// pulls (see `tail_`) and the replica's fold cache. To be called by a caller whose own
  /// transaction held a batch and did not commit.
  void forget_cache();

  /// A new device's first state: the host's database cut down to what `user` may receive, as
  /// one SQLite file image for Replica::open_snapshot. It holds the org tree, every op up to the
  /// host's newest that a pull from cursor 0 would deliver (the same rule: sync::may_receive
  /// and the participants table), the host's folded rows of each entity whose ops all go to
  /// `user` (copied, not replayed), entities whose ops go to `user` only in part folded from
  /// those ops as a device would, and the pull cursor, so that the device's next sync is
  /// incremental. `req` is the device's first sync request (cursor 0, nothing to push); the
  /// image does not depend on its replica id, so another new device of the same user may get
  /// the same image. Errors: those of check_snapshot_request, storage_error.
  Result<Snapshot> snapshot(const UserId& user, const SyncRequest& req);
  /// Whether `req` may have a snapshot: the host's schema, cursor 0, nothing to push. Errors:
  /// protocol_mismatch (another schema than the host's), invalid_input (a device that holds
  /// something: it syncs instead).
  static Status check_snapshot_request(const SyncRequest& req);

 private:
  /// The pushes of a batch, each request's acks appended to its response. `isolated`: each
  /// request in a savepoint of its own, and one that fails (storage_error) gets the error as its
  /// result while the others go on. Otherwise all in one savepoint, and false (everything undone,
  /// no result changed) as soon as one fails.
  bool push_all(std::span<const Pending> batch, TimeMs now, std::vector<Result<SyncResponse>>& out, bool isolated);
  Result<Ack> push_one(const UserId& user, const SyncRequest& req, const oplog::Op& op, TimeMs now);
  Status accept(const oplog::Op& op, TimeMs now);
  /// Records the author of a private op, and the people its entity names, as its participants.
  Status add_participants(const oplog::Op& op);
  // A head's entity, scope and origin as small numbers (see `Keys`), so that a pull, which
  // looks at every head after its cursor, compares numbers rather than hashing ids.
  struct HeadKey {
    std::uint32_t entity = 0, scope = 0, origin = 0;
  };
  // Op heads after `after`, read once for a batch of pulls; `complete` when they reach the end
  // of the log (otherwise a pull reads its own). keys[i] is heads[i]'s.
  struct Heads {
    std::int64_t after = 0;
    bool complete = false;
    std::vector<store::OpHead> heads;
    std::vector<HeadKey> keys;
  };
  // Numbers for ids, given in order of first sight; valid while the tail that uses them lives.
  struct Keys {
    std::unordered_map<std::string, std::uint32_t> entities, scopes, origins;
    HeadKey of(const store::OpHead& h);
  };
  Status pull(const UserId& user, const SyncRequest& req, const Heads& shared, SyncResponse& resp);
  /// Brings `tail_` to the end of the log so that it holds the heads after `lowest`: reads only
  /// the ops stored since the last batch, or, for a cursor before what it holds, from `lowest`.
  void refresh_tail(std::int64_t lowest);
  /// Appends `more` to `h` with their keys.
  void append_heads(Heads& h, std::vector<store::OpHead> more);

  Replica& r_;
  // The newest op heads, kept across batches: the cursors of devices that sync often are near
  // the end of the log, and re-reading every head after the lowest cursor of each batch cost
  // more than the pushes. Only ever extended at the end (ops are appended, seq grows); bounded.
  Heads tail_;
  Keys keys_;  // of the tail's heads and of the heads a pull read for itself
  Limits limits_;
  std::vector<AfterAccept> follow_ups_;
};

}  // namespace cunwu::sync
