#pragma once
// SQL of the disclosure domain: the search index of published posts (two FTS5 indexes over one
// table, kept in step by triggers) and read receipts.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cunwu/base/ids.hpp"
#include "cunwu/store/db.hpp"

namespace cunwu::store {

/// The indexed form of one published post (its latest version, as villagers see it).
struct PostIndexRow {
  EntityId post;
  RegionId scope;
  std::string type;       ///< post type name ("policy")
  std::string category;   ///< policy category, "" for other types
  std::string title;
  std::string body;       ///< every searchable text of the post, joined
  int version = 1;
  std::int64_t published_at = 0;
};

/// Replaces the index rows of `post` with `row` (nullopt: removes them). Error storage_error.
Status replace_post_index(Db& db, const EntityId& post, const std::optional<PostIndexRow>& row);

/// What to search for. Terms are non-empty, valid UTF-8 and hold no white space; all must match.
struct PostSearch {
  std::vector<std::string> terms;
  std::string type;       ///< only this post type ("" for all)
  std::string category;   ///< only this policy category ("" for all)
  std::string visible_at; ///< only posts whose scope is this region or contains it ("" for all)
  int limit = 20;
  std::string open_mark = "【", close_mark = "】";
};

/// One search hit.
struct PostSearchRow {
  EntityId post;
  std::string type;
  std::string title;      ///< the title with matches between the marks
  std::string snippet;    ///< a passage of the body around the matches, marked the same way
  double rank = 0;        ///< lower is better (see search_posts)
};

/// Searches published posts, best first (ties by post id, so every replica orders alike). Terms
/// shorter than 3 characters are looked up in the unigram index (as phrases of characters), the
/// others in the trigram index; FTS syntax in terms is quoted, never interpreted. A term
/// without any letter, digit or CJK character matches nothing. Ranking: in the trigram index
/// bm25 with the title weighing 10× the body; in the unigram index, whose short queries match
/// thousands of rows, the cheaper cunwu_hits() = −(10 × title matches + min(body matches, 5)),
/// which needs no per-row document length. Error storage_error.
Result<std::vector<PostSearchRow>> search_posts(Db& db, const PostSearch& q);

/// Every indexed post with the version indexed, ordered by post id (for consistency checks).
Result<std::vector<std::pair<EntityId, int>>> indexed_posts(Db& db);

/// Records that `user` read `post` (first at `at`, latest version `version`); replaces the row.
/// Error storage_error.
Status replace_read(Db& db, const EntityId& post, const UserId& user, int version, std::int64_t at);

/// The users with a read receipt for `post`, ordered by id. Error storage_error.
Result<std::vector<UserId>> readers(Db& db, const EntityId& post);

}  // namespace cunwu::store
