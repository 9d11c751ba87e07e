#include "cunwu/org/access.hpp"

#include <optional>

namespace cunwu::org {
namespace {

// The role that an action needs, or nullopt for actions with their own rule.
std::optional<Role> role_for(Action action) {
  switch (action) {
    case Action::handle_level1: return Role::courtyard_head;
    case Action::handle_level2: return Role::village_cadre;
    case Action::handle_level3: return Role::township_staff;
    case Action::handle_level4: return Role::county_staff;
    case Action::supervise: return Role::inspector;
    case Action::manage_org: return Role::admin;
    case Action::apply_points: return Role::villager;
    case Action::review_points:
    case Action::grant_points: return Role::village_cadre;
    case Action::manage_shop: return Role::shopkeeper;
    case Action::publish_post:
    case Action::read_post:
    case Action::file_appeal:
    case Action::file_on_behalf:
    case Action::host_only: return std::nullopt;
  }
  return std::nullopt;
}

bool is_cadre(Role r) {
  return r == Role::courtyard_head || r == Role::village_cadre || r == Role::township_staff || r == Role::county_staff;
}

Status authorize_filing(const Directory& dir, const User& user, const RegionId& scope, bool on_behalf) {
  if (!on_behalf && user.home && *user.home == scope) return ok_status();
  // A cadre serving the courtyard may file there, also for a resident (代办), e.g. for an
  // elderly villager without a phone.
  bool any_cadre = false;
  for (const auto& g : dir.grants(user.id)) {
    if (!is_cadre(g.role)) continue;
    any_cadre = true;
    if (Directory::contains(g.region, scope)) return ok_status();
  }
  if (any_cadre || (!on_behalf && user.home)) {
    return make_error(Errc::out_of_scope, user.id.str() + " files outside " + scope.str());
  }
  return make_error(Errc::forbidden_role, user.id.str() + (on_behalf ? " is no cadre" : " has no courtyard"));
}

// Posts are published by the cadres of the post's own level: a village cadre for the village,
// township staff for the township, county staff for the county.
Status authorize_publishing(const Directory& dir, const UserId& user, const RegionId& scope) {
  const Region* region = dir.region(scope);
  if (!region || region->level == RegionLevel::courtyard) return make_error(Errc::unknown_region, "posts belong to a village, township or county: " + scope.str());
  const Role role = region->level == RegionLevel::village    ? Role::village_cadre
                    : region->level == RegionLevel::township ? Role::township_staff
                                                             : Role::county_staff;
  bool holds_role = false;
  for (const auto& g : dir.grants(user)) {
    if (g.role != role) continue;
    holds_role = true;
    if (Directory::contains(g.region, scope)) return ok_status();
  }
  if (holds_role) return make_error(Errc::out_of_scope, user.str() + " outside " + scope.str());
  return make_error(Errc::forbidden_role, user.str() + " lacks " + std::string(role_name(role)));
}

Status authorize_reading(const Directory& dir, const User& user, const RegionId& scope) {
  if (user.home && Directory::contains(scope, *user.home)) return ok_status();
  for (const auto& g : dir.grants(user.id)) {
    if (Directory::contains(g.region, scope) || Directory::contains(scope, g.region)) return ok_status();
  }
  return make_error(Errc::out_of_scope, user.id.str() + " is not in " + scope.str());
}

}  // namespace

Action handle_action(int level) {
  switch (level) {
    case 1: return Action::handle_level1;
    case 2: return Action::handle_level2;
    case 3: return Action::handle_level3;
    default: return Action::handle_level4;
  }
}

Status authorize(const Directory& dir, const UserId& user_id, Action action, const RegionId& scope) {
  if (user_id == kHostActor) {
    return action == Action::host_only ? ok_status() : make_error(Errc::forbidden_role, "the host acts only as host");
  }
  if (action == Action::host_only) return make_error(Errc::host_only, user_id.str());
  const User* user = dir.user(user_id);
  if (!user) return make_error(Errc::unknown_user, user_id.str());
  if (action == Action::file_appeal || action == Action::file_on_behalf) {
    return authorize_filing(dir, *user, scope, action == Action::file_on_behalf);
  }
  if (action == Action::publish_post) return authorize_publishing(dir, user_id, scope);
  if (action == Action::read_post) return authorize_reading(dir, *user, scope);
  const auto role = role_for(action);
  bool holds_role = false;
  for (const auto& g : dir.grants(user_id)) {
    // A courtyard head also reviews the points applications of their courtyard.
    const bool head_reviews = action == Action::review_points && g.role == Role::courtyard_head;
    if (g.role != *role && !head_reviews) continue;
    holds_role = true;
    if (Directory::contains(g.region, scope)) return ok_status();
  }
  if (holds_role) return make_error(Errc::out_of_scope, user_id.str() + " outside " + scope.str());
  return make_error(Errc::forbidden_role, user_id.str() + " lacks " + std::string(role_name(*role)));
}

}  // namespace cunwu::org
