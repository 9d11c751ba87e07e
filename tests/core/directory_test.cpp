// The org tree: loading the demo county, adding regions and people, containment, ancestors,
// role holders, and the round trip through the database.
#include "cunwu/org/directory.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "cunwu/store/db.hpp"
#include "cunwu/store/org_store.hpp"
#include "support/fixture.hpp"

namespace cunwu::org {
namespace {

using cunwu::testing::demo_directory;
using cunwu::testing::TempDir;
using Json = nlohmann::json;

RegionId rid(const char* s) { return RegionId(s); }

std::vector<std::string> ids(const std::vector<UserId>& users) {
  std::vector<std::string> out;
  for (const auto& u : users) out.push_back(u.str());
  return out;
}

// A small tree: county "qs" with township "dq", village "hs" and courtyard "y1".
Directory small_tree() {
  Directory d;
  EXPECT_TRUE(d.add_region({rid("qs"), std::nullopt, RegionLevel::county, "青山县"}).ok());
  EXPECT_TRUE(d.add_region({rid("qs/dq"), rid("qs"), RegionLevel::township, "大桥镇"}).ok());
  EXPECT_TRUE(d.add_region({rid("qs/dq/hs"), rid("qs/dq"), RegionLevel::village, "河山村"}).ok());
  EXPECT_TRUE(d.add_region({rid("qs/dq/hs/y1"), rid("qs/dq/hs"), RegionLevel::courtyard, "第一院落"}).ok());
  return d;
}

TEST(DemoCounty, LoadsEveryRegionHouseholdAndUser) {
  const Directory& d = demo_directory();
  EXPECT_EQ(d.regions().size(), 10u);
  EXPECT_EQ(d.households().size(), 5u);
  EXPECT_EQ(d.users().size(), 19u);
  const Region* village = d.region(rid("qs/dq/hs"));
  ASSERT_NE(village, nullptr);
  EXPECT_EQ(village->name, "河山村");
  EXPECT_EQ(village->level, RegionLevel::village);
  ASSERT_TRUE(village->parent.has_value());
  EXPECT_EQ(*village->parent, rid("qs/dq"));
  EXPECT_FALSE(d.region(rid("qs"))->parent.has_value());

  const User* wang = d.user(UserId("wang"));
  ASSERT_NE(wang, nullptr);
  EXPECT_EQ(wang->name, "王秀英");
  EXPECT_EQ(wang->home, rid("qs/dq/hs/y1"));
  EXPECT_EQ(wang->household, HouseholdId("h-wang"));
  EXPECT_EQ(d.household(HouseholdId("h-wang"))->name, "王秀英家");
  EXPECT_EQ(d.grants(UserId("wang")), (std::vector<Grant>{{Role::villager, rid("qs/dq/hs/y1")}}));
  EXPECT_EQ(d.grants(UserId("cadre-hs")), (std::vector<Grant>{{Role::village_cadre, rid("qs/dq/hs")}}));
  EXPECT_FALSE(d.user(UserId("cadre-hs"))->home.has_value());
}

TEST(DemoCounty, UnknownLookupsAreEmpty) {
  const Directory& d = demo_directory();
  EXPECT_EQ(d.region(rid("qs/xx")), nullptr);
  EXPECT_EQ(d.user(UserId("nobody")), nullptr);
  EXPECT_EQ(d.household(HouseholdId("h-none")), nullptr);
  EXPECT_TRUE(d.grants(UserId("nobody")).empty());
}

TEST(DirectoryFromJson, RejectsMalformedSeeds) {
  EXPECT_EQ(directory_from_json(Json::array()).code(), Errc::invalid_json);
  EXPECT_EQ(directory_from_json(Json("qs")).code(), Errc::invalid_json);
  EXPECT_EQ(directory_from_json(Json{{"regions", Json::array({Json{{"id", "qs"}, {"level", "county"}}})}}).code(),
            Errc::invalid_json)
      << "a region without a name";
  EXPECT_EQ(directory_from_json(
                Json{{"regions", Json::array({Json{{"id", "qs"}, {"level", "province"}, {"name", "x"}}})}})
                .code(),
            Errc::invalid_json)
      << "an unknown level";
  EXPECT_EQ(directory_from_json(Json{{"regions", Json::array({Json{{"id", 7}, {"level", "county"}, {"name", "x"}}})}})
                .code(),
            Errc::invalid_json);
  EXPECT_EQ(directory_from_json(Json{{"regions", "qs"}}).code(), Errc::invalid_json) << "regions is not a list";
}

TEST(DirectoryFromJson, RejectsBrokenReferences) {
  const Json child_first = {{"regions", Json::array({Json{{"id", "qs/dq"}, {"level", "township"}, {"name", "大桥镇"}},
                                                     Json{{"id", "qs"}, {"level", "county"}, {"name", "青山县"}}})}};
  EXPECT_EQ(directory_from_json(child_first).code(), Errc::unknown_region);

  const Json bad_role = {{"regions", Json::array({Json{{"id", "qs"}, {"level", "county"}, {"name", "青山县"}}})},
                         {"users", Json::array({Json{{"id", "u"}, {"name", "某人"},
                                                     {"roles", Json::array({Json{{"role", "king"}, {"region", "qs"}}})}}})}};
  EXPECT_EQ(directory_from_json(bad_role).code(), Errc::invalid_input);

  const Json bad_grant_region = {
      {"regions", Json::array({Json{{"id", "qs"}, {"level", "county"}, {"name", "青山县"}}})},
      {"users", Json::array({Json{{"id", "u"}, {"name", "某人"},
                                  {"roles", Json::array({Json{{"role", "admin"}, {"region", "qs/zz"}}})}}})}};
  EXPECT_EQ(directory_from_json(bad_grant_region).code(), Errc::unknown_region);
}

TEST(DirectoryFromJson, EmptySeedIsAnEmptyDirectory) {
  auto d = directory_from_json(Json::object());
  ASSERT_TRUE(d.ok());
  EXPECT_TRUE(d->regions().empty());
  EXPECT_TRUE(d->users().empty());
}

TEST(AddRegion, AcceptsAWellFormedTree) {
  const Directory d = small_tree();
  EXPECT_EQ(d.regions().size(), 4u);
  EXPECT_EQ(d.region(rid("qs/dq/hs/y1"))->level, RegionLevel::courtyard);
}

TEST(AddRegion, RejectsBadIds) {
  Directory d = small_tree();
  const auto add = [&](const char* id, const char* parent, RegionLevel level) {
    return d.add_region({rid(id), parent ? std::optional<RegionId>(rid(parent)) : std::nullopt, level, "某地"}).code();
  };
  EXPECT_EQ(add("QS2", nullptr, RegionLevel::county), Errc::invalid_id) << "upper case";
  EXPECT_EQ(add("", nullptr, RegionLevel::county), Errc::invalid_id);
  EXPECT_EQ(add("a/b", nullptr, RegionLevel::county), Errc::invalid_id) << "a root has one segment";
  EXPECT_EQ(add("青山", nullptr, RegionLevel::county), Errc::invalid_id) << "ids are ASCII";
  EXPECT_EQ(add("qs/lh", "qs/dq", RegionLevel::village), Errc::invalid_id) << "not under its parent";
  EXPECT_EQ(add("qs/dq/", "qs/dq", RegionLevel::village), Errc::invalid_id) << "empty segment";
  EXPECT_EQ(add("qs/dq/a/b", "qs/dq", RegionLevel::village), Errc::invalid_id) << "two segments";
  EXPECT_EQ(add("qs/dq/a b", "qs/dq", RegionLevel::village), Errc::invalid_id);
  EXPECT_EQ(add("qs/dqx", "qs/dq", RegionLevel::village), Errc::invalid_id) << "prefix without a slash";
  EXPECT_EQ(add(("qs/dq/" + std::string(41, 'a')).c_str(), "qs/dq", RegionLevel::village), Errc::invalid_id);
  EXPECT_EQ(add(("qs/dq/" + std::string(40, 'a')).c_str(), "qs/dq", RegionLevel::village), std::nullopt);
  EXPECT_EQ(add("qs/dq/sm-2_b", "qs/dq", RegionLevel::village), std::nullopt) << "digits, - and _ are fine";
  EXPECT_EQ(d.region(rid("qs/dq/a b")), nullptr) << "a refused region is not added";
}

TEST(AddRegion, RejectsWrongLevels) {
  Directory d = small_tree();
  EXPECT_EQ(d.add_region({rid("sx"), std::nullopt, RegionLevel::township, "某镇"}).code(), Errc::invalid_id)
      << "a root must be a county";
  EXPECT_EQ(d.add_region({rid("qs/lh"), rid("qs"), RegionLevel::village, "柳河乡"}).code(), Errc::invalid_id)
      << "skips the township level";
  EXPECT_EQ(d.add_region({rid("qs/dq/hs/y1/z"), rid("qs/dq/hs/y1"), RegionLevel::courtyard, "某处"}).code(),
            Errc::invalid_id)
      << "nothing below a courtyard";
  EXPECT_EQ(d.add_region({rid("qs/dq/sm"), rid("qs/dq"), RegionLevel::township, "石门村"}).code(), Errc::invalid_id)
      << "same level as its parent";
  EXPECT_EQ(d.region(rid("qs/lh")), nullptr);
}

TEST(AddRegion, RejectsMissingParents) {
  Directory d = small_tree();
  EXPECT_EQ(d.add_region({rid("qs/lh/lj"), rid("qs/lh"), RegionLevel::village, "柳家村"}).code(), Errc::unknown_region);
  EXPECT_EQ(d.region(rid("qs/lh/lj")), nullptr);
}

TEST(AddRegion, RejectsBlankOrInvalidNames) {
  Directory d = small_tree();
  EXPECT_EQ(d.add_region({rid("qs/lh"), rid("qs"), RegionLevel::township, "  "}).code(), Errc::text_empty);
  EXPECT_EQ(d.add_region({rid("qs/lh"), rid("qs"), RegionLevel::township, "柳\xFF"}).code(), Errc::invalid_utf8);
  EXPECT_EQ(d.add_region({rid("qs/lh"), rid("qs"), RegionLevel::township, std::string(101, 'x')}).code(),
            Errc::text_too_long);
}

TEST(AddHousehold, NeedsAnExistingCourtyard) {
  Directory d = small_tree();
  EXPECT_TRUE(d.add_household({HouseholdId("h-1"), rid("qs/dq/hs/y1"), "王家"}).ok());
  EXPECT_EQ(d.add_household({HouseholdId("h-2"), rid("qs/dq/hs"), "李家"}).code(), Errc::unknown_region)
      << "a village is not a courtyard";
  EXPECT_EQ(d.add_household({HouseholdId("h-3"), rid("qs/dq/hs/y9"), "陈家"}).code(), Errc::unknown_region);
  EXPECT_EQ(d.add_household({HouseholdId(""), rid("qs/dq/hs/y1"), "赵家"}).code(), Errc::invalid_id);
  EXPECT_EQ(d.add_household({HouseholdId(std::string(81, 'h')), rid("qs/dq/hs/y1"), "赵家"}).code(), Errc::invalid_id);
  EXPECT_EQ(d.households().size(), 1u);
}

TEST(AddUser, ChecksHomeHouseholdAndId) {
  Directory d = small_tree();
  ASSERT_TRUE(d.add_household({HouseholdId("h-1"), rid("qs/dq/hs/y1"), "王家"}).ok());
  EXPECT_TRUE(d.add_user({UserId("wang"), "王秀英", rid("qs/dq/hs/y1"), HouseholdId("h-1")}).ok());
  EXPECT_TRUE(d.add_user({UserId("staff"), "马镇长", std::nullopt, std::nullopt}).ok());
  EXPECT_EQ(d.add_user({UserId("x"), "某人", rid("qs/dq/hs"), std::nullopt}).code(), Errc::unknown_region)
      << "home must be a courtyard";
  EXPECT_EQ(d.add_user({UserId("x"), "某人", std::nullopt, HouseholdId("h-9")}).code(), Errc::not_found);
  EXPECT_EQ(d.add_user({UserId(""), "某人", std::nullopt, std::nullopt}).code(), Errc::invalid_id);
  EXPECT_EQ(d.add_user({kHostActor, "平台", std::nullopt, std::nullopt}).code(), Errc::invalid_id)
      << "nobody may pose as the host";
  EXPECT_EQ(d.add_user({UserId("x"), "", std::nullopt, std::nullopt}).code(), Errc::text_empty);
  EXPECT_EQ(d.user(UserId("x")), nullptr);
}

TEST(Grant, IsIdempotentAndChecksReferences) {
  Directory d = small_tree();
  ASSERT_TRUE(d.add_user({UserId("head"), "刘院长", rid("qs/dq/hs/y1"), std::nullopt}).ok());
  EXPECT_TRUE(d.grant(UserId("head"), Role::courtyard_head, rid("qs/dq/hs/y1")).ok());
  EXPECT_TRUE(d.grant(UserId("head"), Role::courtyard_head, rid("qs/dq/hs/y1")).ok());
  EXPECT_EQ(d.grants(UserId("head")).size(), 1u);
  EXPECT_TRUE(d.grant(UserId("head"), Role::villager, rid("qs/dq/hs/y1")).ok());
  EXPECT_EQ(d.grants(UserId("head")).size(), 2u);
  EXPECT_EQ(d.grant(UserId("nobody"), Role::admin, rid("qs")).code(), Errc::unknown_user);
  EXPECT_EQ(d.grant(UserId("head"), Role::admin, rid("qs/zz")).code(), Errc::unknown_region);
  EXPECT_EQ(d.grants(UserId("head")).size(), 2u);
}

TEST(Contains, IsAPathPrefixAtSegmentBoundaries) {
  EXPECT_TRUE(Directory::contains(rid("qs"), rid("qs")));
  EXPECT_TRUE(Directory::contains(rid("qs"), rid("qs/dq/hs/y1")));
  EXPECT_TRUE(Directory::contains(rid("qs/dq"), rid("qs/dq/hs")));
  EXPECT_FALSE(Directory::contains(rid("qs/dq"), rid("qs/dqx/hs")));
  EXPECT_FALSE(Directory::contains(rid("qs/dq"), rid("qs/dqx")));
  EXPECT_FALSE(Directory::contains(rid("qs/dq/hs"), rid("qs/dq")));
  EXPECT_FALSE(Directory::contains(rid("qs/dq/hs/y1"), rid("qs/dq/hs/y2")));
  EXPECT_FALSE(Directory::contains(rid("qs/dq/hs/y1"), rid("qs/dq/hs/y10")));
  EXPECT_FALSE(Directory::contains(rid("qs/lh"), rid("qs/dq/hs")));
  EXPECT_FALSE(Directory::contains(rid("q"), rid("qs")));
}

TEST(AncestorAt, WalksUpTheTree) {
  const Directory& d = demo_directory();
  const RegionId y1("qs/dq/hs/y1");
  EXPECT_EQ(*d.ancestor_at(y1, RegionLevel::courtyard), y1);
  EXPECT_EQ(*d.ancestor_at(y1, RegionLevel::village), rid("qs/dq/hs"));
  EXPECT_EQ(*d.ancestor_at(y1, RegionLevel::township), rid("qs/dq"));
  EXPECT_EQ(*d.ancestor_at(y1, RegionLevel::county), rid("qs"));
  EXPECT_EQ(*d.ancestor_at(rid("qs/lh/lj"), RegionLevel::township), rid("qs/lh"));
}

TEST(AncestorAt, FailsBelowTheRegionOrForUnknownRegions) {
  const Directory& d = demo_directory();
  EXPECT_EQ(d.ancestor_at(rid("qs/dq"), RegionLevel::village).code(), Errc::unknown_region);
  EXPECT_EQ(d.ancestor_at(rid("qs/dq/hs/y9"), RegionLevel::village).code(), Errc::unknown_region);
  EXPECT_EQ(d.ancestor_at(RegionId(), RegionLevel::county).code(), Errc::unknown_region);
}

TEST(Holders, FindsEveryoneWhoseRegionContainsTheScope) {
  const Directory& d = demo_directory();
  EXPECT_EQ(ids(d.holders(Role::courtyard_head, rid("qs/dq/hs/y1"))), (std::vector<std::string>{"grid-hs1", "head-hs1"}));
  EXPECT_EQ(ids(d.holders(Role::courtyard_head, rid("qs/dq/hs/y2"))), (std::vector<std::string>{"head-hs2"}));
  EXPECT_TRUE(d.holders(Role::courtyard_head, rid("qs/dq/sm/y1")).empty()) << "石门村第一院落 has no head";
  EXPECT_EQ(ids(d.holders(Role::village_cadre, rid("qs/dq/hs/y2"))), (std::vector<std::string>{"cadre-hs", "cadre-hs2"}));
  EXPECT_EQ(ids(d.holders(Role::township_staff, rid("qs/lh/lj/y1"))), (std::vector<std::string>{"staff-lh"}));
  EXPECT_EQ(ids(d.holders(Role::county_staff, rid("qs/lh/lj/y1"))), (std::vector<std::string>{"staff-qs"}));
  // A courtyard head does not hold the village: roles reach down, never up.
  EXPECT_TRUE(d.holders(Role::courtyard_head, rid("qs/dq/hs")).empty());
  EXPECT_TRUE(d.holders(Role::admin, rid("other")).empty());
}

TEST(Names, RolesAndLevelsRoundTrip) {
  for (Role r : {Role::villager, Role::courtyard_head, Role::village_cadre, Role::township_staff, Role::county_staff,
                 Role::inspector, Role::deputy, Role::shopkeeper, Role::admin}) {
    auto back = role_from_name(role_name(r));
    ASSERT_TRUE(back.ok()) << role_name(r);
    EXPECT_EQ(*back, r);
  }
  EXPECT_EQ(role_name(Role::courtyard_head), "courtyard_head");
  EXPECT_EQ(role_from_name("Courtyard_Head").code(), Errc::invalid_input);
  EXPECT_EQ(role_from_name("").code(), Errc::invalid_input);
  EXPECT_EQ(level_name(RegionLevel::county), "county");
  EXPECT_EQ(level_name(RegionLevel::courtyard), "courtyard");
}

// Everything the directory holds, as text, to compare two directories.
std::string describe(const Directory& d) {
  std::string out;
  for (const auto& [id, r] : d.regions()) {
    out += "region " + id.str() + " " + (r.parent ? r.parent->str() : "-") + " " +
           std::string(level_name(r.level)) + " " + r.name + "\n";
  }
  for (const auto& [id, h] : d.households()) out += "household " + id.str() + " " + h.courtyard.str() + " " + h.name + "\n";
  for (const auto& [id, u] : d.users()) {
    out += "user " + id.str() + " " + u.name + " " + (u.home ? u.home->str() : "-") + " " +
           (u.household ? u.household->str() : "-") + "\n";
    auto grants = d.grants(id);
    std::sort(grants.begin(), grants.end(), [](const Grant& a, const Grant& b) {
      return role_name(a.role) != role_name(b.role) ? role_name(a.role) < role_name(b.role) : a.region < b.region;
    });
    for (const auto& g : grants) out += "  grant " + std::string(role_name(g.role)) + " " + g.region.str() + "\n";
  }
  return out;
}

TEST(OrgStore, DirectoryRoundTripsThroughAFile) {
  TempDir dir;
  const std::string path = dir.file("org.db");
  {
    auto db = store::Db::open(path);
    ASSERT_TRUE(db.ok()) << db.error().detail;
    ASSERT_TRUE(store::save_directory(**db, demo_directory()).ok());
  }
  auto db = store::Db::open(path);
  ASSERT_TRUE(db.ok()) << db.error().detail;
  auto loaded = store::load_directory(**db);
  ASSERT_TRUE(loaded.ok()) << loaded.error().detail;
  EXPECT_EQ(describe(*loaded), describe(demo_directory()));
  EXPECT_EQ(loaded->users().size(), demo_directory().users().size());
}

TEST(OrgStore, SavingTwiceIsHarmless) {
  auto db = store::Db::open(":memory:");
  ASSERT_TRUE(db.ok());
  ASSERT_TRUE(store::save_directory(**db, demo_directory()).ok());
  ASSERT_TRUE(store::save_directory(**db, demo_directory()).ok());
  auto loaded = store::load_directory(**db);
  ASSERT_TRUE(loaded.ok()) << loaded.error().detail;
  EXPECT_EQ(describe(*loaded), describe(demo_directory()));
}

TEST(OrgStore, SavingReplacesWhatWasStored) {
  auto db = store::Db::open(":memory:");
  ASSERT_TRUE(db.ok());
  ASSERT_TRUE(store::save_directory(**db, demo_directory()).ok());
  Directory smaller = small_tree();
  ASSERT_TRUE(smaller.add_user({UserId("head"), "刘院长", rid("qs/dq/hs/y1"), std::nullopt}).ok());
  ASSERT_TRUE(smaller.grant(UserId("head"), Role::courtyard_head, rid("qs/dq/hs/y1")).ok());
  ASSERT_TRUE(store::save_directory(**db, smaller).ok());
  auto loaded = store::load_directory(**db);
  ASSERT_TRUE(loaded.ok()) << loaded.error().detail;
  EXPECT_EQ(describe(*loaded), describe(smaller));
  EXPECT_EQ(loaded->user(UserId("wang")), nullptr) << "a user removed from the directory stays removed";
  EXPECT_EQ(loaded->region(rid("qs/lh")), nullptr);
}

TEST(OrgStore, EmptyDatabaseLoadsAnEmptyDirectory) {
  auto db = store::Db::open(":memory:");
  ASSERT_TRUE(db.ok());
  auto loaded = store::load_directory(**db);
  ASSERT_TRUE(loaded.ok());
  EXPECT_TRUE(loaded->regions().empty());
  EXPECT_TRUE(loaded->users().empty());
}

TEST(OrgStore, SettingsArePerRegionAndKey) {
  auto db = store::Db::open(":memory:");
  ASSERT_TRUE(db.ok());
  store::Db& d = **db;
  EXPECT_FALSE(store::get_setting(d, rid("qs"), "sla")->has_value());
  ASSERT_TRUE(store::put_setting(d, rid("qs"), "sla", R"({"red":[2,24]})").ok());
  ASSERT_TRUE(store::put_setting(d, rid("qs/dq"), "sla", "{}").ok());
  EXPECT_EQ(store::get_setting(d, rid("qs"), "sla")->value_or(""), R"({"red":[2,24]})");
  EXPECT_EQ(store::get_setting(d, rid("qs/dq"), "sla")->value_or(""), "{}");
  EXPECT_FALSE(store::get_setting(d, rid("qs"), "other")->has_value());
  ASSERT_TRUE(store::put_setting(d, rid("qs"), "sla", "{}").ok());
  EXPECT_EQ(store::get_setting(d, rid("qs"), "sla")->value_or(""), "{}") << "put overwrites";
}

}  // namespace
}  // namespace cunwu::org
