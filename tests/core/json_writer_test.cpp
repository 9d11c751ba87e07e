// JsonWriter must write exactly what nlohmann::json::dump() writes, since the fold stores its
// output and replicas compare it; the appeals state's direct writer is checked against to_json.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "cunwu/appeals/types.hpp"
#include "cunwu/base/json_writer.hpp"

namespace cunwu {
namespace {

using Json = nlohmann::json;

TEST(JsonWriter, EscapesLikeNlohmann) {
  std::string all_controls;
  for (int c = 1; c < 0x20; ++c) all_controls += char(c);
  const std::vector<std::string> texts{"",          "玉米被风吹倒了",       "quote \" and \\ backslash",
                                       all_controls, "tab\there\nnewline", "emoji 🌽 and 村务",
                                       "/slash/ stays", std::string("nul\0inside", 10)};
  for (const auto& t : texts) {
    JsonWriter w;
    w.value(t);
    EXPECT_EQ(w.take(), Json(t).dump()) << t;
  }
}

TEST(JsonWriter, NestsObjectsArraysAndScalars) {
  JsonWriter w;
  w.begin_object();
  w.key("a").begin_array().value(1).value(-2).value(std::int64_t(9007199254740993)).end_array();
  w.key("b").begin_object().key("x").null().key("y").value(true).end_object();
  w.key("c").begin_array().end_array();
  w.key("d").begin_object().end_object();
  w.key("e").value(false);
  w.end_object();
  const Json expected = {{"a", {1, -2, std::int64_t(9007199254740993)}},
                         {"b", {{"x", nullptr}, {"y", true}}},
                         {"c", Json::array()},
                         {"d", Json::object()},
                         {"e", false}};
  EXPECT_EQ(w.take(), expected.dump());
}

TEST(JsonWriter, AppealTextEqualsItsJsonDump) {
  appeals::Appeal a;
  EXPECT_EQ(appeals::to_text(a), appeals::to_json(a).dump());  // empty state, every optional unset
  a.id = EntityId("appeal/phone-wang.1");
  a.exists = true;
  a.scope = RegionId("qs/dq/hs/y1");
  a.filer = UserId("wang");
  a.filed_by = UserId("cadre-hs");
  a.category = appeals::Category::dispute;
  a.urgency = appeals::Urgency::red;
  a.text = "邻居的\"鸡\"吃了我家的菜\n\t怎么办\\";
  a.attachments = {{"photo", std::string(64, 'a')}, {"voice", std::string(64, 'b')}};
  a.provisional_number = "临-phone-wang-1";
  a.official_number = "20260713001";
  a.status = appeals::AppealStatus::resolved;
  a.level = 3;
  a.filed_at = TimeMs{1};
  a.registered_at = TimeMs{2};
  a.level_since = TimeMs{3};
  a.responded_at = TimeMs{4};
  a.first_response_at = TimeMs{5};
  a.resolved_at = TimeMs{6};
  a.resolver = UserId("staff-dq");
  a.assignee = UserId("grid-hs1");
  a.department = "水务站";
  a.rating = appeals::Rating::dissatisfied;
  a.dissatisfied_count = 2;
  a.escalations = 1;
  a.merged_into = EntityId("appeal/x.2");
  a.supervised = true;
  a.timeline = {{"filed", TimeMs{1}, UserId("wang"), 1, ""}, {"replied", TimeMs{9}, UserId("head-hs1"), 1, "马上\u0001来"}};
  EXPECT_EQ(appeals::to_text(a), appeals::to_json(a).dump());
}

}  // namespace
}  // namespace cunwu
