#pragma once
// The host side of a sync round trip, over the host's replica: validates each pushed op once, in
// host order, stores it with a verdict, and answers with the ops the user may see.
#include <functional>
#include <vector>

#include "cunwu/replica.hpp"
#include "cunwu/sync/protocol.hpp"

namespace cunwu::sync {

/// What a host does after it accepts an op, on its own authority (e.g. give a new appeal its
/// official number). Called inside the push's transaction; an error rolls the push back.
using AfterAccept = std::function<Status(Replica& host, const oplog::Op& op, TimeMs now)>;

/// The host's follow-ups for every domain (official appeal numbers, ...).
std::vector<AfterAccept> default_follow_ups();

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

 private:
  Result<Ack> push_one(const UserId& user, const SyncRequest& req, const oplog::Op& op, TimeMs now);
  Status accept(const oplog::Op& op, TimeMs now);
  /// Records the author of a private op, and the people its entity names, as its participants.
  Status add_participants(const oplog::Op& op);
  Status pull(const UserId& user, const SyncRequest& req, SyncResponse& resp);

  Replica& r_;
  Limits limits_;
  std::vector<AfterAccept> follow_ups_;
};

}  // namespace cunwu::sync
