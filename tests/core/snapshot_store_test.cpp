// store::copy_ops, which fills a new device's snapshot: many ops are copied with the secondary
// indexes dropped and built again afterwards; the copy must end with the schema it started with.
#include <gtest/gtest.h>

#include "cunwu/appeals/service.hpp"
#include "cunwu/store/snapshot_store.hpp"
#include "cunwu/store/sync_store.hpp"
#include "support/fixture.hpp"

namespace cunwu::store {
namespace {

// The indexes of table ops as (name, sql), in name order.
std::vector<std::pair<std::string, std::string>> op_indexes(Db& db) {
  auto st = db.prepare("SELECT name, COALESCE(sql, '') FROM sqlite_schema WHERE type='index' AND tbl_name='ops' ORDER BY name");
  std::vector<std::pair<std::string, std::string>> out;
  while (st && *(*st)->step()) out.emplace_back((*st)->text(0), (*st)->text(1));
  return out;
}

TEST(CopyOps, ManyOpsKeepTheSchemaAndEveryIndexFindsThem) {
  testing::FakeClock clock(testing::demo_start());
  auto from = testing::demo_replica("phone-wang", clock);
  appeals::Service wang(*from);
  EntityId last;
  for (int i = 0; i < 2100; ++i) {  // past the count from which the indexes are rebuilt
    auto id = wang.file(UserId("wang"), {RegionId("qs/dq/hs/y1"), appeals::Category::service, appeals::Urgency::green,
                                         "路灯坏了 " + std::to_string(i), {}, {}});
    ASSERT_TRUE(id);
    last = *id;
    clock.advance(Duration{1000});
  }
  auto heads = op_heads(from->db(), 0, INT64_MAX, SIZE_MAX);
  ASSERT_TRUE(heads);
  std::vector<std::int64_t> seqs;
  for (const auto& h : *heads) seqs.push_back(h.seq);

  auto to = testing::demo_replica("snapshot", clock);
  const auto schema = op_indexes(to->db());
  ASSERT_GE(schema.size(), 3u);  // the unique (origin, counter), by entity, by hybrid time
  ASSERT_TRUE(copy_ops(from->db(), to->db(), seqs));
  EXPECT_EQ(op_indexes(to->db()), schema);
  auto count = OpStore(to->db()).count();
  ASSERT_TRUE(count);
  EXPECT_EQ(std::size_t(*count), seqs.size());
  // Each index answers: by entity, by (origin, counter), and the log's greatest time.
  auto of_last = OpStore(to->db()).entity_ops(last);
  ASSERT_TRUE(of_last);
  ASSERT_EQ(of_last->size(), 1u);
  auto found = OpStore(to->db()).find(of_last->front().id);
  ASSERT_TRUE(found);
  EXPECT_TRUE(*found);
  auto check = to->db().prepare("PRAGMA integrity_check");
  ASSERT_TRUE(check && *(*check)->step());
  EXPECT_EQ((*check)->text(0), "ok");
}

}  // namespace
}  // namespace cunwu::store
