#pragma once
// SQL for the host's accounts: who logs in with which phone number, their sessions (only hashes
// of tokens are stored) and invite codes. Hashing and policy are the host's (native/server).
#include <cstdint>
#include <optional>
#include <string>

#include "cunwu/base/ids.hpp"
#include "cunwu/store/db.hpp"

namespace cunwu::store {

/// 账号 — an account: a person's phone number and password hash (argon2id, encoded).
struct Account {
  UserId user;
  std::string phone;
  std::string password_hash;
  std::int64_t created = 0;
};

/// A login session; the token itself is never stored, only its hash.
struct Session {
  std::string token_hash;
  UserId user;
  std::int64_t created = 0;
  std::int64_t expires = 0;
};

/// 邀请码 — an invite code for a courtyard (and optionally a household), usable a number of times.
struct Invite {
  std::string code;
  RegionId courtyard;
  std::optional<HouseholdId> household;
  std::int64_t uses_left = 1;
  std::int64_t expires = 0;
  UserId created_by;
};

/// Adds an account. Errors: phone_taken (the phone or user has one), storage_error.
Status add_account(Db& db, const Account& a);
/// Replaces the password hash of `user`. Errors: not_found, storage_error.
Status set_password(Db& db, const UserId& user, const std::string& hash);
Result<std::optional<Account>> account_by_phone(Db& db, const std::string& phone);
Result<std::optional<Account>> account_of(Db& db, const UserId& user);

Status add_session(Db& db, const Session& s);
Result<std::optional<Session>> session_by_hash(Db& db, const std::string& token_hash);
Status delete_session(Db& db, const std::string& token_hash);
/// Removes sessions that expired before `now`. Error storage_error.
Status delete_expired_sessions(Db& db, std::int64_t now);

Status add_invite(Db& db, const Invite& i);
Result<std::optional<Invite>> invite(Db& db, const std::string& code);
/// Uses the invite once. Errors: invite_invalid (unknown, used up or expired at `now`).
Status use_invite(Db& db, const std::string& code, std::int64_t now);

}  // namespace cunwu::store
