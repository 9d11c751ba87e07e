// What a reader's list of disclosures shows (with unread markers from their receipts), and
// publishing a new post in one step.
#include <algorithm>

#include "cunwu/disclosure/content.hpp"
#include "cunwu/disclosure/domain.hpp"
#include "cunwu/disclosure/service.hpp"
#include "cunwu/org/access.hpp"

namespace cunwu::disclosure {
namespace {

std::int64_t latest_at(const Post& p) { return p.versions.empty() ? 0 : p.versions.back().at.ms; }

}  // namespace

Result<EntityId> Service::publish_new(const UserId& actor, const RegionId& scope, std::string_view type,
                                      const Json& fields) {
  CUNWU_ASSIGN(const PostType t, parse_post_type(type));
  // The checks publish would make, first: a refused post must not leave a stray draft.
  CUNWU_ASSIGN(const Json checked, check_fields(t, fields));
  CUNWU_TRY(check_publishable(t, checked));
  CUNWU_ASSIGN(const EntityId id, draft(actor, scope, t, checked));
  CUNWU_TRY(publish(actor, id));
  return id;
}

Result<std::vector<Listing>> Service::listings(const UserId& reader, std::optional<PostType> type) {
  CUNWU_ASSIGN(const auto posts, list({}, type));
  std::vector<Listing> out;
  for (const auto& p : posts) {
    if (p.status == PostStatus::draft) {
      if (org::authorize(r_.directory(), reader, org::Action::publish_post, p.scope)) out.push_back({p, 0});
      continue;
    }
    CUNWU_ASSIGN(Post shown, published(p.id));
    int read = 0;
    if (auto receipt = r_.state_json(receipt_id(p.id, reader)); receipt) {
      CUNWU_ASSIGN(const Receipt r, receipt_from_json(*receipt));
      if (r.exists) read = r.version;
    }
    out.push_back({std::move(shown), read});
  }
  std::stable_sort(out.begin(), out.end(), [](const Listing& a, const Listing& b) {
    const bool da = a.post.status == PostStatus::draft, db = b.post.status == PostStatus::draft;
    if (da != db) return da;
    return latest_at(a.post) > latest_at(b.post);
  });
  return out;
}

}  // namespace cunwu::disclosure
