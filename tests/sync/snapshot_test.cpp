// A new device bootstraps from the host's snapshot of its scope instead of replaying history:
// for every person of the demo county it must end up exactly where a device that pulled every
// op from cursor 0 ends up, hold nothing it may not see, and keep converging afterwards.
#include "cunwu/appeals/service.hpp"
#include "cunwu/base/hash64.hpp"
#include "cunwu/disclosure/service.hpp"
#include "cunwu/points/service.hpp"
#include "sync_fixture.hpp"

#include <fstream>

namespace cunwu {
namespace {

using testing::Device;
using testing::TestHost;

const std::vector<std::string>& people() {
  static const std::vector<std::string> p = {"wang",     "li",        "chen",         "sun",      "zhao",
                                             "head-hs1", "head-hs2",  "cadre-hs",     "cadre-lj", "staff-dq",
                                             "staff-qs", "inspector-qs", "deputy-dq", "shop-hs",  "admin-qs"};
  return p;
}

appeals::FileRequest appeal_in(const std::string& courtyard, const std::string& text) {
  return {RegionId(courtyard), appeals::Category::service, appeals::Urgency::yellow, text, {}, {}};
}

// A county with a little of everything: appeals in three villages handled and rated, a refused
// op kept with its verdict, points awarded and a redemption the balance does not cover, a post
// whose drafts only cadres see, an amendment and a question.
class Snapshot : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(points::seed_demo(*host.replica, testing::shared_demo_json("points.json")));
    ASSERT_TRUE(points::Service(*host.replica).award(UserId("cadre-hs"), HouseholdId("h-wang"), "clean-yard", "院子整洁"));
    auto w = appeals::Service(*wang.replica).file(UserId("wang"), appeal_in("qs/dq/hs/y1", "村口路灯坏了，晚上看不见路。"));
    ASSERT_TRUE(w);
    wang_appeal = *w;
    ASSERT_TRUE(appeals::Service(*zhao.replica).file(UserId("zhao"), appeal_in("qs/lh/lj/y1", "水渠堵了，田里进不去水。")));
    ASSERT_TRUE(appeals::Service(*chen.replica).file(UserId("chen"), appeal_in("qs/dq/hs/y2", "低保材料怎么交？")));
    // Two phones of one household spend the same 5 points offline: the host refuses the later.
    testing::sync_all(wang, host);
    testing::sync_all(pad, host);
    ASSERT_TRUE(points::Service(*wang.replica).redeem(UserId("wang"), HouseholdId("h-wang"), "soap"));
    ASSERT_TRUE(points::Service(*pad.replica).redeem(UserId("wang"), HouseholdId("h-wang"), "soap"));
    for (auto* d : {&wang, &pad, &zhao, &chen}) testing::sync_all(*d, host);

    testing::sync_all(head, host);
    appeals::Service on_head(*head.replica);
    ASSERT_TRUE(on_head.accept(UserId("head-hs1"), wang_appeal));
    ASSERT_TRUE(on_head.reply(UserId("head-hs1"), wang_appeal, "明天派电工去修。"));
    ASSERT_TRUE(on_head.resolve(UserId("head-hs1"), wang_appeal, "路灯已修好。"));
    testing::sync_all(head, host);

    disclosure::Service on_cadre(*cadre.replica);
    const UserId zhang("cadre-hs");
    auto post = on_cadre.draft(zhang, RegionId("qs/dq/hs"), "notice", {{"title", "修路通知"}, {"body", "草稿：时间待定。"}});
    ASSERT_TRUE(post);
    post_id = *post;
    ASSERT_TRUE(on_cadre.edit(zhang, post_id, {{"body", "7月20日至25日施工，请绕行。"}}));
    ASSERT_TRUE(on_cadre.publish(zhang, post_id));
    ASSERT_TRUE(on_cadre.amend(zhang, post_id, "工期调整", {{"body", "7月22日至27日施工，请绕行。"}}));
    ASSERT_TRUE(on_cadre.draft(zhang, RegionId("qs/dq/hs"), "notice", {{"title", "未发布的通知"}, {"body", "内部"}}));
    testing::sync_all(cadre, host);

    testing::sync_all(wang, host);
    ASSERT_TRUE(appeals::Service(*wang.replica).rate(UserId("wang"), wang_appeal, appeals::Rating::satisfied, ""));
    ASSERT_TRUE(disclosure::Service(*wang.replica).ask(UserId("wang"), post_id, "晚上也施工吗？"));
    testing::sync_all(wang, host);
  }

  // A fresh device of `who` from the host's snapshot, checked by its digest as devices do.
  std::unique_ptr<Device> from_snapshot(const std::string& who, const std::string& device) {
    auto snap = host.host.snapshot(UserId(who), sync::Client::snapshot_request(ReplicaId(device), testing::demo_start()));
    EXPECT_TRUE(snap) << snap.error().detail;
    if (!snap) return nullptr;
    return std::make_unique<Device>(UserId(who), testing::demo_start(), [&](testing::FakeClock& clock) {
      ReplicaOptions options;
      options.id = ReplicaId(device);
      options.path = path(device);
      options.physical = clock.physical();
      std::remove(options.path.c_str());
      auto r = Replica::open_snapshot(options, snap->image, snap->digest);
      EXPECT_TRUE(r) << r.error().detail;
      return r ? std::move(*r) : nullptr;
    });
  }

  // Per test: ctest runs the tests of this file as parallel processes, which must not share files.
  std::string path(const std::string& device) {
    return ::testing::TempDir() + "/snapshot-" + ::testing::UnitTest::GetInstance()->current_test_info()->name() + "-" +
           device + ".db";
  }

  TestHost host{testing::demo_start()};
  Device wang{"phone-wang", UserId("wang"), testing::demo_start()};
  Device pad{"pad-wang", UserId("wang"), testing::demo_start()};
  Device zhao{"phone-zhao", UserId("zhao"), testing::demo_start()};
  Device chen{"phone-chen", UserId("chen"), testing::demo_start()};
  Device head{"phone-head", UserId("head-hs1"), testing::demo_start()};
  Device cadre{"phone-cadre", UserId("cadre-hs"), testing::demo_start()};
  EntityId wang_appeal;
  EntityId post_id;
};

std::int64_t op_count(Replica& r) { return *r.log().ops().count(); }

TEST_F(Snapshot, EveryPersonEndsWhereAFullReplayEnds) {
  for (const auto& who : people()) {
    SCOPED_TRACE(who);
    Device replayed("replay-" + who, UserId(who), testing::demo_start());
    testing::sync_all(replayed, host);
    auto snap = from_snapshot(who, "snap-" + who);
    ASSERT_TRUE(snap && snap->replica);
    EXPECT_EQ(op_count(*snap->replica), op_count(*replayed.replica));
    EXPECT_EQ(*snap->replica->canonical_dump(), *replayed.replica->canonical_dump());
    // Its next sync finds nothing new: the cursor came with the snapshot.
    const auto report = testing::round_trip(*snap, host);
    EXPECT_EQ(report.pulled, 0u);
    EXPECT_FALSE(report.more);
  }
}

TEST_F(Snapshot, HoldsNothingThePersonMayNotSee) {
  auto zhao_snap = from_snapshot("zhao", "snap-zhao");
  EXPECT_EQ(appeals::Service(*zhao_snap->replica).get(wang_appeal).error().code, Errc::not_found);
  auto li_snap = from_snapshot("li", "snap-li");
  EXPECT_EQ(appeals::Service(*li_snap->replica).get(wang_appeal).error().code, Errc::not_found)
      << "another villager's appeal stays private";
  // wang asked a question under the post: acting in public owes him none of its drafts, neither
  // in the snapshot nor in a pull.
  auto wang_snap = from_snapshot("wang", "snap-wang");
  Device wang_replayed("replay-wang", UserId("wang"), testing::demo_start());
  testing::sync_all(wang_replayed, host);
  for (auto* r : {wang_snap->replica.get(), wang_replayed.replica.get(), wang.replica.get()}) {
    auto ops = r->log().ops().entity_ops(post_id);
    ASSERT_TRUE(ops);
    EXPECT_EQ(ops->size(), 3u) << "publish, amend and ask: nothing of the drafts";
    for (const auto& op : *ops) EXPECT_TRUE(op.type != "post.draft" && op.type != "post.edit") << op.type;
  }
  auto post = disclosure::Service(*wang_snap->replica).get(post_id);
  ASSERT_TRUE(post) << post.error().detail;
  EXPECT_EQ(post->content()["body"], "7月22日至27日施工，请绕行。");
  EXPECT_EQ(post->versions.size(), 2u);
  // The points balance is the host's, projected into the device's own tables.
  EXPECT_EQ(points::Service(*wang_snap->replica).balance(HouseholdId("h-wang"))->value,
            points::Service(*host.replica).balance(HouseholdId("h-wang"))->value);
  auto problems = points::Service(*wang_snap->replica).problems(HouseholdId("h-wang"));
  ASSERT_TRUE(problems);
  EXPECT_EQ(problems->size(), 1u) << "the redemption the host refused, with its reason";
}

TEST_F(Snapshot, ABootstrappedDeviceKeepsConvergingAlsoWithLateOps) {
  auto snap = from_snapshot("cadre-lj", "snap-cadre-lj");
  ASSERT_TRUE(snap);
  Device replayed("replay-cadre-lj", UserId("cadre-lj"), testing::demo_start());
  testing::sync_all(replayed, host);
  // zhao's phone has been offline since it filed; it withdraws the appeal, while the courtyard
  // head (synced, so later on the hybrid clock) accepts it. The withdrawal reaches the host
  // last but sorts first: devices that hold the appeal re-fold it from the ops they hold.
  auto zhao_appeal = appeals::Service(*zhao.replica).list(std::nullopt);
  ASSERT_TRUE(zhao_appeal && zhao_appeal->size() == 1);
  const EntityId appeal = zhao_appeal->front().id;
  Device head_lj("phone-head-lj", UserId("head-lj1"), testing::demo_start());
  testing::sync_all(head_lj, host);
  ASSERT_TRUE(appeals::Service(*head_lj.replica).accept(UserId("head-lj1"), appeal));
  ASSERT_TRUE(appeals::Service(*zhao.replica).withdraw(UserId("zhao"), appeal, "自己修好了"));
  testing::sync_all(*snap, host);  // the acceptance first, applied in order
  testing::sync_all(head_lj, host);
  testing::sync_all(zhao, host);
  testing::sync_all(*snap, host);
  testing::sync_all(replayed, host);
  EXPECT_EQ(*snap->replica->canonical_dump(), *replayed.replica->canonical_dump());
  // And it authors like any device.
  ASSERT_TRUE(appeals::Service(*snap->replica).file(UserId("cadre-lj"), [] {
    auto r = appeal_in("qs/lh/lj/y1", "代村民赵春花反映：水渠又堵了。");
    r.on_behalf_of = UserId("zhao");
    return r;
  }()));
  EXPECT_EQ(testing::round_trip(*snap, host).accepted, 1u);
}

TEST_F(Snapshot, BadImagesAndDevicesWithDataAreRefusedAndChangeNothing) {
  ReplicaOptions options;
  options.id = ReplicaId("snap-bad");
  options.path = path("bad");
  std::remove(options.path.c_str());
  EXPECT_EQ(Replica::open_snapshot(options, "not a database").error().code, Errc::invalid_input);
  auto req = sync::Client::snapshot_request(ReplicaId("snap-bad"), testing::demo_start());
  auto image = host.host.snapshot(UserId("wang"), req);
  ASSERT_TRUE(image);
  std::string damaged(image->image.view());
  damaged.resize(damaged.size() / 2);
  EXPECT_EQ(Replica::open_snapshot(options, damaged).error().code, Errc::invalid_input);
  std::string scribbled(image->image.view());
  for (std::size_t i = 4096; i < scribbled.size(); i += 97) scribbled[i] = char(scribbled[i] ^ 0x5a);
  EXPECT_EQ(Replica::open_snapshot(options, scribbled).error().code, Errc::invalid_input);
  // With the host's digest, the checksum finds the damage instead of quick_check, also a single
  // flipped bit in a row's text, which quick_check would not see.
  EXPECT_EQ(Replica::open_snapshot(options, damaged, image->digest).error().code, Errc::invalid_input);
  EXPECT_EQ(Replica::open_snapshot(options, scribbled, image->digest).error().code, Errc::invalid_input);
  std::string one_bit(image->image.view());
  const auto text_at = one_bit.find("村口路灯坏了");  // inside a row: the file stays well-formed
  ASSERT_NE(text_at, std::string::npos);
  one_bit[text_at + 4] = char(one_bit[text_at + 4] ^ 0x01);
  EXPECT_TRUE(store::Db::check_image(one_bit)) << "structurally sound";
  EXPECT_EQ(Replica::open_snapshot(options, one_bit, image->digest).error().code, Errc::invalid_input);
  EXPECT_EQ(Replica::open_snapshot(options, image->image, "xxh64:0000000000000000").error().code, Errc::invalid_input);
  EXPECT_EQ(image->digest, xxh64_digest(image->image));
  // A header that does not describe the bytes, and another schema, are refused with a matching
  // digest too (the header's user_version is the schema).
  std::string longer = std::string(image->image.view()) + std::string(4096, '\0');
  EXPECT_EQ(Replica::open_snapshot(options, longer, xxh64_digest(longer)).error().code, Errc::invalid_input);
  std::string newer(image->image.view());
  newer[63] = char(newer[63] + 1);
  EXPECT_EQ(Replica::open_snapshot(options, newer, xxh64_digest(newer)).error().code, Errc::schema_too_new);
  EXPECT_EQ(Replica::open_snapshot(options, newer).error().code, Errc::schema_too_new);
  EXPECT_FALSE(std::ifstream(options.path).good()) << "a refused image writes no file";
  options.path = ":memory:";
  EXPECT_EQ(Replica::open_snapshot(options, image->image).error().code, Errc::invalid_input);
  // A device holding ops of its own syncs instead: nothing it authored is overwritten.
  options.path = path("with-data");
  std::remove(options.path.c_str());
  {
    auto r = Replica::open(options);
    ASSERT_TRUE(r);
    ASSERT_TRUE((*r)->set_directory(host.replica->directory()));
    ASSERT_TRUE(appeals::Service(**r).file(UserId("wang"), appeal_in("qs/dq/hs/y1", "离线时写的诉求")));
  }
  EXPECT_EQ(Replica::open_snapshot(options, image->image).error().code, Errc::invalid_input);
  auto still = Replica::open(options);
  ASSERT_TRUE(still);
  EXPECT_EQ(op_count(**still), 1);
  // The host refuses snapshot requests from devices that hold something.
  req.cursor = 5;
  EXPECT_EQ(host.host.snapshot(UserId("wang"), req).error().code, Errc::invalid_input);
  req.cursor = 0;
  req.schema += 1;
  EXPECT_EQ(host.host.snapshot(UserId("wang"), req).error().code, Errc::protocol_mismatch);
}

// A new device's file is written with the image as it is; an app that created its (empty)
// database before the first login gets the image restored into it. Both end the same.
TEST_F(Snapshot, AnEmptyFileAndAFileWithoutOpsBothTakeTheImage) {
  auto image = host.host.snapshot(UserId("wang"), sync::Client::snapshot_request(ReplicaId("snap-x"), testing::demo_start()));
  ASSERT_TRUE(image);
  std::string dumps[2];
  for (int i = 0; i < 2; ++i) {
    ReplicaOptions options;
    options.id = ReplicaId("snap-x");
    options.path = path(i == 0 ? "empty" : "schema-only");
    std::remove(options.path.c_str());
    if (i == 0) {
      std::ofstream(options.path).close();  // exists, 0 bytes
    } else {
      ASSERT_TRUE(Replica::open(options));  // schema, no ops
    }
    // The one written as a new file is checked by quick_check, the restored one by the digest.
    auto r = Replica::open_snapshot(options, image->image, i == 0 ? std::string() : image->digest);
    ASSERT_TRUE(r) << r.error().detail;
    EXPECT_EQ(op_count(**r), std::int64_t(image->ops));
    dumps[i] = *(*r)->canonical_dump();
  }
  EXPECT_EQ(dumps[0], dumps[1]);
  EXPECT_NE(dumps[0].find("村口路灯坏了"), std::string::npos) << "wang's appeal is there";
}

}  // namespace
}  // namespace cunwu
