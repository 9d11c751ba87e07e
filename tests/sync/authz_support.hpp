#pragma once
// Support for the authorization matrices: a device pushes an op exactly as the test wrote it,
// whatever its app would have allowed, and the host's answer is read as a short cell of a table.
#include <gtest/gtest.h>

#include <fstream>
#include <string>
#include <vector>

#include "sync_fixture.hpp"

namespace cunwu::testing {

/// A cell of a matrix: "ok" (accepted) or a catalogued code. Four codes are abbreviated so that
/// a row fits a line: "role" forbidden_role, "scope" out_of_scope, "host" host_only,
/// "forged" actor_mismatch; any other code is written out.
inline std::string cell_of(const sync::Ack& ack) {
  if (ack.status == sync::AckStatus::accepted) return "ok";
  if (!ack.reason) return "rejected without a reason";
  switch (ack.reason->code) {
    case Errc::forbidden_role:
      return "role";
    case Errc::out_of_scope:
      return "scope";
    case Errc::host_only:
      return "host";
    case Errc::actor_mismatch:
      return "forged";
    default:
      return std::string(errc_name(ack.reason->code));
  }
}

/// One row of a matrix: a person of the demo county and the outcome of each op of the table.
struct Row {
  const char* person;
  std::vector<const char*> cells;
};

/// Checks that a table has one row per person of the demo county and one cell per op.
inline void expect_every_person(const std::vector<Row>& table, std::size_t ops, const std::string& name) {
  std::vector<std::string> people, rows;
  for (const auto& [id, user] : demo_directory().users()) people.push_back(id.str());
  for (const auto& r : table) {
    rows.push_back(r.person);
    EXPECT_EQ(r.cells.size(), ops) << name << ": row " << r.person;
  }
  std::sort(rows.begin(), rows.end());
  EXPECT_EQ(rows, people) << name << " must have one row per demo person";
}

/// The value of a setup step that must succeed (a default value, and a failed test, if not).
template <class T>
T must(Result<T> r) {
  EXPECT_TRUE(r) << r.error().detail;
  return r ? std::move(r).value() : T();
}

/// The demo data in shared/demo (points.json, disclosure.json...).
inline oplog::Json demo_json(const std::string& name) {
  std::ifstream in(std::string(CUNWU_SHARED_DIR) + "/demo/" + name);
  return oplog::Json::parse(in);
}

/// The folded state of `entity` on `r` as text, "" when there is none (no row, or the empty
/// state a refused first op leaves behind).
inline std::string state_text(Replica& r, const EntityId& entity) {
  auto s = r.log().state(entity);
  if (!s) return {};
  const auto j = (*s)->to_json();
  if (j.contains("exists") && j["exists"] == false) return {};
  return (*s)->to_text();
}

/// Pushes crafted ops to a host as device "device-x": fresh op ids, dated after everything the
/// host already holds (so each op is judged at the end of its entity's history).
class Pusher {
 public:
  explicit Pusher(TestHost& host) : host_(host) {}

  /// What the host did with one pushed op.
  struct Result {
    std::string cell;     ///< see cell_of
    bool stored = false;  ///< the host kept the op (with a verdict when it refused it)
    oplog::Op op;         ///< the op as pushed
  };

  /// Pushes `op` signed in as `session`; its id and hlc are set here, the rest is the caller's.
  Result push(const UserId& session, oplog::Op op) {
    sync::SyncRequest req;
    req.schema = 5;
    req.replica = ReplicaId("device-x");
    op.id = oplog::OpId{req.replica, ++counter_};
    host_.clock.advance(Duration{1'000});
    op.hlc = clock::Hlc{host_.clock.now().ms, 0};
    req.push.push_back(op);
    req.pull_limit = 0;
    Result out;
    out.op = op;
    auto resp = host_.host.sync(session, req, host_.clock.now());
    EXPECT_TRUE(resp) << resp.error().detail;
    if (!resp || resp->acks.size() != 1) return out;
    out.cell = cell_of(resp->acks[0]);
    auto found = host_.replica->log().ops().find(op.id);
    out.stored = found && *found;
    return out;
  }

 private:
  TestHost& host_;
  std::uint64_t counter_ = 0;
};

/// The cell of `person` in op column `k` of `table` ("no row" when the table lacks the person).
inline std::string expected_cell(const std::vector<Row>& table, const std::string& person, std::size_t k) {
  for (const auto& r : table) {
    if (r.person == person) return r.cells.at(k);
  }
  return "no row";
}

/// Pushes one cell's op twice: first signed in as someone else (refused as forged, not stored,
/// nothing changes), then as its actor; expects `expected` and checks what it did to the entity:
/// an accepted op changed it, a refused one did not, and a refused op was kept with a verdict
/// (so that its author sees why) unless only the host may author its type.
inline void expect_cell(TestHost& host, Pusher& pusher, const oplog::Op& op, const std::string& expected) {
  const std::string person = op.actor.str();
  const std::string before = state_text(*host.replica, op.entity);
  const auto forged = pusher.push(UserId(person == "li" ? "wang" : "li"), op);
  EXPECT_EQ(forged.cell, "forged");
  EXPECT_FALSE(forged.stored) << "a forged op is not stored";
  EXPECT_EQ(state_text(*host.replica, op.entity), before) << "a forged op changed the entity";
  const auto got = pusher.push(UserId(person), op);
  EXPECT_EQ(got.cell, expected);
  const std::string after = state_text(*host.replica, op.entity);
  if (got.cell == "ok") {
    EXPECT_NE(after, before) << "an accepted op changed nothing";
  } else {
    EXPECT_EQ(after, before) << "a refused op changed the entity";
  }
  EXPECT_EQ(got.stored, got.cell != "host");
}

/// An op of `type` on `entity` in `scope` by `actor`, with `payload` (id and hlc are the Pusher's).
inline oplog::Op crafted(const std::string& actor, const std::string& type, const EntityId& entity,
                         const RegionId& scope, oplog::Visibility visibility, oplog::Json payload) {
  oplog::Op op;
  op.actor = UserId(actor);
  op.type = type;
  op.entity = entity;
  op.scope = scope;
  op.visibility = visibility;
  op.payload = std::move(payload);
  return op;
}

}  // namespace cunwu::testing
