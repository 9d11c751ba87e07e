#pragma once
// The disclosure service: typed commands and queries over a Replica. Commands author ops (so they
// work offline and sync); a refused command returns the catalogued error and writes nothing.
#include <optional>
#include <string>
#include <vector>

#include "cunwu/disclosure/diff.hpp"
#include "cunwu/disclosure/search.hpp"
#include "cunwu/disclosure/types.hpp"
#include "cunwu/replica.hpp"

namespace cunwu::disclosure {

/// 知晓率 — how many of the people a post is for have read it.
/// Residents of the scope are the users whose home courtyard lies within the post's scope
/// (village, township or county); cadres without a home there are not counted. A resident
/// counts as a reader once they have a read receipt of any published version.
struct Awareness {
  int residents = 0;
  int readers = 0;   ///< residents with a receipt
  double rate = 0;   ///< readers / residents, 0 when there are no residents
};

/// A draft edit of `post` that lost a field to a concurrent edit (what its author is told).
struct SupersededNotice {
  EntityId post;
  std::string title;
  SupersededEdit edit;
};

/// A post as a reader's list shows it.
struct Listing {
  Post post;             ///< published posts as villagers see them (published()); drafts as folded
  int read_version = 0;  ///< the latest version the reader has a receipt for; 0 when never read
  /// Published, and its latest version is newer than what the reader read (未读).
  bool unread() const { return post.status == PostStatus::published && read_version < int(post.versions.size()); }
};

class Service {
 public:
  explicit Service(Replica& replica) : r_(replica) {}

  /// Drafts a post of `type` for `scope` (a village, township or county) with `fields` (see
  /// content.hpp); returns its id. Errors: unknown_post_type, unknown_region, forbidden_role,
  /// out_of_scope, and the field errors of check_field.
  Result<EntityId> draft(const UserId& actor, const RegionId& scope, PostType type, const Json& fields);
  /// Same, with the type given by name (as a client sends it). Error unknown_post_type.
  Result<EntityId> draft(const UserId& actor, const RegionId& scope, std::string_view type, const Json& fields);
  /// Edits draft fields (null unsets a field), naming the values this replica shows as the base.
  /// Errors: already_published, not_found, forbidden_role, out_of_scope, field errors.
  Status edit(const UserId& actor, const EntityId& id, const Json& fields);
  /// Publishes the draft as this replica shows it (its revision). Errors: already_published,
  /// draft_changed, unbalanced_finance, payment_schedule_mismatch, invalid_input, invalid_date...
  Status publish(const UserId& actor, const EntityId& id);
  /// Drafts and publishes a post in one go (a cadre writing a notice on the phone), after
  /// checking that the fields may be published, so that a refused post leaves no draft behind.
  /// Returns its id. Errors: those of draft and publish (unbalanced_finance, invalid_input...).
  Result<EntityId> publish_new(const UserId& actor, const RegionId& scope, std::string_view type, const Json& fields);
  /// Publishes a correction (更正): a new version with `fields` replaced, for `reason`. Personal
  /// data in assistance lists is masked before the op is written. Errors: not_published,
  /// text_empty (no reason), invalid_input (changes nothing), and publish's content errors.
  Status amend(const UserId& actor, const EntityId& id, const std::string& reason, const Json& fields);
  /// Asks a question about `version` (default: the latest this replica shows); returns its id.
  /// Errors: not_published, not_found (no such version), out_of_scope, text errors.
  Result<std::string> ask(const UserId& actor, const EntityId& id, const std::string& text,
                          std::optional<int> version = {});
  /// Answers a question officially. Errors: not_found (no such question), forbidden_role, out_of_scope.
  Status answer(const UserId& actor, const EntityId& id, const std::string& question, const std::string& text);
  /// Records that `actor` read the latest version (nothing is written if already recorded).
  /// Errors: not_published, out_of_scope.
  Status read(const UserId& actor, const EntityId& id);

  /// The post as folded (drafts included: for its cadres). Error not_found.
  Result<Post> get(const EntityId& id);
  /// The post as villagers see it: published versions (masked), questions and answers; no draft
  /// data. Errors: not_found, not_published.
  Result<Post> published(const EntityId& id);
  /// Posts within `scope` (all when empty), optionally of one type, ordered by id.
  Result<std::vector<Post>> list(const std::optional<RegionId>& scope = {}, std::optional<PostType> type = {});
  /// What `reader` lists: the published posts this replica holds, and the drafts of scopes
  /// where `reader` may publish, optionally of one type; drafts first, then by latest version,
  /// newest first. Error storage_error.
  Result<std::vector<Listing>> listings(const UserId& reader, std::optional<PostType> type = {});
  /// What changed from version `from` to version `to` (1-based). Errors: not_found, not_published.
  Result<std::vector<FieldChange>> diff(const EntityId& id, int from, int to);
  /// Draft edits by `user` that lost a field to someone else's concurrent edit, across all posts.
  Result<std::vector<SupersededNotice>> superseded_edits_of(const UserId& user);
  /// The post's awareness rate (see Awareness). Errors: not_found, not_published.
  Result<Awareness> awareness(const EntityId& id);
  /// Searches published posts (see search.hpp).
  Result<std::vector<SearchHit>> search(const SearchQuery& q);

 private:
  Status act(const UserId& actor, const EntityId& id, const char* type, Json payload, oplog::Visibility vis);

  Replica& r_;
};

/// Seeds demo content (shared/demo/disclosure.json) as ops: for each of `demo["posts"]`, its
/// author drafts it, then publishes it unless "publish" is false, then applies "amendments"
/// [{by, reason, fields}], "questions" [{asker, text, answer: {by, text}}] and "readers" [user].
/// Returns the post ids in order. Errors: those of the commands, invalid_json (shape).
Result<std::vector<EntityId>> seed_demo(Service& svc, const Json& demo);

}  // namespace cunwu::disclosure
