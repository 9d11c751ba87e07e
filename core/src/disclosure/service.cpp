#include "cunwu/disclosure/service.hpp"

#include <algorithm>

#include "cunwu/disclosure/domain.hpp"
#include "cunwu/disclosure/mask.hpp"
#include "cunwu/store/disclosure_store.hpp"

namespace cunwu::disclosure {

Status Service::act(const UserId& actor, const EntityId& id, const char* type, Json payload, oplog::Visibility vis) {
  auto op = r_.submit(OpDraft{actor, type, id, {}, vis, std::move(payload)});
  return op ? ok_status() : Status(op.error());
}

Result<EntityId> Service::draft(const UserId& actor, const RegionId& scope, PostType type, const Json& fields) {
  // Drafts are for the cadres who write them; the published versions are public.
  CUNWU_ASSIGN(const auto op, r_.submit(OpDraft{actor, "post.draft", {}, scope, oplog::Visibility::participants,
                                                Json{{"type", name(type)}, {"fields", fields}}}));
  return op.entity;
}

Result<EntityId> Service::draft(const UserId& actor, const RegionId& scope, std::string_view type, const Json& fields) {
  CUNWU_ASSIGN(const PostType t, parse_post_type(type));
  return draft(actor, scope, t, fields);
}

Status Service::edit(const UserId& actor, const EntityId& id, const Json& fields) {
  CUNWU_ASSIGN(const Post p, get(id));
  Json base = Json::object();
  if (fields.is_object()) {
    for (const auto& [field, value] : fields.items()) {
      if (const auto it = p.stamps.find(field); it != p.stamps.end()) base[field] = it->second.op;
    }
  }
  return act(actor, id, "post.edit", Json{{"fields", fields}, {"base", base}}, oplog::Visibility::participants);
}

Status Service::publish(const UserId& actor, const EntityId& id) {
  CUNWU_ASSIGN(const Post p, get(id));
  // The op carries the masked content: villagers' devices never receive the draft ops.
  return act(actor, id, "post.publish",
             Json{{"revision", p.revision}, {"type", name(p.type)}, {"content", mask_content(p.type, p.draft)}},
             oplog::Visibility::public_in_scope);
}

Status Service::amend(const UserId& actor, const EntityId& id, const std::string& reason, const Json& fields) {
  CUNWU_ASSIGN(const Post p, get(id));
  // Masked before it is written: the raw list stays in the cadres' draft ops only.
  return act(actor, id, "post.amend", Json{{"reason", reason}, {"fields", mask_content(p.type, fields)}},
             oplog::Visibility::public_in_scope);
}

Result<std::string> Service::ask(const UserId& actor, const EntityId& id, const std::string& text, std::optional<int> version) {
  CUNWU_ASSIGN(const Post p, get(id));
  if (p.status != PostStatus::published) return make_error(Errc::not_published, id.str());
  const int v = version.value_or(int(p.versions.size()));
  CUNWU_ASSIGN(const auto op, r_.submit(OpDraft{actor, "post.ask", id, {}, oplog::Visibility::public_in_scope,
                                                Json{{"version", v}, {"text", text}}}));
  return oplog::to_string(op.id);
}

Status Service::answer(const UserId& actor, const EntityId& id, const std::string& question, const std::string& text) {
  return act(actor, id, "post.answer", Json{{"question", question}, {"text", text}}, oplog::Visibility::public_in_scope);
}

Status Service::read(const UserId& actor, const EntityId& id) {
  CUNWU_ASSIGN(const Post p, get(id));
  if (p.status != PostStatus::published) return make_error(Errc::not_published, id.str());
  const int latest = int(p.versions.size());
  const EntityId rid = receipt_id(id, actor);
  if (auto current = r_.state_json(rid); current) {
    CUNWU_ASSIGN(const Receipt r, receipt_from_json(*current));
    if (r.exists && r.version >= latest) return ok_status();  // already recorded: no op
  }
  CUNWU_ASSIGN(const auto op, r_.submit(OpDraft{actor, "receipt.read", rid, p.scope, oplog::Visibility::participants,
                                                Json{{"post", id.str()}, {"version", latest}}}));
  (void)op;
  return ok_status();
}

Result<Post> Service::get(const EntityId& id) {
  if (!id.str().starts_with(std::string(kPostKind) + "/")) return make_error(Errc::not_found, id.str());
  CUNWU_ASSIGN(const auto j, r_.state_json(id));
  CUNWU_ASSIGN(auto p, post_from_json(j));
  if (!p.exists) return make_error(Errc::not_found, id.str());
  return p;
}

Result<Post> Service::published(const EntityId& id) {
  CUNWU_ASSIGN(Post p, get(id));
  if (p.status != PostStatus::published) return make_error(Errc::not_published, id.str());
  p.draft = Json::object();
  p.stamps.clear();
  p.superseded.clear();
  for (auto& v : p.versions) v.content = mask_content(p.type, v.content);
  return p;
}

Result<std::vector<Post>> Service::list(const std::optional<RegionId>& scope, std::optional<PostType> type) {
  CUNWU_ASSIGN(const auto rows, r_.log().ops().entities(kPostKind, scope));
  std::vector<Post> out;
  for (const auto& row : rows) {
    CUNWU_ASSIGN(auto p, post_from_json(Json::parse(row.state, nullptr, false)));
    if (p.exists && (!type || p.type == *type)) out.push_back(std::move(p));
  }
  return out;
}

Result<std::vector<FieldChange>> Service::diff(const EntityId& id, int from, int to) {
  CUNWU_ASSIGN(const Post p, published(id));
  const int n = int(p.versions.size());
  if (from < 1 || to < 1 || from > n || to > n) {
    return make_error(Errc::not_found, "versions " + std::to_string(from) + ".." + std::to_string(to) + " of " + std::to_string(n));
  }
  return diff_content(p.versions[std::size_t(from - 1)].content, p.versions[std::size_t(to - 1)].content);
}

Result<std::vector<SupersededNotice>> Service::superseded_edits_of(const UserId& user) {
  CUNWU_ASSIGN(const auto posts, list());
  std::vector<SupersededNotice> out;
  for (const auto& p : posts) {
    for (const auto& s : p.superseded) {
      if (s.actor == user) out.push_back({p.id, p.title(), s});
    }
  }
  return out;
}

Result<Awareness> Service::awareness(const EntityId& id) {
  CUNWU_ASSIGN(const Post p, published(id));
  CUNWU_ASSIGN(const auto who, store::readers(r_.db(), id));
  Awareness a;
  for (const auto& [uid, user] : r_.directory().users()) {
    if (!user.home || !org::Directory::contains(p.scope, *user.home)) continue;
    ++a.residents;
    if (std::binary_search(who.begin(), who.end(), uid)) ++a.readers;
  }
  a.rate = a.residents > 0 ? double(a.readers) / double(a.residents) : 0.0;
  return a;
}

Result<std::vector<SearchHit>> Service::search(const SearchQuery& q) { return disclosure::search(r_.db(), q); }

}  // namespace cunwu::disclosure
