#pragma once
// Partial replication: who receives which op. The host filters every pull through this.
#include "cunwu/oplog/op.hpp"
#include "cunwu/org/directory.hpp"

namespace cunwu::sync {

/// Whether `user` may receive `op`:
/// - a person holding a role for region R receives the public ops within R and above R; those
///   who handle or supervise there (courtyard heads, village cadres, township and county staff,
///   inspectors) also its participants-only ops;
/// - a resident of a courtyard receives the public ops of their village and of the township and
///   county above it (not of other villages);
/// - anyone receives the participants-only ops of an entity they take part in (`participant`).
/// Unknown users receive nothing. The host's own ops follow the same rules (scope, visibility).
bool may_receive(const org::Directory& dir, const UserId& user, const RegionId& scope, oplog::Visibility visibility,
                 bool participant);
/// The same for an op: its scope and visibility decide.
inline bool may_receive(const org::Directory& dir, const UserId& user, const oplog::Op& op, bool participant) {
  return may_receive(dir, user, op.scope, op.visibility, participant);
}

}  // namespace cunwu::sync
