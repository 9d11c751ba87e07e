#pragma once
// SQL for a device's notices (通知, see notify/feed.hpp): the rows found for a user in the ops
// the device received, and per user how far the ops were scanned and how far the user has read.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cunwu/base/ids.hpp"
#include "cunwu/store/db.hpp"

namespace cunwu::store {

/// One row of `notices`.
struct NoticeRow {
  std::int64_t seq = 0;  ///< the local arrival sequence of the op it comes from
  std::string kind;      ///< notify::Feed's kinds: appeal_replied, points_approved, post_published...
  EntityId entity;       ///< what it is about (an appeal, a ledger, a post)
  UserId actor;          ///< who did it
  std::int64_t at = 0;   ///< when (the op's wall time, ms since the epoch)
  std::string data;      ///< JSON object: the kind's details (number, text, title...)
};

/// How far a user's notices go: ops up to `scanned` were looked at, up to `read` were seen.
struct NoticeMarks {
  std::int64_t scanned = 0;
  std::int64_t read = 0;
};

/// The user's marks; nullopt before the first scan. Error storage_error.
Result<std::optional<NoticeMarks>> notice_marks(Db& db, const UserId& user);
/// Sets both marks. Error storage_error.
Status put_notice_marks(Db& db, const UserId& user, const NoticeMarks& marks);
/// Stores a notice (a second one for the same op and user is ignored). Error storage_error.
Status put_notice(Db& db, const UserId& user, const NoticeRow& row);
/// The user's newest notices, newest first, at most `limit`. Error storage_error.
Result<std::vector<NoticeRow>> notices(Db& db, const UserId& user, std::int64_t limit);
/// How many of the user's notices come from ops after `after_seq`. Error storage_error.
Result<std::int64_t> notice_count_after(Db& db, const UserId& user, std::int64_t after_seq);

}  // namespace cunwu::store
