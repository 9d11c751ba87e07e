// The op's wire and storage JSON: round trips, and every malformed field refused with the
// right code (ops come from the network, so the parser must not trust anything).
#include "cunwu/oplog/op.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "support/printers.hpp"

namespace cunwu::oplog {
namespace {

Op sample() {
  Op op;
  op.id = OpId{ReplicaId("phone-7"), 3};
  op.hlc = clock::Hlc{1'783'904'400'000, 2};
  op.actor = UserId("wang");
  op.type = "appeal.file";
  op.entity = EntityId("appeal/phone-7.3");
  op.scope = RegionId("qs/dq/hs/y1");
  op.visibility = Visibility::participants;
  op.payload = Json{{"category", "environment"},
                    {"urgency", "red"},
                    {"text", "村口的路灯坏了三天了👍"},
                    {"attachments", Json::array()},
                    {"nested", Json{{"n", 1}}}};
  return op;
}

void expect_same(const Op& a, const Op& b) {
  EXPECT_EQ(a.id, b.id);
  EXPECT_EQ(a.hlc, b.hlc);
  EXPECT_EQ(a.actor, b.actor);
  EXPECT_EQ(a.type, b.type);
  EXPECT_EQ(a.entity, b.entity);
  EXPECT_EQ(a.scope, b.scope);
  EXPECT_EQ(a.visibility, b.visibility);
  EXPECT_EQ(a.payload, b.payload);
}

// The code op_from_json gives for sample()'s JSON with `key` set to `value`.
std::optional<Errc> with(const char* key, const Json& value) {
  Json j = to_json(sample());
  j[key] = value;
  return op_from_json(j).code();
}

std::optional<Errc> without(const char* key) {
  Json j = to_json(sample());
  j.erase(key);
  return op_from_json(j).code();
}

const std::vector<const char*> kFields = {"origin", "counter", "wall",  "logical",    "actor",
                                          "type",   "entity",  "scope", "visibility", "payload"};

TEST(OpJson, RoundTrips) {
  const Op op = sample();
  auto back = op_from_json(to_json(op));
  ASSERT_TRUE(back.ok()) << back.error().detail;
  expect_same(*back, op);
}

TEST(OpJson, RoundTripsThroughText) {
  const Op op = sample();
  const std::string wire = to_json(op).dump();
  auto back = op_from_json(Json::parse(wire));
  ASSERT_TRUE(back.ok()) << back.error().detail;
  expect_same(*back, op);
  EXPECT_EQ(to_json(*back).dump(), wire) << "serialization is stable";
}

TEST(OpJson, RoundTripsExtremeValidValues) {
  Op op = sample();
  op.id.counter = std::uint64_t(std::numeric_limits<std::int64_t>::max());
  op.hlc = clock::Hlc{std::numeric_limits<std::int64_t>::max() / 2, std::numeric_limits<std::uint32_t>::max()};
  op.visibility = Visibility::public_in_scope;
  op.payload = Json::object();
  auto back = op_from_json(Json::parse(to_json(op).dump()));
  ASSERT_TRUE(back.ok()) << back.error().detail;
  expect_same(*back, op);
  op.hlc = clock::Hlc{0, 0};
  auto zero = op_from_json(to_json(op));
  ASSERT_TRUE(zero.ok()) << zero.error().detail;
  expect_same(*zero, op);
}

TEST(OpJson, WritesTheDocumentedFieldNames) {
  const Json j = to_json(sample());
  for (const char* key : kFields) EXPECT_TRUE(j.contains(key)) << key;
  EXPECT_EQ(j.size(), kFields.size());
  EXPECT_EQ(j["origin"], "phone-7");
  EXPECT_EQ(j["counter"], 3);
  EXPECT_EQ(j["visibility"], 1);
}

TEST(OpJson, NotAnObject) {
  EXPECT_EQ(op_from_json(Json::array()).code(), Errc::invalid_json);
  EXPECT_EQ(op_from_json(Json("op")).code(), Errc::invalid_json);
  EXPECT_EQ(op_from_json(Json()).code(), Errc::invalid_json);
  EXPECT_EQ(op_from_json(Json(7)).code(), Errc::invalid_json);
}

TEST(OpJson, EveryMissingFieldIsInvalidJson) {
  for (const char* key : kFields) EXPECT_EQ(without(key), Errc::invalid_json) << key;
}

TEST(OpJson, EveryNullFieldIsInvalidJson) {
  for (const char* key : kFields) EXPECT_EQ(with(key, Json()), Errc::invalid_json) << key;
}

TEST(OpJson, WrongTypedTextFieldsAreInvalidJson) {
  for (const char* key : {"origin", "actor", "type", "entity", "scope"}) {
    EXPECT_EQ(with(key, 7), Errc::invalid_json) << key;
    EXPECT_EQ(with(key, true), Errc::invalid_json) << key;
    EXPECT_EQ(with(key, Json::array({"x"})), Errc::invalid_json) << key;
    EXPECT_EQ(with(key, Json{{"x", "y"}}), Errc::invalid_json) << key;
  }
}

TEST(OpJson, WrongTypedNumberFieldsAreInvalidJson) {
  for (const char* key : {"counter", "wall", "logical", "visibility"}) {
    EXPECT_EQ(with(key, "1"), Errc::invalid_json) << key;
    EXPECT_EQ(with(key, 1.5), Errc::invalid_json) << key;
    EXPECT_EQ(with(key, 1.0), Errc::invalid_json) << key << ": a float is not an integer";
    EXPECT_EQ(with(key, true), Errc::invalid_json) << key;
    EXPECT_EQ(with(key, Json::array({1})), Errc::invalid_json) << key;
  }
}

TEST(OpJson, PayloadMustBeAnObject) {
  EXPECT_EQ(with("payload", Json::array()), Errc::invalid_json);
  EXPECT_EQ(with("payload", "text"), Errc::invalid_json);
  EXPECT_EQ(with("payload", 1), Errc::invalid_json);
  EXPECT_EQ(with("payload", Json::object()), std::nullopt);
}

TEST(OpJson, CounterMustBePositive) {
  EXPECT_EQ(with("counter", 0), Errc::invalid_json) << "counters start at 1";
  EXPECT_EQ(with("counter", -1), Errc::invalid_json);
  EXPECT_EQ(with("counter", std::numeric_limits<std::int64_t>::min()), Errc::invalid_json);
  EXPECT_EQ(with("counter", 1), std::nullopt);
}

// Regression: a counter above INT64_MAX computed INT64_MAX + 1 (signed overflow, undefined
// behaviour; caught by UBSan) on the way to refusing it.
TEST(OpJson, HugeValuesAreRefused) {
  const std::uint64_t u64_max = std::numeric_limits<std::uint64_t>::max();
  const std::uint64_t past_i64 = std::uint64_t(std::numeric_limits<std::int64_t>::max()) + 1;
  EXPECT_EQ(with("counter", u64_max), Errc::invalid_json);
  EXPECT_EQ(with("counter", past_i64), Errc::invalid_json);
  EXPECT_EQ(with("counter", std::numeric_limits<std::int64_t>::max()), std::nullopt);
  EXPECT_EQ(with("wall", u64_max), Errc::invalid_json);
  EXPECT_EQ(with("wall", std::numeric_limits<std::int64_t>::max() / 2 + 1), Errc::invalid_json);
  EXPECT_EQ(with("wall", -1), Errc::invalid_json);
  EXPECT_EQ(with("logical", std::uint64_t(std::numeric_limits<std::uint32_t>::max()) + 1), Errc::invalid_json);
  EXPECT_EQ(with("logical", u64_max), Errc::invalid_json);
  EXPECT_EQ(with("logical", -1), Errc::invalid_json);
  EXPECT_EQ(with("visibility", 2), Errc::invalid_json);
  EXPECT_EQ(with("visibility", -1), Errc::invalid_json);
  EXPECT_EQ(with("visibility", u64_max), Errc::invalid_json);
  // Numbers too big for 64 bits parse as floats: refused as well.
  EXPECT_EQ(op_from_json(Json::parse(R"({"origin":"p","counter":18446744073709551616,"wall":0,"logical":0,)"
                                     R"("actor":"a","type":"appeal.file","entity":"appeal/x","scope":"qs",)"
                                     R"("visibility":0,"payload":{}})"))
                .code(),
            Errc::invalid_json);
}

TEST(OpJson, InvalidUtf8InIdsIsRefused) {
  for (const char* key : {"origin", "actor", "type", "entity", "scope"}) {
    EXPECT_EQ(with(key, std::string("wang\xFF")), Errc::invalid_utf8) << key;
    EXPECT_EQ(with(key, std::string("\xC0\xAF")), Errc::invalid_utf8) << key << ": overlong";
    EXPECT_EQ(with(key, std::string("\xED\xA0\x80")), Errc::invalid_utf8) << key << ": surrogate";
  }
}

TEST(OpJson, EmptyIdsAreRefused) {
  for (const char* key : {"origin", "actor", "type", "entity"}) {
    EXPECT_EQ(with(key, ""), Errc::invalid_id) << key;
  }
}

TEST(OpJson, OverlongIdsAreRefused) {
  for (const char* key : {"origin", "actor", "type", "entity", "scope"}) {
    EXPECT_EQ(with(key, std::string(201, 'a')), Errc::invalid_id) << key;
  }
  EXPECT_EQ(with("entity", "appeal/" + std::string(193, 'a')), std::nullopt) << "200 characters are fine";
}

TEST(OpJson, IgnoresUnknownFields) {
  Json j = to_json(sample());
  j["future_field"] = "added by a newer client";
  auto op = op_from_json(j);
  ASSERT_TRUE(op.ok()) << op.error().detail;
  expect_same(*op, sample());
}

TEST(OpId, PrintsAsOriginDotCounter) {
  EXPECT_EQ(to_string(OpId{ReplicaId("phone-7"), 12}), "phone-7.12");
  EXPECT_EQ(to_string(OpId{ReplicaId("host"), 1}), "host.1");
}

TEST(OpId, OrdersByOriginThenCounter) {
  EXPECT_LT((OpId{ReplicaId("a"), 9}), (OpId{ReplicaId("b"), 1}));
  EXPECT_LT((OpId{ReplicaId("a"), 9}), (OpId{ReplicaId("a"), 10})) << "counters compare as numbers";
  EXPECT_EQ((OpId{ReplicaId("a"), 9}), (OpId{ReplicaId("a"), 9}));
  EXPECT_NE((OpId{ReplicaId("a"), 9}), (OpId{ReplicaId("a"), 8}));
}

TEST(OrderKey, HlcComesFirst) {
  const OrderKey early{{100, 5}, "zzz", 99};
  const OrderKey late{{101, 0}, "aaa", 1};
  EXPECT_LT(early, late);
  EXPECT_LT((OrderKey{{100, 1}, "zzz", 9}), (OrderKey{{100, 2}, "aaa", 1})) << "then the logical counter";
}

TEST(OrderKey, OriginBreaksHlcTies) {
  EXPECT_LT((OrderKey{{100, 1}, "host", 50}), (OrderKey{{100, 1}, "phone-7", 1}));
  EXPECT_LT((OrderKey{{100, 1}, "phone", 9}), (OrderKey{{100, 1}, "phone-7", 1})) << "a prefix sorts first";
}

TEST(OrderKey, CounterBreaksRemainingTies) {
  EXPECT_LT((OrderKey{{100, 1}, "phone-7", 9}), (OrderKey{{100, 1}, "phone-7", 10}));
  EXPECT_EQ((OrderKey{{100, 1}, "phone-7", 9}), (OrderKey{{100, 1}, "phone-7", 9}));
  EXPECT_FALSE((OrderKey{{100, 1}, "phone-7", 9}) < (OrderKey{{100, 1}, "phone-7", 9}));
}

TEST(OrderKey, OfAnOpUsesItsHlcAndId) {
  const Op op = sample();
  const OrderKey key = op.order_key();
  EXPECT_EQ(key.hlc, op.hlc);
  EXPECT_EQ(key.origin, "phone-7");
  EXPECT_EQ(key.counter, 3u);
}

}  // namespace
}  // namespace cunwu::oplog

namespace cunwu {
namespace {

// Regression: op ids print as "origin.counter"; an origin holding the separator could not be
// read back unambiguously, and an op without a scope could not be replicated.
TEST(OpJsonIds, OriginWithSeparatorAndEmptyScopeAreRefused) {
  oplog::Op op;
  op.id = oplog::OpId{ReplicaId("phone.1"), 1};
  op.hlc = clock::Hlc{1000, 0};
  op.actor = UserId("wang");
  op.type = "appeal.accept";
  op.entity = EntityId("appeal/x.1");
  op.scope = RegionId("qs/dq/hs/y1");
  EXPECT_EQ(oplog::op_from_json(oplog::to_json(op)).code(), Errc::invalid_id);
  op.id.origin = ReplicaId("phone-1");
  EXPECT_TRUE(oplog::op_from_json(oplog::to_json(op)));
  op.scope = RegionId("");
  EXPECT_EQ(oplog::op_from_json(oplog::to_json(op)).code(), Errc::invalid_id);
}

}  // namespace
}  // namespace cunwu
