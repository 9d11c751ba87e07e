#pragma once
// 通知 — in-app notices: what changed for a person, found in the ops their device received.
// After each sync the device scans the new ops once (Feed::scan) and keeps a notice for each that
// concerns the user and that someone else did; the notices and how far the user has read them are
// stored in the device's database (store/notice_store.hpp), so they survive reloads.
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cunwu/base/ids.hpp"
#include "cunwu/base/result.hpp"
#include "cunwu/base/time.hpp"
#include "cunwu/replica.hpp"

namespace cunwu::notify {

/// One notice. `kind` and the fields of `data` (texts are as the ops carry them):
/// - appeal_numbered {number}, appeal_accepted {number}, appeal_replied {number, text},
///   appeal_dispatched {number, department}, appeal_escalated {number, level},
///   appeal_resolved {number, text}, appeal_merged {number}, appeal_filed_for_you {number}
///   (a cadre filed it on the user's behalf, 代办): an appeal whose filer is the user;
/// - points_approved {rule, points}, points_rejected {rule, reason}: the user's application;
///   points_awarded / points_deducted {rule, points}: the user's household;
///   redemption_confirmed {goods, price}: the user's redemption;
/// - question_answered {title, text}: an answer to the user's question under a post;
/// - post_published {title, type}, post_amended {title, reason}: a disclosure the user may read.
struct Notice {
  std::int64_t seq = 0;  ///< the op's local arrival sequence: notices sort and are read by it
  std::string kind;
  EntityId entity;       ///< the appeal, ledger or post it is about
  UserId actor;          ///< who did it
  TimeMs at;             ///< when (the op's hybrid wall time)
  nlohmann::json data = nlohmann::json::object();
  bool unread = false;
};

/// The notices of `user` on one replica.
class Feed {
 public:
  Feed(Replica& replica, UserId user) : r_(replica), user_(std::move(user)) {}

  /// Looks at the ops that arrived since the last scan and stores a notice for each that changed
  /// something of the user's (kinds above), unless the user did it, the op is a conflict or the
  /// host rejected it. The first scan for a user on a replica only remembers where the log
  /// ends: a new device does not announce its history. Returns the number of notices added.
  /// Error storage_error.
  Result<std::int64_t> scan();
  /// The newest notices first, at most `limit`, each with `unread`. Error storage_error.
  Result<std::vector<Notice>> list(std::int64_t limit = 50);
  /// How many notices are unread. Error storage_error.
  Result<std::int64_t> unread();
  /// Marks every notice up to `seq` read (never moves back). Error storage_error.
  Status mark_read(std::int64_t seq);

 private:
  Result<std::optional<Notice>> notice_of(std::int64_t seq, const oplog::Op& op);

  Replica& r_;
  UserId user_;
};

/// Notices as JSON for the page: {seq, kind, entity, actor, actor_name, at, data, unread}.
nlohmann::json to_json(const Notice& n, const org::Directory& dir);

}  // namespace cunwu::notify
