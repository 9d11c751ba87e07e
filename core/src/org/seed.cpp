// The org tree as seed JSON (the demo county, test fixtures, the host's /v1/directory) and back.
#include <algorithm>
#include <cstdint>
#include <cstdio>

#include "cunwu/org/directory.hpp"

namespace cunwu::org {
namespace {

using Json = nlohmann::json;

Result<std::string> str_field(const Json& j, const char* key) {
  const auto it = j.find(key);
  if (it == j.end() || !it->is_string()) return make_error(Errc::invalid_json, std::string("seed: missing ") + key);
  return it->get<std::string>();
}

Result<RegionLevel> level_from(const Json& j) {
  CUNWU_ASSIGN(const auto name, str_field(j, "level"));
  for (auto l : {RegionLevel::county, RegionLevel::township, RegionLevel::village, RegionLevel::courtyard}) {
    if (level_name(l) == name) return l;
  }
  return make_error(Errc::invalid_json, "seed: unknown level " + name);
}

Status load_regions(Directory& dir, const Json& seed) {
  for (const auto& r : seed.value("regions", Json::array())) {
    CUNWU_ASSIGN(auto id, str_field(r, "id"));
    CUNWU_ASSIGN(auto name, str_field(r, "name"));
    CUNWU_ASSIGN(const auto level, level_from(r));
    std::optional<RegionId> parent;
    if (const auto slash = id.rfind('/'); slash != std::string::npos) parent = RegionId(id.substr(0, slash));
    CUNWU_TRY(dir.add_region(Region{RegionId(id), parent, level, name}));
  }
  return ok_status();
}

Status load_people(Directory& dir, const Json& seed) {
  for (const auto& h : seed.value("households", Json::array())) {
    CUNWU_ASSIGN(auto id, str_field(h, "id"));
    CUNWU_ASSIGN(auto courtyard, str_field(h, "courtyard"));
    CUNWU_ASSIGN(auto name, str_field(h, "name"));
    CUNWU_TRY(dir.add_household(Household{HouseholdId(id), RegionId(courtyard), name}));
  }
  for (const auto& u : seed.value("users", Json::array())) {
    CUNWU_ASSIGN(auto id, str_field(u, "id"));
    CUNWU_ASSIGN(auto name, str_field(u, "name"));
    User user{UserId(id), name, std::nullopt, std::nullopt};
    if (u.contains("home")) { CUNWU_ASSIGN(auto home, str_field(u, "home")); user.home = RegionId(home); }
    if (u.contains("household")) { CUNWU_ASSIGN(auto hh, str_field(u, "household")); user.household = HouseholdId(hh); }
    CUNWU_TRY(dir.add_user(std::move(user)));
    for (const auto& g : u.value("roles", Json::array())) {
      CUNWU_ASSIGN(auto role_text, str_field(g, "role"));
      CUNWU_ASSIGN(const auto role, role_from_name(role_text));
      CUNWU_ASSIGN(auto region, str_field(g, "region"));
      CUNWU_TRY(dir.grant(UserId(id), role, RegionId(region)));
    }
  }
  return ok_status();
}

Status load_departments(Directory& dir, const Json& seed) {
  for (const auto& d : seed.value("departments", Json::array())) {
    CUNWU_ASSIGN(auto id, str_field(d, "id"));
    CUNWU_ASSIGN(auto region, str_field(d, "region"));
    CUNWU_ASSIGN(auto name, str_field(d, "name"));
    CUNWU_TRY(dir.add_department(Department{std::move(id), RegionId(region), std::move(name)}));
  }
  return ok_status();
}

}  // namespace

Result<Directory> directory_from_json(const Json& seed) {
  if (!seed.is_object()) return make_error(Errc::invalid_json, "seed is not an object");
  Directory dir;
  try {
    CUNWU_TRY(load_regions(dir, seed));
    CUNWU_TRY(load_people(dir, seed));
    CUNWU_TRY(load_departments(dir, seed));
  } catch (const Json::exception& e) {
    return make_error(Errc::invalid_json, std::string("seed: ") + e.what());
  }
  return dir;
}

Json directory_to_json(const Directory& dir) {
  Json regions = Json::array(), households = Json::array(), users = Json::array();
  for (const auto& [id, r] : dir.regions()) {
    regions.push_back(Json{{"id", id.str()}, {"level", level_name(r.level)}, {"name", r.name}});
  }
  for (const auto& [id, h] : dir.households()) {
    households.push_back(Json{{"id", id.str()}, {"courtyard", h.courtyard.str()}, {"name", h.name}});
  }
  for (const auto& [id, u] : dir.users()) {
    Json user{{"id", id.str()}, {"name", u.name}};
    if (u.home) user["home"] = u.home->str();
    if (u.household) user["household"] = u.household->str();
    std::vector<std::pair<std::string, std::string>> grants;
    for (const auto& g : dir.grants(id)) grants.emplace_back(role_name(g.role), g.region.str());
    std::sort(grants.begin(), grants.end());  // grant order depends on how the tree was built
    Json roles = Json::array();
    for (const auto& [role, region] : grants) roles.push_back(Json{{"role", role}, {"region", region}});
    user["roles"] = std::move(roles);
    users.push_back(std::move(user));
  }
  Json out{{"regions", std::move(regions)}, {"households", std::move(households)}, {"users", std::move(users)}};
  // Only when there are any: a tree without departments keeps the text (and version) it had.
  if (!dir.departments().empty()) {
    Json departments = Json::array();
    for (const auto& [id, d] : dir.departments()) {
      departments.push_back(Json{{"id", id}, {"region", d.region.str()}, {"name", d.name}});
    }
    out["departments"] = std::move(departments);
  }
  return out;
}

std::string directory_version(const Directory& dir) {
  std::uint64_t h = 14695981039346656037ull;
  for (const unsigned char c : directory_to_json(dir).dump()) {
    h ^= c;
    h *= 1099511628211ull;
  }
  char out[17];
  std::snprintf(out, sizeof out, "%016llx", static_cast<unsigned long long>(h));
  return out;
}

}  // namespace cunwu::org
