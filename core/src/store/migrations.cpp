#include "store/migrations.hpp"

#include <iterator>
#include <string>

namespace cunwu::store {
namespace {

// Migration N is kMigrations[N - 1]. Never edit a released migration; append a new one.
constexpr const char* kMigrations[] = {
    // 1: org tree, op log, folded entities, conflicts, host rejections (from verdict ops).
    R"sql(
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;
CREATE TABLE regions(id TEXT PRIMARY KEY, parent TEXT, level INTEGER NOT NULL, name TEXT NOT NULL) STRICT;
CREATE TABLE households(id TEXT PRIMARY KEY, region TEXT NOT NULL REFERENCES regions(id), name TEXT NOT NULL) STRICT;
CREATE TABLE users(id TEXT PRIMARY KEY, name TEXT NOT NULL, region TEXT REFERENCES regions(id),
                   household TEXT REFERENCES households(id)) STRICT;
CREATE TABLE grants(user_id TEXT NOT NULL REFERENCES users(id), role TEXT NOT NULL,
                    region TEXT NOT NULL REFERENCES regions(id), PRIMARY KEY(user_id, role, region)) STRICT;
CREATE TABLE settings(region TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY(region, key)) STRICT;
CREATE TABLE ops(
  seq INTEGER PRIMARY KEY,
  origin TEXT NOT NULL, counter INTEGER NOT NULL,
  wall INTEGER NOT NULL, logical INTEGER NOT NULL,
  actor TEXT NOT NULL, type TEXT NOT NULL, entity TEXT NOT NULL, scope TEXT NOT NULL,
  visibility INTEGER NOT NULL, payload TEXT NOT NULL,
  UNIQUE(origin, counter)) STRICT;
CREATE INDEX ops_by_entity ON ops(entity, wall, logical, origin, counter);
CREATE TRIGGER ops_append_only_update BEFORE UPDATE ON ops BEGIN SELECT RAISE(ABORT, 'ops are append-only'); END;
CREATE TRIGGER ops_append_only_delete BEFORE DELETE ON ops BEGIN SELECT RAISE(ABORT, 'ops are append-only'); END;
CREATE TABLE entities(
  id TEXT PRIMARY KEY, kind TEXT NOT NULL, scope TEXT NOT NULL, state TEXT NOT NULL,
  last_wall INTEGER NOT NULL, last_logical INTEGER NOT NULL, last_origin TEXT NOT NULL,
  last_counter INTEGER NOT NULL) STRICT;
CREATE INDEX entities_by_kind ON entities(kind, scope);
CREATE TABLE conflicts(
  origin TEXT NOT NULL, counter INTEGER NOT NULL, entity TEXT NOT NULL, actor TEXT NOT NULL,
  type TEXT NOT NULL, code TEXT NOT NULL, detail TEXT NOT NULL, wall INTEGER NOT NULL,
  PRIMARY KEY(origin, counter)) STRICT;
CREATE INDEX conflicts_by_entity ON conflicts(entity);
CREATE TABLE rejections(
  origin TEXT NOT NULL, counter INTEGER NOT NULL, entity TEXT NOT NULL, code TEXT NOT NULL,
  detail TEXT NOT NULL, PRIMARY KEY(origin, counter)) STRICT;
CREATE INDEX rejections_by_entity ON rejections(entity);
)sql",
    // 2: points: one row per ledger line or pending hold (projected from the ledger fold), so
    // that a balance is a SUM over the primary key and an honour list a GROUP BY over an index.
    R"sql(
CREATE TABLE points_lines(
  household TEXT NOT NULL, entry TEXT NOT NULL, village TEXT NOT NULL, courtyard TEXT NOT NULL,
  kind TEXT NOT NULL, category TEXT NOT NULL, rule TEXT NOT NULL, delta INTEGER NOT NULL,
  earning INTEGER NOT NULL, pending INTEGER NOT NULL, month TEXT NOT NULL, at INTEGER NOT NULL,
  PRIMARY KEY(household, entry)) STRICT, WITHOUT ROWID;
CREATE INDEX points_lines_by_village ON points_lines(village, month, earning, household, category, delta, kind);
CREATE INDEX points_lines_by_courtyard ON points_lines(courtyard, month, earning, household, category, delta);
)sql",
    // 3: disclosure: the search index of published posts (a projection of post states: one row
    // per published post, its latest version) with two FTS5 indexes over it, trigram for
    // queries of 3+ characters and cunwu_unigram (one token per CJK character) for shorter
    // ones; and read receipts (one row per post and reader) for awareness rates.
    R"sql(
CREATE TABLE disclosure_posts(
  id INTEGER PRIMARY KEY, post TEXT NOT NULL UNIQUE, scope TEXT NOT NULL, type TEXT NOT NULL,
  category TEXT NOT NULL, title TEXT NOT NULL, body TEXT NOT NULL, version INTEGER NOT NULL,
  published_at INTEGER NOT NULL) STRICT;
CREATE VIRTUAL TABLE disclosure_fts3 USING fts5(title, body, content='disclosure_posts', content_rowid='id',
  tokenize='trigram');
CREATE VIRTUAL TABLE disclosure_fts1 USING fts5(title, body, content='disclosure_posts', content_rowid='id',
  tokenize='cunwu_unigram');
INSERT INTO disclosure_fts3(disclosure_fts3, rank) VALUES('rank', 'bm25(10.0, 1.0)');
INSERT INTO disclosure_fts1(disclosure_fts1, rank) VALUES('rank', 'cunwu_hits()');
CREATE TRIGGER disclosure_posts_ai AFTER INSERT ON disclosure_posts BEGIN
  INSERT INTO disclosure_fts3(rowid, title, body) VALUES(new.id, new.title, new.body);
  INSERT INTO disclosure_fts1(rowid, title, body) VALUES(new.id, new.title, new.body);
END;
CREATE TRIGGER disclosure_posts_ad AFTER DELETE ON disclosure_posts BEGIN
  INSERT INTO disclosure_fts3(disclosure_fts3, rowid, title, body) VALUES('delete', old.id, old.title, old.body);
  INSERT INTO disclosure_fts1(disclosure_fts1, rowid, title, body) VALUES('delete', old.id, old.title, old.body);
END;
CREATE TRIGGER disclosure_posts_no_update BEFORE UPDATE ON disclosure_posts BEGIN
  SELECT RAISE(ABORT, 'disclosure_posts rows are replaced, not updated');
END;
CREATE TABLE disclosure_reads(
  post TEXT NOT NULL, user_id TEXT NOT NULL, version INTEGER NOT NULL, at INTEGER NOT NULL,
  PRIMARY KEY(post, user_id)) WITHOUT ROWID, STRICT;
)sql",
    // 4: sync: who takes part in which entity (the host sends participants-only ops to them).
    R"sql(
-- since: the host's log position when the person joined; ops before it are sent to them once.
CREATE TABLE participants(entity TEXT NOT NULL, user_id TEXT NOT NULL, since INTEGER NOT NULL,
                          PRIMARY KEY(entity, user_id)) STRICT, WITHOUT ROWID;
CREATE INDEX participants_by_user ON participants(user_id, since);
)sql",
    // 5: accounts on the host: phone + password hash, sessions (token hashes), invite codes.
    R"sql(
CREATE TABLE accounts(user_id TEXT PRIMARY KEY, phone TEXT NOT NULL UNIQUE, password_hash TEXT NOT NULL,
                      created INTEGER NOT NULL) STRICT;
CREATE TABLE sessions(token_hash TEXT PRIMARY KEY, user_id TEXT NOT NULL, created INTEGER NOT NULL,
                      expires INTEGER NOT NULL) STRICT;
CREATE INDEX sessions_by_user ON sessions(user_id);
CREATE TABLE invites(code TEXT PRIMARY KEY, courtyard TEXT NOT NULL, household TEXT, uses_left INTEGER NOT NULL,
                     expires INTEGER NOT NULL, created_by TEXT NOT NULL) STRICT;
)sql",
    // 6: tamper evidence on the host: the hash chain over the op log in host order (one link per
    // op, seq = ops.seq) and the host's signed checkpoints. Both are append-only.
    R"sql(
CREATE TABLE chain(seq INTEGER PRIMARY KEY, hash TEXT NOT NULL) STRICT;
CREATE TABLE checkpoints(seq INTEGER PRIMARY KEY, hash TEXT NOT NULL, at INTEGER NOT NULL,
                         public_key TEXT NOT NULL, signature TEXT NOT NULL) STRICT;
CREATE TRIGGER chain_append_only_update BEFORE UPDATE ON chain BEGIN SELECT RAISE(ABORT, 'the chain is append-only'); END;
CREATE TRIGGER chain_append_only_delete BEFORE DELETE ON chain BEGIN SELECT RAISE(ABORT, 'the chain is append-only'); END;
CREATE TRIGGER checkpoints_append_only_update BEFORE UPDATE ON checkpoints BEGIN SELECT RAISE(ABORT, 'checkpoints are append-only'); END;
CREATE TRIGGER checkpoints_append_only_delete BEFORE DELETE ON checkpoints BEGIN SELECT RAISE(ABORT, 'checkpoints are append-only'); END;
)sql",
    // 7: attachments on the host: the blobs it stores (their bytes are files in DIR/blobs, see
    // native/host/blobs.*) and which accepted ops reference which blob, so that a download goes
    // to exactly the people who receive one of those ops. No backfill: before this version no
    // host stored any blob, so older references have nothing to serve.
    R"sql(
CREATE TABLE blobs(sha256 TEXT PRIMARY KEY, kind TEXT NOT NULL, mime TEXT NOT NULL, bytes INTEGER NOT NULL,
                   uploader TEXT NOT NULL, at INTEGER NOT NULL) STRICT, WITHOUT ROWID;
CREATE TABLE blob_refs(sha256 TEXT NOT NULL, origin TEXT NOT NULL, counter INTEGER NOT NULL,
                       PRIMARY KEY(sha256, origin, counter)) STRICT, WITHOUT ROWID;
)sql",
    // 8: departments of the org tree (转派 targets), and a device's notices (通知): what changed for
    // its user, found in the ops it received (notify::Feed), with how far the user has scanned and read.
    R"sql(
CREATE TABLE departments(id TEXT PRIMARY KEY, region TEXT NOT NULL REFERENCES regions(id), name TEXT NOT NULL) STRICT;
CREATE TABLE notices(user_id TEXT NOT NULL, seq INTEGER NOT NULL, kind TEXT NOT NULL, entity TEXT NOT NULL,
                     actor TEXT NOT NULL, at INTEGER NOT NULL, data TEXT NOT NULL,
                     PRIMARY KEY(user_id, seq)) STRICT, WITHOUT ROWID;
CREATE TABLE notice_marks(user_id TEXT PRIMARY KEY, scanned INTEGER NOT NULL, read INTEGER NOT NULL) STRICT;
)sql",
    // 9: the op log's greatest hybrid time without a scan of the log: Replica::open observes it
    // at every start, also a new device's first open of a snapshot of 100k ops.
    R"sql(
CREATE INDEX ops_by_hlc ON ops(wall, logical);
)sql",
};

}  // namespace

int latest_schema_version() { return int(std::size(kMigrations)); }

Status migrate(Db& db) {
  const int current = db.schema_version();
  if (current < 0) return make_error(Errc::storage_error, "cannot read schema version");
  if (current > latest_schema_version()) {
    return make_error(Errc::schema_too_new, "database schema " + std::to_string(current) + " > " +
                                                std::to_string(latest_schema_version()));
  }
  for (int v = current + 1; v <= latest_schema_version(); ++v) {
    Transaction tx(db);
    CUNWU_TRY(tx.status());
    CUNWU_TRY(db.exec(kMigrations[v - 1]));
    CUNWU_TRY(db.exec("PRAGMA user_version = " + std::to_string(v)));
    CUNWU_TRY(tx.commit());
  }
  return ok_status();
}

}  // namespace cunwu::store
