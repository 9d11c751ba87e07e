#include "cunwu/org/directory.hpp"

#include <algorithm>
#include <array>
#include <utility>

#include "cunwu/base/text.hpp"

namespace cunwu::org {
namespace {

constexpr std::array<std::pair<Role, std::string_view>, 9> kRoleNames{{
    {Role::villager, "villager"},
    {Role::courtyard_head, "courtyard_head"},
    {Role::village_cadre, "village_cadre"},
    {Role::township_staff, "township_staff"},
    {Role::county_staff, "county_staff"},
    {Role::inspector, "inspector"},
    {Role::deputy, "deputy"},
    {Role::shopkeeper, "shopkeeper"},
    {Role::admin, "admin"},
}};

bool valid_segment(std::string_view s) {
  if (s.empty() || s.size() > 40) return false;
  for (char c : s) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

Status check_name(const std::string& name) {
  auto t = validate_text(name, 100, "name");
  return t ? ok_status() : Status(t.error());
}

const std::vector<Grant> kNoGrants;

}  // namespace

std::string_view role_name(Role role) {
  for (const auto& [r, n] : kRoleNames) {
    if (r == role) return n;
  }
  return "unknown";
}

Result<Role> role_from_name(std::string_view name) {
  for (const auto& [r, n] : kRoleNames) {
    if (n == name) return r;
  }
  return make_error(Errc::invalid_input, "unknown role " + std::string(name));
}

std::string_view level_name(RegionLevel level) {
  switch (level) {
    case RegionLevel::county: return "county";
    case RegionLevel::township: return "township";
    case RegionLevel::village: return "village";
    case RegionLevel::courtyard: return "courtyard";
  }
  return "unknown";
}

Status Directory::add_region(Region region) {
  const std::string& id = region.id.str();
  CUNWU_TRY(check_name(region.name));
  if (!region.parent) {
    if (region.level != RegionLevel::county || !valid_segment(id)) {
      return make_error(Errc::invalid_id, "a root region must be a county with a one-segment id: " + id);
    }
  } else {
    const Region* parent = this->region(*region.parent);
    if (!parent) return make_error(Errc::unknown_region, "parent " + region.parent->str());
    const std::string prefix = parent->id.str() + "/";
    if (int(region.level) != int(parent->level) + 1 || !id.starts_with(prefix) ||
        !valid_segment(std::string_view(id).substr(prefix.size()))) {
      return make_error(Errc::invalid_id, "region " + id + " does not fit under " + parent->id.str());
    }
  }
  regions_[region.id] = std::move(region);
  return ok_status();
}

Status Directory::add_household(Household household) {
  if (household.id.empty() || household.id.str().size() > 80) return make_error(Errc::invalid_id, "household id");
  CUNWU_TRY(check_name(household.name));
  const Region* r = region(household.courtyard);
  if (!r || r->level != RegionLevel::courtyard) {
    return make_error(Errc::unknown_region, "household courtyard " + household.courtyard.str());
  }
  households_[household.id] = std::move(household);
  return ok_status();
}

Status Directory::add_user(User user) {
  if (user.id.empty() || user.id.str().size() > 80 || user.id == kHostActor) {
    return make_error(Errc::invalid_id, "user id " + user.id.str());
  }
  CUNWU_TRY(check_name(user.name));
  if (user.home) {
    const Region* r = region(*user.home);
    if (!r || r->level != RegionLevel::courtyard) return make_error(Errc::unknown_region, "home " + user.home->str());
  }
  if (user.household && !household(*user.household)) {
    return make_error(Errc::not_found, "household " + user.household->str());
  }
  users_[user.id] = std::move(user);
  return ok_status();
}

Status Directory::add_department(Department department) {
  const std::string& id = department.id;
  if (!valid_segment(id) || id.find('_') != std::string::npos || departments_.count(id)) {
    return make_error(Errc::invalid_id, "department id " + id);
  }
  CUNWU_TRY(check_name(department.name));
  const Region* r = region(department.region);
  if (!r || r->level == RegionLevel::courtyard) {
    return make_error(Errc::unknown_region, "department region " + department.region.str());
  }
  departments_[id] = std::move(department);
  return ok_status();
}

std::vector<const Department*> Directory::departments_for(const RegionId& scope) const {
  std::vector<const Department*> out;
  for (const auto& [id, d] : departments_) {
    if (contains(d.region, scope)) out.push_back(&d);
  }
  // Nearest first: a village team before the township's office before the county's bureau.
  std::stable_sort(out.begin(), out.end(), [](const Department* a, const Department* b) {
    if (a->region.str().size() != b->region.str().size()) return a->region.str().size() > b->region.str().size();
    return a->name < b->name;
  });
  return out;
}

const Department* Directory::find_department(const RegionId& scope, std::string_view key) const {
  for (const auto* d : departments_for(scope)) {
    if (d->id == key || d->name == key) return d;
  }
  return nullptr;
}

Status Directory::grant(const UserId& user, Role role, const RegionId& region_id) {
  if (!this->user(user)) return make_error(Errc::unknown_user, user.str());
  if (!region(region_id)) return make_error(Errc::unknown_region, region_id.str());
  auto& list = grants_[user];
  const Grant g{role, region_id};
  for (const auto& existing : list) {
    if (existing == g) return ok_status();
  }
  list.push_back(g);
  return ok_status();
}

const Region* Directory::region(const RegionId& id) const {
  const auto it = regions_.find(id);
  return it == regions_.end() ? nullptr : &it->second;
}

const Household* Directory::household(const HouseholdId& id) const {
  const auto it = households_.find(id);
  return it == households_.end() ? nullptr : &it->second;
}

const User* Directory::user(const UserId& id) const {
  const auto it = users_.find(id);
  return it == users_.end() ? nullptr : &it->second;
}

const std::vector<Grant>& Directory::grants(const UserId& id) const {
  const auto it = grants_.find(id);
  return it == grants_.end() ? kNoGrants : it->second;
}

bool Directory::contains(const RegionId& outer, const RegionId& inner) {
  const std::string& o = outer.str();
  const std::string& i = inner.str();
  return i == o || (i.size() > o.size() && i.starts_with(o) && i[o.size()] == '/');
}

Result<RegionId> Directory::ancestor_at(const RegionId& id, RegionLevel level) const {
  const Region* r = region(id);
  while (r && int(r->level) > int(level)) r = r->parent ? region(*r->parent) : nullptr;
  if (!r || r->level != level) return make_error(Errc::unknown_region, id.str());
  return r->id;
}

std::vector<UserId> Directory::holders(Role role, const RegionId& scope) const {
  std::vector<UserId> out;
  for (const auto& [user, list] : grants_) {
    for (const auto& g : list) {
      if (g.role == role && contains(g.region, scope)) {
        out.push_back(user);
        break;
      }
    }
  }
  return out;
}

}  // namespace cunwu::org
