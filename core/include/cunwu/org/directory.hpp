#pragma once
// 组织 — the org tree (county → township → village → courtyard), households, users, roles.
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "cunwu/base/ids.hpp"
#include "cunwu/base/result.hpp"

namespace cunwu::org {

/// Depth in the org tree. A region's id is its path, e.g. "qs/t1/v3/y2" for a courtyard.
enum class RegionLevel { county = 0, township = 1, village = 2, courtyard = 3 };

/// 角色 — what a person may do, always granted for one region (and everything below it).
enum class Role {
  villager,        ///< 村民
  courtyard_head,  ///< 院长 / 网格员: first handling level
  village_cadre,   ///< 村干部: second handling level
  township_staff,  ///< 乡镇工作人员: third handling level
  county_staff,    ///< 县级工作人员: fourth handling level
  inspector,       ///< 纪委监督员: supervision
  deputy,          ///< 人大代表: suggestions, supervision reading
  shopkeeper,      ///< 积分超市店主
  admin,           ///< 管理员: grants roles
};

/// Stable text names ("courtyard_head") for roles and levels, and their parsers.
std::string_view role_name(Role role);
Result<Role> role_from_name(std::string_view name);
std::string_view level_name(RegionLevel level);

/// A node of the org tree.
struct Region {
  RegionId id;
  std::optional<RegionId> parent;
  RegionLevel level = RegionLevel::county;
  std::string name;  ///< e.g. "大桥村"
};

/// 户 — a household, registered in one courtyard.
struct Household {
  HouseholdId id;
  RegionId courtyard;
  std::string name;  ///< e.g. "王秀英家"
};

/// A person with an account.
struct User {
  UserId id;
  std::string name;
  std::optional<RegionId> home;            ///< The courtyard a villager lives in.
  std::optional<HouseholdId> household;
};

/// 部门 — a department or team that handles appeals sent to it (转派): a county bureau (县水利局),
/// a township office (镇环卫所) or a village team (村电工班). It serves its region and all below.
struct Department {
  std::string id;    ///< stable, unique in the tree: 1..40 of [a-z0-9-]
  RegionId region;   ///< the county, township or village it belongs to
  std::string name;  ///< what the villager reads on the timeline, e.g. "镇环卫所"
};

/// A role held for a region.
struct Grant {
  Role role;
  RegionId region;
  friend bool operator==(const Grant&, const Grant&) = default;
};

/// The org data in memory. Adding checks references (parents, courtyards, households exist).
class Directory {
 public:
  /// Adds a region; its parent must exist and be exactly one level up, and its id must be the
  /// parent's id + "/" + one segment. Errors: invalid_id, unknown_region.
  Status add_region(Region region);
  /// Adds a household in an existing courtyard. Errors: invalid_id, unknown_region.
  Status add_household(Household household);
  /// Adds a user; home must be a courtyard, household must exist. Errors: invalid_id,
  /// unknown_region, not_found.
  Status add_user(User user);
  /// Adds a department of an existing county, township or village. Errors: invalid_id (id not
  /// 1..40 of [a-z0-9-], or taken), unknown_region (no such region, or a courtyard), invalid_input (name).
  Status add_department(Department department);
  /// Grants a role for a region to an existing user (idempotent). Errors: unknown_user, unknown_region.
  Status grant(const UserId& user, Role role, const RegionId& region);

  const Region* region(const RegionId& id) const;
  const Household* household(const HouseholdId& id) const;
  const User* user(const UserId& id) const;
  /// The roles a user holds (empty for unknown users).
  const std::vector<Grant>& grants(const UserId& id) const;
  /// True when `outer` is `inner` or one of its ancestors.
  static bool contains(const RegionId& outer, const RegionId& inner);
  /// The ancestor of `id` (or itself) at `level`. Error unknown_region.
  Result<RegionId> ancestor_at(const RegionId& id, RegionLevel level) const;
  /// The departments that serve `scope`: those of its village, township and county, nearest
  /// region first, then by name. Empty when the tree defines none there.
  std::vector<const Department*> departments_for(const RegionId& scope) const;
  /// The department serving `scope` whose id or name is `key`; null when none.
  const Department* find_department(const RegionId& scope, std::string_view key) const;
  /// Users holding `role` for a region that contains `scope`.
  std::vector<UserId> holders(Role role, const RegionId& scope) const;
  /// All regions / users, ordered by id.
  const std::map<RegionId, Region>& regions() const { return regions_; }
  const std::map<UserId, User>& users() const { return users_; }
  const std::map<HouseholdId, Household>& households() const { return households_; }
  const std::map<std::string, Department>& departments() const { return departments_; }

 private:
  std::map<RegionId, Region> regions_;
  std::map<HouseholdId, Household> households_;
  std::map<UserId, User> users_;
  std::map<std::string, Department> departments_;
  std::map<UserId, std::vector<Grant>> grants_;
};

/// Builds a directory from seed JSON ({"regions":[...], "households":[...], "users":[...],
/// "departments" (optional):[{"id","region","name"}]}),
/// as in shared/demo/county.json. Errors: invalid_json and the errors of Directory's adders.
Result<Directory> directory_from_json(const nlohmann::json& seed);

/// The directory as seed JSON (directory_from_json's shape), canonical: regions, households,
/// users and departments (the key only when there are any) by id, each user's roles by (role, region). Equal directories give equal texts.
nlohmann::json directory_to_json(const Directory& dir);

/// A short fingerprint of the directory (16 hex digits, FNV-1a 64 of directory_to_json's text):
/// equal on two replicas that hold the same tree, so a device asks the host for the tree only
/// when it changed. For noticing change, not for security.
std::string directory_version(const Directory& dir);

}  // namespace cunwu::org
