#include "cunwu/store/disclosure_store.hpp"

#include "cunwu/base/text.hpp"
#include "store/fts_tokenizer.hpp"

namespace cunwu::store {
namespace {

// A term as an FTS5 string: inside double quotes nothing is syntax (AND, NEAR, *, parentheses,
// column filters); a quote is escaped by doubling it. The table's tokenizer splits the string
// into a phrase: trigrams, or single characters.
std::string quoted(const std::string& term) {
  std::string out = "\"";
  for (char c : term) {
    out += c;
    if (c == '"') out += '"';
  }
  return out + "\"";
}

const char* index_for(const PostSearch& q) {
  for (const auto& t : q.terms) {
    if (utf8_length(t) < 3) return "disclosure_fts1";
  }
  return "disclosure_fts3";
}

// Best rows first, without snippets: computing a snippet for every match would cost more than
// ranking them.
Result<std::vector<std::pair<std::int64_t, PostSearchRow>>> ranked(Db& db, const std::string& table,
                                                                  const std::string& match, const PostSearch& q) {
  CUNWU_ASSIGN(auto* st, db.prepare("SELECT f.rowid, p.post, p.type, f.rank FROM " + table +
                                    " f JOIN disclosure_posts p ON p.id = f.rowid WHERE " + table +
                                    " MATCH ?1 AND (?2 = '' OR p.type = ?2) AND (?3 = '' OR p.category = ?3)"
                                    " AND (?4 = '' OR ?4 = p.scope OR substr(?4, 1, length(p.scope) + 1) = p.scope || '/')"
                                    " ORDER BY f.rank, p.post LIMIT ?5"));
  st->bind(1, match).bind(2, q.type).bind(3, q.category).bind(4, q.visible_at).bind(5, std::int64_t(q.limit));
  std::vector<std::pair<std::int64_t, PostSearchRow>> out;
  for (;;) {
    CUNWU_ASSIGN(const bool row, st->step());
    if (!row) return out;
    PostSearchRow r{EntityId(st->text(1)), st->text(2), {}, {}, 0};
    r.rank = st->real(3);
    out.emplace_back(st->int64(0), std::move(r));
  }
}

Status add_snippet(Db& db, const std::string& table, const std::string& match, const PostSearch& q,
                   std::int64_t rowid, PostSearchRow& row) {
  CUNWU_ASSIGN(auto* st, db.prepare("SELECT highlight(" + table + ", 0, ?2, ?3), snippet(" + table +
                                    ", 1, ?2, ?3, '…', 24) FROM " + table + " WHERE " + table +
                                    " MATCH ?1 AND rowid = ?4"));
  const ResetOnReturn reset{st};
  st->bind(1, match).bind(2, q.open_mark).bind(3, q.close_mark).bind(4, rowid);
  CUNWU_ASSIGN(const bool found, st->step());
  if (found) {
    row.title = st->text(0);
    row.snippet = st->text(1);
  }
  return ok_status();
}

}  // namespace

Status replace_post_index(Db& db, const EntityId& post, const std::optional<PostIndexRow>& row) {
  // The delete trigger removes the old text from both FTS indexes, the insert trigger adds the new.
  CUNWU_ASSIGN(auto* del, db.prepare("DELETE FROM disclosure_posts WHERE post = ?"));
  del->bind(1, post.str());
  CUNWU_TRY(del->run());
  if (!row) return ok_status();
  CUNWU_ASSIGN(auto* ins, db.prepare("INSERT INTO disclosure_posts(post, scope, type, category, title, body, version, "
                                     "published_at) VALUES(?,?,?,?,?,?,?,?)"));
  ins->bind(1, post.str()).bind(2, row->scope.str()).bind(3, row->type).bind(4, row->category).bind(5, row->title)
      .bind(6, row->body).bind(7, std::int64_t(row->version)).bind(8, row->published_at);
  return ins->run();
}

Result<std::vector<PostSearchRow>> search_posts(Db& db, const PostSearch& q) {
  std::string match;
  for (const auto& t : q.terms) {
    if (!has_unigram_tokens(t)) return std::vector<PostSearchRow>{};  // nothing a post could contain
    match += (match.empty() ? "" : " ") + quoted(t);
  }
  if (match.empty() || q.limit <= 0) return std::vector<PostSearchRow>{};
  const std::string table = index_for(q);
  CUNWU_ASSIGN(auto rows, ranked(db, table, match, q));
  std::vector<PostSearchRow> out;
  out.reserve(rows.size());
  for (auto& [rowid, row] : rows) {
    CUNWU_TRY(add_snippet(db, table, match, q, rowid, row));
    out.push_back(std::move(row));
  }
  return out;
}

Result<std::vector<std::pair<EntityId, int>>> indexed_posts(Db& db) {
  CUNWU_ASSIGN(auto* st, db.prepare("SELECT post, version FROM disclosure_posts ORDER BY post"));
  std::vector<std::pair<EntityId, int>> out;
  for (;;) {
    CUNWU_ASSIGN(const bool row, st->step());
    if (!row) return out;
    out.emplace_back(EntityId(st->text(0)), int(st->int64(1)));
  }
}

Status replace_read(Db& db, const EntityId& post, const UserId& user, int version, std::int64_t at) {
  CUNWU_ASSIGN(auto* st, db.prepare("INSERT OR REPLACE INTO disclosure_reads(post, user_id, version, at) VALUES(?,?,?,?)"));
  st->bind(1, post.str()).bind(2, user.str()).bind(3, std::int64_t(version)).bind(4, at);
  return st->run();
}

Result<std::vector<UserId>> readers(Db& db, const EntityId& post) {
  CUNWU_ASSIGN(auto* st, db.prepare("SELECT user_id FROM disclosure_reads WHERE post = ? ORDER BY user_id"));
  st->bind(1, post.str());
  std::vector<UserId> out;
  for (;;) {
    CUNWU_ASSIGN(const bool row, st->step());
    if (!row) return out;
    out.emplace_back(st->text(0));
  }
}

}  // namespace cunwu::store
