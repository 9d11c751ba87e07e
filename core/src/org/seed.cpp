// Loading the org tree from seed JSON (the demo county, test fixtures).
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

}  // namespace

Result<Directory> directory_from_json(const Json& seed) {
  if (!seed.is_object()) return make_error(Errc::invalid_json, "seed is not an object");
  Directory dir;
  try {
    CUNWU_TRY(load_regions(dir, seed));
    CUNWU_TRY(load_people(dir, seed));
  } catch (const Json::exception& e) {
    return make_error(Errc::invalid_json, std::string("seed: ") + e.what());
  }
  return dir;
}

}  // namespace cunwu::org
