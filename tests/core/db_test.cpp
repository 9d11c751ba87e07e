// The SQLite wrapper: opening and migrating, the statement cache, transactions and savepoints,
// schema versions, and the append-only op log.
#include "cunwu/store/db.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <limits>
#include <string>
#include <vector>

#include "cunwu/store/op_store.hpp"
#include "cunwu/store/org_store.hpp"
#include "support/fixture.hpp"

namespace cunwu::store {
namespace {

using testing::TempDir;

std::unique_ptr<Db> open_ok(const std::string& path) {
  auto db = Db::open(path);
  if (!db) ADD_FAILURE() << "open " << path << ": " << db.error().detail;
  return db ? std::move(db).value() : nullptr;
}

// The number of rows of a table, or -1 on error.
std::int64_t rows(Db& db, const std::string& table) {
  auto st = db.prepare("SELECT COUNT(*) FROM " + table);
  if (!st) return -1;
  auto row = (*st)->step();
  const std::int64_t n = row && *row ? (*st)->int64(0) : -1;
  (*st)->reset();
  return n;
}

Status insert_x(Db& db, std::int64_t x) {
  auto st = db.prepare("INSERT INTO t(x) VALUES(?)");
  if (!st) return st.error();
  return (*st)->bind(1, x).run();
}

oplog::Op sample_op(std::uint64_t counter) {
  oplog::Op op;
  op.id = oplog::OpId{ReplicaId("phone-7"), counter};
  op.hlc = clock::Hlc{1'783'904'400'000, 0};
  op.actor = UserId("wang");
  op.type = "appeal.file";
  op.entity = EntityId("appeal/phone-7.1");
  op.scope = RegionId("qs/dq/hs/y1");
  op.payload = oplog::Json{{"category", "environment"}, {"urgency", "green"}, {"text", "路灯坏了"}};
  return op;
}

class DbTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = open_ok(":memory:");
    ASSERT_NE(db_, nullptr);
    ASSERT_TRUE(db_->exec("CREATE TABLE t(x INTEGER)").ok());
  }
  std::unique_ptr<Db> db_;
};

TEST(DbOpen, InMemoryIsMigrated) {
  auto db = open_ok(":memory:");
  ASSERT_NE(db, nullptr);
  EXPECT_GE(db->schema_version(), 1);
  EXPECT_EQ(rows(*db, "ops"), 0);
  EXPECT_EQ(rows(*db, "regions"), 0);
  EXPECT_FALSE(db->in_transaction());
}

TEST(DbOpen, TheCacheSizeIsTheOneAskedFor) {
  const auto cache_size = [](OpenOptions options) {
    auto db = Db::open(":memory:", options);
    EXPECT_TRUE(db);
    auto st = (*db)->prepare("PRAGMA cache_size");
    return st && *(*st)->step() ? (*st)->int64(0) : 0;
  };
  EXPECT_EQ(cache_size({}), -2000);  // SQLite's own: 2,000 KiB
  OpenOptions host;
  host.cache_kib = 256 * 1024;
  EXPECT_EQ(cache_size(host), -256 * 1024);
}

TEST(DbOpen, InMemoryDatabasesArePrivate) {
  auto a = open_ok(":memory:");
  auto b = open_ok(":memory:");
  ASSERT_TRUE(a && b);
  ASSERT_TRUE(a->exec("INSERT INTO meta(key, value) VALUES('k', 'v')").ok());
  EXPECT_EQ(rows(*a, "meta"), 1);
  EXPECT_EQ(rows(*b, "meta"), 0);
}

TEST(DbOpen, CreatesAFile) {
  TempDir dir;
  const std::string path = dir.file("replica.db");
  {
    auto db = open_ok(path);
    ASSERT_NE(db, nullptr);
    EXPECT_EQ(rows(*db, "ops"), 0);
  }
  EXPECT_TRUE(std::filesystem::exists(path));
}

TEST(DbOpen, MissingDirectoryIsAStorageError) {
  TempDir dir;
  auto db = Db::open(dir.file("no/such/dir/replica.db"));
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.error().code, Errc::storage_error);
}

TEST(DbOpen, NotADatabaseIsAStorageError) {
  TempDir dir;
  const std::string path = dir.file("notes.txt");
  {
    std::FILE* f = std::fopen(path.c_str(), "wb");
    ASSERT_NE(f, nullptr);
    const std::string junk(4096, 'x');
    std::fwrite(junk.data(), 1, junk.size(), f);
    std::fclose(f);
  }
  auto db = Db::open(path);
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.error().code, Errc::storage_error);
}

TEST(DbOpen, ReopeningAFileKeepsData) {
  TempDir dir;
  const std::string path = dir.file("replica.db");
  {
    auto db = open_ok(path);
    ASSERT_NE(db, nullptr);
    OpStore ops(*db);
    ASSERT_TRUE(ops.insert(sample_op(1)).ok());
    ASSERT_TRUE(db->exec("INSERT INTO meta(key, value) VALUES('county', '青山县')").ok());
  }
  auto db = open_ok(path);
  ASSERT_NE(db, nullptr);
  OpStore ops(*db);
  auto found = ops.find(oplog::OpId{ReplicaId("phone-7"), 1});
  ASSERT_TRUE(found.ok());
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->payload["text"], "路灯坏了");
  auto st = db->prepare("SELECT value FROM meta WHERE key='county'");
  ASSERT_TRUE(st.ok());
  ASSERT_TRUE(*(*st)->step());
  EXPECT_EQ((*st)->text(0), "青山县");
}

TEST(DbOpen, SchemaVersionIsTheLatestThisBuildKnows) {
  TempDir dir;
  const std::string path = dir.file("replica.db");
  int version = 0;
  {
    auto db = open_ok(path);
    ASSERT_NE(db, nullptr);
    version = db->schema_version();
    EXPECT_GE(version, 1);
  }
  {
    // Reopening at the same version migrates nothing and keeps the version.
    auto db = open_ok(path);
    ASSERT_NE(db, nullptr);
    EXPECT_EQ(db->schema_version(), version);
    // One past it is a file from a newer build: proves `version` was the latest.
    ASSERT_TRUE(db->exec("PRAGMA user_version = " + std::to_string(version + 1)).ok());
  }
  auto newer = Db::open(path);
  ASSERT_FALSE(newer.ok());
  EXPECT_EQ(newer.error().code, Errc::schema_too_new);
}

TEST(DbOpen, RefusesAFileFromANewerBuild) {
  TempDir dir;
  const std::string path = dir.file("replica.db");
  {
    auto db = open_ok(path);
    ASSERT_NE(db, nullptr);
    ASSERT_TRUE(OpStore(*db).insert(sample_op(1)).ok());
    ASSERT_TRUE(db->exec("PRAGMA user_version = 999").ok());
  }
  auto db = Db::open(path);
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.error().code, Errc::schema_too_new);
  EXPECT_NE(db.error().detail.find("999"), std::string::npos) << db.error().detail;
  // The refusal must not damage the file: a newer build can still read it.
  {
    auto again = Db::open(path);
    EXPECT_EQ(again.code(), Errc::schema_too_new);
  }
}

// Regression: single-row reads (schema_version during open, find, count, entity, settings...)
// left their statement on a row, which kept the connection's read snapshot open: a second
// connection to the same file (the host uses one per thread) never saw later commits.
// The browser's databases (web/src/bindings.cpp): one connection holds the file, its WAL index
// in memory; a commit goes to the log, and a log left by a connection that never closed (a
// killed tab) is recovered by the next open.
TEST(DbOpen, AnExclusiveConnectionKeepsAWriteAheadLogWithoutSharedMemory) {
  TempDir dir;
  const std::string path = dir.file("phone.db");
  const std::string copy = dir.file("after-crash.db");
  OpenOptions exclusive;
  exclusive.exclusive = true;
  {
    auto opened = Db::open(path, exclusive);
    ASSERT_TRUE(opened.ok()) << opened.error().detail;
    auto& db = **opened;
    int logged = 0;
    db.on_commit([&](int pages) { logged = pages; }, 1'000'000);
    OpStore ops(db);
    for (std::uint64_t i = 1; i <= 3; ++i) ASSERT_TRUE(ops.insert(sample_op(i)).ok());
    EXPECT_GT(logged, 0);  // the commits went to the write-ahead log
    ASSERT_TRUE(std::filesystem::exists(path + "-wal"));
    EXPECT_FALSE(std::filesystem::exists(path + "-shm"));  // its index is in memory
    // The files as a crash would leave them: the ops only in the log.
    std::filesystem::copy_file(path, copy);
    std::filesystem::copy_file(path + "-wal", copy + "-wal");
  }
  auto recovered = Db::open(copy, exclusive);
  ASSERT_TRUE(recovered.ok()) << recovered.error().detail;
  EXPECT_EQ(*OpStore(**recovered).count(), 3);
}

TEST(DbConnections, SecondConnectionSeesLaterCommits) {
  TempDir dir;
  const std::string path = dir.file("host.db");
  auto writer = open_ok(path);
  auto reader = open_ok(path);
  ASSERT_TRUE(writer && reader);
  OpStore w(*writer);
  OpStore r(*reader);
  const RegionId county("qs");
  const EntityId entity("appeal/phone-7.1");
  ASSERT_EQ(*r.count(), 0);
  ASSERT_FALSE(r.find(sample_op(1).id)->has_value());
  ASSERT_FALSE(r.entity(entity)->has_value());
  ASSERT_FALSE(get_setting(*reader, county, "sla")->has_value());
  ASSERT_EQ(*r.max_counter(ReplicaId("phone-7")), 0u);
  ASSERT_EQ(*r.max_hlc(), clock::Hlc{});

  ASSERT_TRUE(w.insert(sample_op(1)).ok());
  ASSERT_TRUE(put_setting(*writer, county, "sla", "{}").ok());
  ASSERT_TRUE(w.put_entity(EntityRow{entity, "appeal", RegionId("qs/dq/hs/y1"), "{}", sample_op(1).order_key()}).ok());

  EXPECT_EQ(*r.count(), 1);
  EXPECT_TRUE(r.find(sample_op(1).id)->has_value());
  EXPECT_TRUE(r.entity(entity)->has_value());
  EXPECT_EQ(get_setting(*reader, county, "sla")->value_or(""), "{}");
  EXPECT_EQ(*r.max_counter(ReplicaId("phone-7")), 1u);

  oplog::Op later = sample_op(2);
  later.hlc.wall += 1000;
  ASSERT_TRUE(w.insert(later).ok());
  EXPECT_EQ(*r.count(), 2);
  EXPECT_EQ(*r.max_counter(ReplicaId("phone-7")), 2u);
  EXPECT_EQ(*r.max_hlc(), later.hlc);
  EXPECT_EQ(reader->schema_version(), writer->schema_version());
  ASSERT_TRUE(writer->exec("INSERT INTO meta(key, value) VALUES('k', 'v')").ok());
  EXPECT_EQ(rows(*reader, "meta"), 1);
}

// The host's commits leave the log to a connection of its own (native/host/checkpointer.*):
// each commit tells it the log's length (Db::on_commit), a passive checkpoint there copies
// every page of the writer's committed log into the database file, and the writer goes on
// appending as before; past its backstop the writer checkpoints by itself.
TEST(DbConnections, AnotherConnectionCheckpointsTheWritersLog) {
#ifdef __EMSCRIPTEN__
  GTEST_SKIP() << "the browser's databases keep a rollback journal, not a write-ahead log";
#endif
  TempDir dir;
  const std::string path = dir.file("host.db");
  auto writer = open_ok(path);
  auto checkpointer = open_ok(path);
  ASSERT_TRUE(writer && checkpointer);
  std::vector<int> told;
  writer->on_commit([&](int pages) { told.push_back(pages); }, 1'000'000);
  OpStore w(*writer);
  for (std::uint64_t i = 1; i <= 300; ++i) ASSERT_TRUE(w.insert(sample_op(i)).ok());
  ASSERT_EQ(told.size(), 300u);  // once a commit, the log growing each time
  EXPECT_TRUE(std::is_sorted(told.begin(), told.end()));
  const auto first = checkpointer->checkpoint();
  ASSERT_TRUE(first.ok()) << first.error().detail;
  EXPECT_EQ(first->first, told.back());  // SQLite's own checkpoints past 1000 pages were off
  EXPECT_GT(first->first, 1000);
  EXPECT_EQ(first->second, first->first);  // nothing was reading or writing: all copied
  // The next commit starts the log again from its beginning, and is copied in turn.
  ASSERT_TRUE(w.insert(sample_op(301)).ok());
  EXPECT_LT(told.back(), first->first);
  const auto second = checkpointer->checkpoint();
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->first, told.back());
  EXPECT_EQ(second->second, second->first);
  // With nobody checkpointing, the writer does past its backstop: the log stays short.
  writer->on_commit([&](int pages) { told.push_back(pages); }, 50);
  told.clear();
  for (std::uint64_t i = 302; i <= 601; ++i) ASSERT_TRUE(w.insert(sample_op(i)).ok());
  EXPECT_LT(*std::max_element(told.begin(), told.end()), 100);
  writer.reset();
  checkpointer.reset();
  auto reopened = open_ok(path);
  ASSERT_TRUE(reopened);
  EXPECT_EQ(*OpStore(*reopened).count(), 601);
}

TEST_F(DbTest, PrepareReturnsTheCachedStatement) {
  auto a = db_->prepare("SELECT x FROM t ORDER BY x");
  auto b = db_->prepare("SELECT x FROM t ORDER BY x");
  auto c = db_->prepare("SELECT x FROM t ORDER BY x DESC");
  ASSERT_TRUE(a.ok() && b.ok() && c.ok());
  EXPECT_EQ(*a, *b);
  EXPECT_NE(*a, *c);
}

TEST_F(DbTest, PrepareResetsTheCachedStatement) {
  ASSERT_TRUE(insert_x(*db_, 1).ok());
  ASSERT_TRUE(insert_x(*db_, 2).ok());
  auto st = db_->prepare("SELECT x FROM t WHERE x >= ? ORDER BY x");
  ASSERT_TRUE(st.ok());
  (*st)->bind(1, std::int64_t{2});
  ASSERT_TRUE(*(*st)->step());
  EXPECT_EQ((*st)->int64(0), 2);
  // A second prepare starts over with bindings cleared (NULL: no row is >= NULL).
  auto again = db_->prepare("SELECT x FROM t WHERE x >= ? ORDER BY x");
  ASSERT_TRUE(again.ok());
  auto row = (*again)->step();
  ASSERT_TRUE(row.ok());
  EXPECT_FALSE(*row);
  (*again)->reset().bind(1, std::int64_t{0});
  ASSERT_TRUE(*(*again)->step());
  EXPECT_EQ((*again)->int64(0), 1);
}

TEST_F(DbTest, BadSqlIsAStorageError) {
  auto st = db_->prepare("SELEKT 1");
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, Errc::storage_error);
  EXPECT_EQ(db_->exec("INSERT INTO no_such_table VALUES(1)").code(), Errc::storage_error);
  // A failed prepare is not cached: the same text fails again instead of returning garbage.
  EXPECT_EQ(db_->prepare("SELEKT 1").code(), Errc::storage_error);
}

TEST_F(DbTest, StepReportsConstraintViolations) {
  ASSERT_TRUE(db_->exec("CREATE TABLE u(k TEXT PRIMARY KEY)").ok());
  auto st = db_->prepare("INSERT INTO u(k) VALUES(?)");
  ASSERT_TRUE(st.ok());
  ASSERT_TRUE((*st)->bind(1, std::string_view("a")).run().ok());
  auto st2 = db_->prepare("INSERT INTO u(k) VALUES(?)");
  ASSERT_TRUE(st2.ok());
  EXPECT_EQ((*st2)->bind(1, std::string_view("a")).run().code(), Errc::storage_error);
}

TEST_F(DbTest, BindsAndReadsValuesExactly) {
  ASSERT_TRUE(db_->exec("CREATE TABLE v(i INTEGER, s TEXT)").ok());
  const std::string text = std::string("路灯\0坏了", 13);
  auto ins = db_->prepare("INSERT INTO v(i, s) VALUES(?, ?)");
  ASSERT_TRUE(ins.ok());
  ASSERT_TRUE((*ins)->bind(1, std::numeric_limits<std::int64_t>::min()).bind(2, std::string_view(text)).run().ok());
  ASSERT_TRUE((*ins)->reset().bind(1, std::numeric_limits<std::int64_t>::max()).bind_null(2).run().ok());
  auto sel = db_->prepare("SELECT i, s FROM v ORDER BY i");
  ASSERT_TRUE(sel.ok());
  ASSERT_TRUE(*(*sel)->step());
  EXPECT_EQ((*sel)->int64(0), std::numeric_limits<std::int64_t>::min());
  EXPECT_EQ((*sel)->text(1), text) << "embedded NUL and Chinese survive";
  EXPECT_FALSE((*sel)->is_null(1));
  ASSERT_TRUE(*(*sel)->step());
  EXPECT_EQ((*sel)->int64(0), std::numeric_limits<std::int64_t>::max());
  EXPECT_TRUE((*sel)->is_null(1));
  EXPECT_EQ((*sel)->text(1), "");
  EXPECT_FALSE(*(*sel)->step());
}

TEST_F(DbTest, TransactionRollsBackInItsDestructor) {
  {
    Transaction tx(*db_);
    ASSERT_TRUE(tx.status().ok());
    EXPECT_TRUE(db_->in_transaction());
    ASSERT_TRUE(insert_x(*db_, 1).ok());
    EXPECT_EQ(rows(*db_, "t"), 1);
  }
  EXPECT_FALSE(db_->in_transaction());
  EXPECT_EQ(rows(*db_, "t"), 0);
}

TEST_F(DbTest, CommittedTransactionKeepsItsWrites) {
  {
    Transaction tx(*db_);
    ASSERT_TRUE(tx.status().ok());
    ASSERT_TRUE(insert_x(*db_, 1).ok());
    ASSERT_TRUE(tx.commit().ok());
    EXPECT_FALSE(db_->in_transaction());
  }
  EXPECT_EQ(rows(*db_, "t"), 1);
  // The connection is usable for another transaction afterwards.
  Transaction tx2(*db_);
  EXPECT_TRUE(tx2.status().ok());
}

TEST_F(DbTest, NestedTransactionRollsBackOnlyTheInnerPart) {
  {
    Transaction outer(*db_);
    ASSERT_TRUE(outer.status().ok());
    ASSERT_TRUE(insert_x(*db_, 1).ok());
    {
      Transaction inner(*db_);
      ASSERT_TRUE(inner.status().ok());
      ASSERT_TRUE(insert_x(*db_, 2).ok());
      EXPECT_EQ(rows(*db_, "t"), 2);
    }  // inner rolled back
    EXPECT_TRUE(db_->in_transaction()) << "the outer transaction is still open";
    EXPECT_EQ(rows(*db_, "t"), 1);
    ASSERT_TRUE(insert_x(*db_, 3).ok());
    ASSERT_TRUE(outer.commit().ok());
  }
  auto st = db_->prepare("SELECT group_concat(x) FROM (SELECT x FROM t ORDER BY x)");
  ASSERT_TRUE(st.ok());
  ASSERT_TRUE(*(*st)->step());
  EXPECT_EQ((*st)->text(0), "1,3");
}

TEST_F(DbTest, CommittedInnerIsUndoneWithTheOuter) {
  {
    Transaction outer(*db_);
    ASSERT_TRUE(outer.status().ok());
    ASSERT_TRUE(insert_x(*db_, 1).ok());
    {
      Transaction inner(*db_);
      ASSERT_TRUE(inner.status().ok());
      ASSERT_TRUE(insert_x(*db_, 2).ok());
      ASSERT_TRUE(inner.commit().ok());
    }
    EXPECT_EQ(rows(*db_, "t"), 2);
  }
  EXPECT_EQ(rows(*db_, "t"), 0);
  EXPECT_FALSE(db_->in_transaction());
}

TEST_F(DbTest, SiblingAndDeeplyNestedSavepoints) {
  {
    Transaction outer(*db_);
    ASSERT_TRUE(outer.status().ok());
    {
      Transaction first(*db_);
      ASSERT_TRUE(insert_x(*db_, 1).ok());
      ASSERT_TRUE(first.commit().ok());
    }
    {
      Transaction second(*db_);
      ASSERT_TRUE(insert_x(*db_, 2).ok());
      {
        Transaction third(*db_);
        ASSERT_TRUE(insert_x(*db_, 3).ok());
        ASSERT_TRUE(third.commit().ok());
      }
      // second rolls back, taking the committed third with it
    }
    ASSERT_TRUE(outer.commit().ok());
  }
  auto st = db_->prepare("SELECT group_concat(x) FROM (SELECT x FROM t ORDER BY x)");
  ASSERT_TRUE(st.ok());
  ASSERT_TRUE(*(*st)->step());
  EXPECT_EQ((*st)->text(0), "1");
}

TEST_F(DbTest, JoinedTransactionsAreUndoneOnlyWithTheEnclosingOne) {
  {
    Transaction outer(*db_);
    ASSERT_TRUE(outer.status().ok());
    {
      Transaction request(*db_);
      const JoinNested join(*db_);
      ASSERT_TRUE(insert_x(*db_, 1).ok());
      {
        Transaction joined(*db_);
        ASSERT_TRUE(joined.status().ok());
        ASSERT_TRUE(insert_x(*db_, 2).ok());
      }  // not committed, yet nothing to undo alone: its write stays with the request's
      EXPECT_EQ(rows(*db_, "t"), 2);
      {
        Transaction joined(*db_);
        ASSERT_TRUE(insert_x(*db_, 3).ok());
        ASSERT_TRUE(joined.commit().ok());
      }
      EXPECT_TRUE(db_->in_transaction());
    }  // the request rolls back: all three go
    EXPECT_EQ(rows(*db_, "t"), 0);
    {
      Transaction request(*db_);
      const JoinNested join(*db_);
      {
        Transaction joined(*db_);
        ASSERT_TRUE(insert_x(*db_, 4).ok());
        ASSERT_TRUE(joined.commit().ok());
      }
      ASSERT_TRUE(request.commit().ok());
    }
    {
      // Past the scope, nesting opens savepoints again.
      Transaction inner(*db_);
      ASSERT_TRUE(insert_x(*db_, 5).ok());
    }
    ASSERT_TRUE(outer.commit().ok());
  }
  EXPECT_FALSE(db_->in_transaction());
  auto st = db_->prepare("SELECT group_concat(x) FROM (SELECT x FROM t ORDER BY x)");
  ASSERT_TRUE(st.ok());
  ASSERT_TRUE(*(*st)->step());
  EXPECT_EQ((*st)->text(0), "4");
}

TEST_F(DbTest, CommittedDataSurvivesInAFile) {
  TempDir dir;
  const std::string path = dir.file("tx.db");
  {
    auto db = open_ok(path);
    ASSERT_NE(db, nullptr);
    ASSERT_TRUE(db->exec("CREATE TABLE t(x INTEGER)").ok());
    {
      Transaction tx(*db);
      ASSERT_TRUE(insert_x(*db, 1).ok());
      ASSERT_TRUE(tx.commit().ok());
    }
    {
      Transaction tx(*db);
      ASSERT_TRUE(insert_x(*db, 2).ok());
    }  // not committed
  }
  auto db = open_ok(path);
  ASSERT_NE(db, nullptr);
  EXPECT_EQ(rows(*db, "t"), 1);
}

TEST_F(DbTest, OpsTableIsAppendOnly) {
  OpStore ops(*db_);
  ASSERT_TRUE(ops.insert(sample_op(1)).ok());
  const Status update = db_->exec("UPDATE ops SET actor = 'cadre-hs' WHERE origin = 'phone-7'");
  ASSERT_FALSE(update.ok());
  EXPECT_EQ(update.error().code, Errc::storage_error);
  const Status del = db_->exec("DELETE FROM ops");
  ASSERT_FALSE(del.ok());
  EXPECT_EQ(del.error().code, Errc::storage_error);
  // INSERT OR REPLACE would delete the old row: it is refused too.
  EXPECT_EQ(db_->exec("INSERT OR REPLACE INTO ops(origin, counter, wall, logical, actor, type, entity, scope, "
                      "visibility, payload) VALUES('phone-7', 1, 0, 0, 'x', 'appeal.file', 'appeal/x', 'qs', 0, '{}')")
                .code(),
            Errc::storage_error);
  auto found = ops.find(oplog::OpId{ReplicaId("phone-7"), 1});
  ASSERT_TRUE(found.ok());
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->actor, UserId("wang")) << "the op is unchanged";
  EXPECT_EQ(rows(*db_, "ops"), 1);
}

TEST_F(DbTest, InsertingAnOpTwiceIsIgnored) {
  OpStore ops(*db_);
  auto first = ops.insert(sample_op(1));
  ASSERT_TRUE(first.ok());
  EXPECT_TRUE(*first);
  oplog::Op changed = sample_op(1);
  changed.actor = UserId("li");  // a forged retry must not overwrite the original
  auto second = ops.insert(changed);
  ASSERT_TRUE(second.ok());
  EXPECT_FALSE(*second);
  auto found = ops.find(changed.id);
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((*found)->actor, UserId("wang"));
  EXPECT_EQ(*ops.count(), 1);
}

TEST_F(DbTest, OpStoreRoundTripsEveryField) {
  OpStore ops(*db_);
  oplog::Op op = sample_op(42);
  op.hlc = clock::Hlc{1'783'904'400'123, 4'000'000'000u};
  op.visibility = oplog::Visibility::participants;
  ASSERT_TRUE(ops.insert(op).ok());
  auto found = ops.find(op.id);
  ASSERT_TRUE(found.ok() && found->has_value());
  const oplog::Op& got = **found;
  EXPECT_EQ(got.id, op.id);
  EXPECT_EQ(got.hlc, op.hlc);
  EXPECT_EQ(got.actor, op.actor);
  EXPECT_EQ(got.type, op.type);
  EXPECT_EQ(got.entity, op.entity);
  EXPECT_EQ(got.scope, op.scope);
  EXPECT_EQ(got.visibility, op.visibility);
  EXPECT_EQ(got.payload, op.payload);
  EXPECT_EQ(*ops.max_counter(ReplicaId("phone-7")), 42u);
  EXPECT_EQ(*ops.max_counter(ReplicaId("other")), 0u);
  EXPECT_EQ(*ops.max_hlc(), op.hlc);
}

// The host hashes (and may send) ops as written from their columns: it must be the very text
// that parsing the op and writing it with to_json gives, for every kind of payload.
TEST(OpStoreWire, IsByteForByteWhatToJsonWrites) {
  auto db = open_ok(":memory:");
  ASSERT_NE(db, nullptr);
  OpStore ops(*db);
  const oplog::Json payloads[] = {
      oplog::Json::object(),
      {{"text", "路灯坏了👍 \"引号\" \\ 反斜杠\n换行\t\u0001"}, {"amount", 12345}, {"ratio", 0.1}},
      {{"nested", {{"b", {1, -2, 3.5e300, nullptr, true}}, {"a", "z"}}}, {"empty", oplog::Json::array()}},
      {{"big", std::uint64_t(1) << 62}, {"neg", -(std::int64_t(1) << 62)}, {"tiny", 1e-300}},
  };
  std::uint64_t counter = 0;
  for (const auto& payload : payloads) {
    oplog::Op op = sample_op(++counter);
    op.hlc = clock::Hlc{std::int64_t(1'783'904'400'000) + std::int64_t(counter), std::uint32_t(counter * 7)};
    op.visibility = counter % 2 ? oplog::Visibility::participants : oplog::Visibility::public_in_scope;
    op.actor = UserId(counter % 2 ? "wang" : "li\"si");
    op.payload = payload;
    ASSERT_TRUE(ops.insert(op).ok());
  }
  auto parsed = ops.ops_after(0, 100);
  auto wire = ops.wire_after(0, 100);
  ASSERT_TRUE(parsed.ok() && wire.ok());
  ASSERT_EQ(wire->size(), std::size(payloads));
  for (std::size_t i = 0; i < wire->size(); ++i) {
    EXPECT_EQ((*wire)[i].first, (*parsed)[i].first);
    EXPECT_EQ((*wire)[i].second, oplog::to_json((*parsed)[i].second).dump());
    // One op by its sequence, as a pull reads it: the same text.
    auto one = ops.wire_at_seq((*parsed)[i].first);
    ASSERT_TRUE(one.ok() && one->has_value());
    EXPECT_EQ(**one, (*wire)[i].second);
  }
  auto none = ops.wire_at_seq(1000);
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
}

}  // namespace
}  // namespace cunwu::store
