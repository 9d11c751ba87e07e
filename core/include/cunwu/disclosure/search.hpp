#pragma once
// 检索 — full-text search of published posts (policies above all), in Chinese, from one
// character up. The index is a projection of post states (Domain::project), so every replica
// that holds the same ops finds the same posts in the same order.
//
// Queries: split at white space (ASCII and U+3000) into terms that must all match, each as a
// contiguous string. If every term has 3 or more characters the trigram index answers; if any is
// shorter, the unigram index (one token per CJK character) answers with phrase matches.
// An empty or blank query returns no hits (not an error: a search box starts empty). FTS syntax
// (quotes, *, NEAR, AND, OR, NOT, parentheses, column:) is matched literally.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cunwu/disclosure/types.hpp"
#include "cunwu/store/disclosure_store.hpp"

namespace cunwu::disclosure {

/// The longest query accepted, in characters.
inline constexpr std::size_t kMaxQueryChars = 100;
/// At most this many terms are used.
inline constexpr std::size_t kMaxQueryTerms = 8;

/// A search. Results are ranked with a match in the title weighing 10 times one in the text
/// (bm25 for 3+ character terms, match counts for shorter ones: see store::search_posts).
struct SearchQuery {
  std::string text;
  std::optional<PostType> type;          ///< only this type, e.g. policies
  std::string category;                  ///< only this policy category ("education")
  std::optional<RegionId> visible_at;    ///< only posts of this region or a region containing it
  int limit = 20;                        ///< 1..100
};

/// One hit: the title and a snippet with the matches marked 【like this】.
struct SearchHit {
  EntityId post;
  PostType type = PostType::policy;
  std::string title;
  std::string snippet;
  double rank = 0;  ///< lower is better
};

/// Checks and splits a query. Errors: invalid_utf8, query_too_long (over kMaxQueryChars).
/// A blank query gives no terms.
Result<std::vector<std::string>> query_terms(std::string_view text);

/// Searches the published posts indexed in `db`. Errors: invalid_utf8, query_too_long,
/// invalid_input (limit out of 1..100), storage_error.
Result<std::vector<SearchHit>> search(store::Db& db, const SearchQuery& q);

/// The text a post is found by: its body and the type's descriptive fields (a finance record's
/// period and line categories, a contract's party and object, a policy's issuer and category...).
/// Personal entries of assistance lists are not indexed.
std::string searchable_text(PostType t, const Json& content);

/// The index row of a post: its latest published version, or nullopt for a draft.
std::optional<store::PostIndexRow> index_row(const Post& p);

}  // namespace cunwu::disclosure
