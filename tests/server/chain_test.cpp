// Tamper evidence: the host's hash chain and signed checkpoints, and `cunwu-admin verify`
// finding the first op that does not match after someone edits the database behind the host.
#include <gtest/gtest.h>

#include <sys/stat.h>

#include <fstream>
#include <sstream>

#include "admin.hpp"
#include "chain.hpp"
#include "cunwu/appeals/service.hpp"
#include "cunwu/store/chain_store.hpp"
#include "cunwu/store/db.hpp"
#include "digest.hpp"
#include "support/fixture.hpp"

namespace cunwu {
namespace {

// A demo county with some appeals filed after the first checkpoint, linked and signed again.
class Chain : public ::testing::Test {
 protected:
  void SetUp() override {
    std::ostringstream quiet;
    ASSERT_TRUE(host::admin_demo(dir(), CUNWU_SHARED_DIR, quiet));
    {
      auto r = open();
      for (const char* text : {"村口的路灯坏了三盏，晚上看不见路。", "水渠堵了，地里的水排不出去。"}) {
        const appeals::FileRequest a{RegionId("qs/dq/hs/y1"), appeals::Category::hazard, appeals::Urgency::yellow, text, {}, {}};
        ASSERT_TRUE(appeals::Service(*r).file(UserId("wang"), a));
      }
    }
    ASSERT_TRUE(host::admin_checkpoint(dir(), quiet));
  }

  std::string dir() const { return tmp_.file("county"); }
  std::unique_ptr<Replica> open() {
    ReplicaOptions o;
    o.path = dir() + "/county.db";
    o.id = ReplicaId("host");
    auto r = Replica::open(std::move(o));
    EXPECT_TRUE(r);
    return r ? std::move(*r) : nullptr;
  }
  // What someone with the database file (and not the host's key) can do to it.
  void tamper(const std::string& sql) {
    auto db = store::Db::open(dir() + "/county.db");
    ASSERT_TRUE(db);
    ASSERT_TRUE((*db)->exec("DROP TRIGGER IF EXISTS ops_append_only_update; DROP TRIGGER IF EXISTS ops_append_only_delete;"
                            "DROP TRIGGER IF EXISTS chain_append_only_update; DROP TRIGGER IF EXISTS chain_append_only_delete;" +
                            sql));
  }
  host::VerifyReport verify(const std::string& key = {}) {
    auto r = open();
    const std::string trusted = key.empty() ? *host::read_public_key(dir()) : key;
    auto v = host::verify_chain(*r, trusted);
    EXPECT_TRUE(v) << v.error().detail;
    return v ? *v : host::VerifyReport{};
  }
  std::string op_at(std::int64_t seq) {
    auto r = open();
    auto rows = r->log().ops().ops_after(seq - 1, 1);
    return rows && !rows->empty() ? oplog::to_string(rows->front().second.id) : "";
  }

  testing::TempDir tmp_;
};

TEST_F(Chain, AnUntouchedLogVerifies) {
  const auto v = verify();
  EXPECT_TRUE(v.ok) << v.problem;
  EXPECT_GT(v.ops, 50);
  EXPECT_EQ(v.linked, v.ops);
  EXPECT_EQ(v.checkpoints, 2);
  std::ostringstream out;
  EXPECT_TRUE(host::admin_verify(dir(), "", out));
  EXPECT_NE(out.str().find("OK"), std::string::npos);
}

// The links' format, pinned against libsodium's SHA-256 (what the host hashed with before it
// took OpenSSL's): link = SHA-256(previous link, seq as 8 bytes big-endian, the op's stored text).
// Chains written before still verify, and a verifier elsewhere can recompute them from this.
TEST_F(Chain, EachLinkIsTheSha256OfThePreviousLinkTheSeqAndTheStoredOp) {
  auto r = open();
  ASSERT_TRUE(r);
  auto links = store::links_after(r->db(), 0, 1000);
  auto ops = r->log().ops().wire_after(0, 1000);
  ASSERT_TRUE(links && ops);
  ASSERT_EQ(links->size(), ops->size());
  ASSERT_GT(links->size(), 10u);
  unsigned char prev[crypto_hash_sha256_BYTES] = {};
  for (std::size_t i = 0; i < ops->size(); ++i) {
    const auto& [seq, wire] = (*ops)[i];
    unsigned char be[8];
    for (int k = 0; k < 8; ++k) be[k] = static_cast<unsigned char>(static_cast<std::uint64_t>(seq) >> (56 - 8 * k));
    crypto_hash_sha256_state st;
    crypto_hash_sha256_init(&st);
    crypto_hash_sha256_update(&st, prev, sizeof prev);
    crypto_hash_sha256_update(&st, be, sizeof be);
    crypto_hash_sha256_update(&st, reinterpret_cast<const unsigned char*>(wire.data()), wire.size());
    crypto_hash_sha256_final(&st, prev);
    ASSERT_EQ((*links)[i].seq, seq);
    ASSERT_EQ((*links)[i].hash, host::hex(prev, sizeof prev)) << "link of seq " << seq;
  }
}

TEST(Digest, Sha256KnownAnswersInOnePieceAndInMany) {
  EXPECT_EQ(host::sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(host::sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  const std::string text = "村口的路灯坏了三盏，晚上看不见路。";
  host::Sha256 h;
  for (char c : text) h.update(&c, 1);
  const auto pieces = h.finish();
  EXPECT_EQ(host::hex(pieces.data(), pieces.size()), host::sha256_hex(text));
  // finish starts afresh: the next message is hashed alone.
  const auto abc = h.update("abc").finish();
  EXPECT_EQ(host::hex(abc.data(), abc.size()), host::sha256_hex("abc"));
}

TEST_F(Chain, AnEditedOpIsNamed) {
  const auto seq = verify().ops - 1;  // the first appeal's filing
  const std::string id = op_at(seq);
  tamper("UPDATE ops SET payload=replace(payload, '三盏', '一盏') WHERE seq=" + std::to_string(seq) + ";");
  const auto v = verify();
  EXPECT_FALSE(v.ok);
  EXPECT_EQ(v.bad_seq, seq);
  EXPECT_EQ(v.bad_op, id);
  std::ostringstream out;
  auto s = host::admin_verify(dir(), "", out);
  EXPECT_EQ(s.error().code, Errc::chain_broken);
  EXPECT_NE(out.str().find("MISMATCH at op seq " + std::to_string(seq)), std::string::npos) << out.str();
}

TEST_F(Chain, RewritingTheLinksTooIsCaughtByTheSignedCheckpoint) {
  const auto total = verify().ops;
  const auto seq = total - 1;
  tamper("UPDATE ops SET payload=replace(payload, '三盏', '一盏') WHERE seq=" + std::to_string(seq) +
         "; DELETE FROM chain WHERE seq>=" + std::to_string(seq) + ";");
  {
    auto r = open();
    ASSERT_TRUE(host::extend_chain(*r));  // the links now agree with the edited op
  }
  const auto v = verify();
  EXPECT_FALSE(v.ok);
  EXPECT_EQ(v.bad_seq, total);  // the checkpoint at the newest op no longer matches
  EXPECT_NE(v.problem.find("checkpoint"), std::string::npos);
}

TEST_F(Chain, ADeletedOpIsFound) {
  const auto seq = verify().ops / 2;
  tamper("DELETE FROM ops WHERE seq=" + std::to_string(seq) + ";");
  const auto v = verify();
  EXPECT_FALSE(v.ok);
  EXPECT_EQ(v.bad_seq, seq);
  EXPECT_NE(v.problem.find("deleted"), std::string::npos);
}

TEST_F(Chain, ACheckpointNotSignedByTheTrustedKeyIsRefused) {
  // Someone generates their own key, rewrites history and signs it: checked against the
  // operator's copy of the real public key, the checkpoint does not verify.
  testing::TempDir other;
  auto forged = host::load_or_create_key(other.file(""));
  ASSERT_TRUE(forged);
  auto v = verify(forged->public_hex);
  EXPECT_FALSE(v.ok);
  EXPECT_NE(v.problem.find("another key"), std::string::npos);
  tamper("DROP TRIGGER IF EXISTS checkpoints_append_only_update; UPDATE checkpoints SET hash='00' || substr(hash, 3);");
  v = verify();
  EXPECT_FALSE(v.ok);
  EXPECT_NE(v.problem.find("signature"), std::string::npos);
}

TEST_F(Chain, TheKeyIsKeptPrivate) {
  struct stat st {};
  ASSERT_EQ(::stat((dir() + "/host.key").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  auto again = host::load_or_create_key(dir());
  ASSERT_TRUE(again);
  EXPECT_EQ(again->public_hex, *host::read_public_key(dir()));
}

}  // namespace
}  // namespace cunwu
