#include "cunwu/sync/visibility.hpp"

namespace cunwu::sync {
namespace {

// Roles that handle or supervise what happens in their region, so also see its private ops.
bool sees_private(org::Role r) {
  switch (r) {
    case org::Role::courtyard_head:
    case org::Role::village_cadre:
    case org::Role::township_staff:
    case org::Role::county_staff:
    case org::Role::inspector: return true;
    default: return false;
  }
}

}  // namespace

bool may_receive(const org::Directory& dir, const UserId& user_id, const RegionId& scope, oplog::Visibility visibility,
                 bool participant) {
  const org::User* user = dir.user(user_id);
  if (!user) return false;
  if (participant) return true;
  const bool is_public = visibility == oplog::Visibility::public_in_scope;
  for (const auto& g : dir.grants(user_id)) {
    if (g.role == org::Role::villager) continue;
    const bool within = org::Directory::contains(g.region, scope);
    if (within && (is_public || sees_private(g.role))) return true;             // serves the op's region
    if (is_public && org::Directory::contains(scope, g.region)) return true;  // a notice from above
  }
  if (!is_public || !user->home) return false;
  // A resident: the village's public ops, and public ops of the regions above the village.
  const auto village = dir.ancestor_at(*user->home, org::RegionLevel::village);
  if (!village) return false;
  return org::Directory::contains(*village, scope) || org::Directory::contains(scope, *village);
}

}  // namespace cunwu::sync
