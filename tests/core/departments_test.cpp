// 部门 — departments in the org tree: loaded from the seed, stored and reloaded, found for an
// appeal's courtyard, and the only targets of dispatch (转派) where a county defines them.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "cunwu/appeals/service.hpp"
#include "cunwu/org/directory.hpp"
#include "cunwu/store/db.hpp"
#include "cunwu/store/org_store.hpp"
#include "support/fixture.hpp"

namespace cunwu {
namespace {

std::vector<std::string> names(const std::vector<const org::Department*>& list) {
  std::vector<std::string> out;
  for (const auto* d : list) out.push_back(d->name);
  return out;
}

TEST(Departments, NearestRegionFirstAndOnlyThoseServingTheScope) {
  const auto& dir = testing::demo_directory();
  EXPECT_EQ(names(dir.departments_for(RegionId("qs/dq/hs/y1"))),
            (std::vector<std::string>{"村保洁队", "村电工班", "镇交通办", "镇司法所", "镇水务站", "镇环卫所", "县住建局",
                                      "县供电公司", "县应急管理局", "县水利局", "县生态环境局"}));
  const auto lj = names(dir.departments_for(RegionId("qs/lh/lj/y1")));
  EXPECT_EQ(lj.front(), "村保洁队");
  EXPECT_EQ(lj[1], "乡环卫所");
  EXPECT_EQ(std::count(lj.begin(), lj.end(), "镇环卫所"), 0) << "another township's office";
  EXPECT_EQ(dir.find_department(RegionId("qs/lh/lj/y1"), "村保洁队")->id, "lj-bj") << "by name, the village's own";
  EXPECT_EQ(dir.find_department(RegionId("qs/dq/hs/y1"), "hs-bj")->name, "村保洁队") << "by id";
  EXPECT_EQ(dir.find_department(RegionId("qs/lh/lj/y1"), "hs-bj"), nullptr);
}

TEST(Departments, BadOnesAreRefused) {
  org::Directory dir = testing::demo_directory();
  EXPECT_EQ(dir.add_department({"Bad Id", RegionId("qs"), "县某局"}).code(), Errc::invalid_id);
  EXPECT_EQ(dir.add_department({"qs-zj", RegionId("qs"), "重复"}).code(), Errc::invalid_id) << "ids are unique";
  EXPECT_EQ(dir.add_department({"new-1", RegionId("qs/dq/hs/y1"), "院落小组"}).code(), Errc::unknown_region)
      << "not a courtyard";
  EXPECT_EQ(dir.add_department({"new-2", RegionId("qs/nowhere"), "某所"}).code(), Errc::unknown_region);
  EXPECT_FALSE(dir.add_department({"new-3", RegionId("qs"), "  "}));
}

TEST(Departments, SurviveTheStoreAndTheSeedJsonAndChangeTheVersion) {
  const auto& demo = testing::demo_directory();
  auto opened = store::Db::open(":memory:");
  ASSERT_TRUE(opened);
  store::Db& db = **opened;
  ASSERT_TRUE(store::save_directory(db, demo));
  auto back = store::load_directory(db);
  ASSERT_TRUE(back);
  EXPECT_EQ(org::directory_to_json(*back), org::directory_to_json(demo));
  EXPECT_EQ(back->departments().size(), demo.departments().size());

  auto seed = org::directory_to_json(demo);
  seed.erase("departments");
  const org::Directory without = *org::directory_from_json(seed);
  EXPECT_TRUE(without.departments().empty());
  EXPECT_FALSE(org::directory_to_json(without).contains("departments")) << "no key for a tree without departments";
  EXPECT_NE(org::directory_version(without), org::directory_version(demo));
  ASSERT_TRUE(store::save_directory(db, without));
  EXPECT_TRUE(store::load_directory(db)->departments().empty()) << "a department left out is gone";
}

class Dispatch : public ::testing::Test {
 protected:
  EntityId file(const RegionId& yard, const UserId& who) {
    auto id = svc.file(who, appeals::FileRequest{yard, appeals::Category::environment, appeals::Urgency::green,
                                                 "门口垃圾桶满了，好几天没人清运", {}});
    EXPECT_TRUE(id);
    return id ? *id : EntityId{};
  }
  testing::FakeClock clock{testing::demo_start()};
  std::unique_ptr<Replica> host = testing::demo_replica("host", clock);
  appeals::Service svc{*host};
};

TEST_F(Dispatch, ToACataloguedDepartmentByIdOrName) {
  const auto id = file(RegionId("qs/dq/hs/y1"), UserId("wang"));
  const UserId head("head-hs1");
  ASSERT_TRUE(svc.dispatch(head, id, "hs-bj"));
  EXPECT_EQ(svc.get(id)->department, "村保洁队") << "the op carries the name the villager reads";
  ASSERT_TRUE(svc.dispatch(head, id, "镇环卫所"));
  EXPECT_EQ(svc.get(id)->timeline.back().text, "镇环卫所");
  EXPECT_EQ(svc.dispatch(head, id, "乡环卫所").code(), Errc::unknown_department) << "another township's";
  EXPECT_EQ(svc.dispatch(head, id, "隔壁老张").code(), Errc::unknown_department);
  EXPECT_EQ(svc.get(id)->department, "镇环卫所") << "a refused dispatch wrote nothing";
}

TEST_F(Dispatch, AnOpToAnUnknownDepartmentFromElsewhereIsAConflict) {
  // A device whose tree has no departments dispatches by free text; where the catalogue exists,
  // the fold refuses it, so the host and every device agree it did not happen.
  org::Directory bare = testing::demo_directory();
  auto seed = org::directory_to_json(bare);
  seed.erase("departments");
  auto phone = testing::demo_replica("phone", clock);
  ASSERT_TRUE(phone->set_directory(*org::directory_from_json(seed)));
  appeals::Service on_phone(*phone);
  auto id = on_phone.file(UserId("wang"), appeals::FileRequest{RegionId("qs/dq/hs/y1"), appeals::Category::other,
                                                               appeals::Urgency::green, "路灯坏了", {}});
  ASSERT_TRUE(id);
  ASSERT_TRUE(on_phone.dispatch(UserId("head-hs1"), *id, "隔壁老张"));
  auto ops = phone->log().ops().ops_after(0, 100);
  ASSERT_TRUE(ops);
  std::vector<oplog::Op> list;
  for (auto& [seq, op] : *ops) list.push_back(op);
  ASSERT_TRUE(host->receive(list));
  EXPECT_EQ(svc.get(*id)->department, "");
  auto conflicts = host->conflicts(*id);
  ASSERT_TRUE(conflicts);
  ASSERT_EQ(conflicts->size(), 1u);
  EXPECT_EQ((*conflicts)[0].error.code, Errc::unknown_department);
}

TEST_F(Dispatch, FreeTextWhereNoCatalogueExists) {
  org::Directory bare = testing::demo_directory();
  auto seed = org::directory_to_json(bare);
  seed.erase("departments");
  ASSERT_TRUE(host->set_directory(*org::directory_from_json(seed)));
  const auto id = file(RegionId("qs/dq/hs/y1"), UserId("wang"));
  ASSERT_TRUE(svc.dispatch(UserId("head-hs1"), id, "村里的老李师傅"));
  EXPECT_EQ(svc.get(id)->department, "村里的老李师傅");
}

}  // namespace
}  // namespace cunwu
