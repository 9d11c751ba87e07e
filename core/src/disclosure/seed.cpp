// Demo content as ops, as the people of the demo county would have authored it.
#include "cunwu/disclosure/service.hpp"

namespace cunwu::disclosure {
namespace {

std::string str(const Json& j, const char* key) {
  const auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

Status follow_up(Service& svc, const EntityId& id, const Json& post) {
  for (const auto& a : post.value("amendments", Json::array())) {
    CUNWU_TRY(svc.amend(UserId(str(a, "by")), id, str(a, "reason"), a.value("fields", Json::object())));
  }
  for (const auto& q : post.value("questions", Json::array())) {
    CUNWU_ASSIGN(const auto qid, svc.ask(UserId(str(q, "asker")), id, str(q, "text")));
    if (q.contains("answer")) CUNWU_TRY(svc.answer(UserId(str(q["answer"], "by")), id, qid, str(q["answer"], "text")));
  }
  for (const auto& reader : post.value("readers", Json::array())) {
    if (reader.is_string()) CUNWU_TRY(svc.read(UserId(reader.get<std::string>()), id));
  }
  return ok_status();
}

}  // namespace

Result<std::vector<EntityId>> seed_demo(Service& svc, const Json& demo) {
  if (!demo.is_object() || !demo.contains("posts") || !demo["posts"].is_array()) {
    return make_error(Errc::invalid_json, "demo disclosure: posts missing");
  }
  std::vector<EntityId> ids;
  for (const auto& post : demo["posts"]) {
    if (!post.is_object()) return make_error(Errc::invalid_json, "demo disclosure: a post is not an object");
    const UserId author(str(post, "author"));
    CUNWU_ASSIGN(const EntityId id, svc.draft(author, RegionId(str(post, "scope")), std::string_view(str(post, "type")),
                                              post.value("fields", Json::object())));
    if (post.value("publish", true)) {
      CUNWU_TRY(svc.publish(author, id));
      CUNWU_TRY(follow_up(svc, id, post));
    }
    ids.push_back(id);
  }
  return ids;
}

}  // namespace cunwu::disclosure
