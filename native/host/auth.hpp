#pragma once
// 账号与登录 — accounts, passwords (argon2id via libsodium), session tokens (random, stored
// hashed, with expiry) and login rate limits, over the host's database.
#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <semaphore>
#include <string>
#include <utility>
#include <vector>

#include "cunwu/replica.hpp"
#include "cunwu/store/account_store.hpp"

namespace cunwu::host {

/// A fresh session for a user.
struct Login {
  std::string token;  ///< sent as "Authorization: Bearer <token>"; only its hash is stored
  UserId user;
  std::int64_t expires = 0;
};

/// What a villager sends to register.
struct Registration {
  std::string invite;
  std::string phone;
  std::string password;
  std::string name;
};

/// Counts failures per key within a window; a key over the limit is refused until it passes.
class RateLimiter {
 public:
  RateLimiter(int max_failures, std::int64_t window_ms) : max_(max_failures), window_(window_ms) {}
  /// Whether `key` may try now (at `now_ms`).
  bool allowed(const std::string& key, std::int64_t now_ms);
  void failed(const std::string& key, std::int64_t now_ms);
  /// Takes back one failure of `key` (an attempt charged before its outcome was known succeeded).
  void refund(const std::string& key);
  void succeeded(const std::string& key);

 private:
  struct Entry {
    int failures = 0;
    std::int64_t since = 0;
  };
  std::mutex mu_;
  std::map<std::string, Entry> entries_;
  int max_;
  std::int64_t window_;
};

/// The deliberately slow half of registering and logging in: argon2id (tens to hundreds of ms
/// of CPU and 64 MiB). Tests put in functions that wait on them.
struct Passwords {
  std::function<Result<std::string>(const std::string& password)> hash;
  std::function<bool(const std::string& hash, const std::string& password)> verify;
};

/// A login between its halves: what `begin_login` read under the host's lock for the password
/// check that runs without it.
struct LoginAttempt {
  std::string phone;
  std::string address;
  std::optional<store::Account> account;  ///< nullopt for an unknown phone
};

/// Accounts over the host replica's database. The caller serializes access to the replica;
/// `hash` and `password_matches` touch neither it nor the database, so the host runs them
/// outside its lock: one login would otherwise stop every sync for as long as argon2id runs.
class Auth {
 public:
  /// `session_ttl_ms`: how long a login lasts (a phone stays logged in offline; the token is
  /// only needed when syncing).
  explicit Auth(Replica& host, std::int64_t session_ttl_ms = 90LL * 24 * 3600 * 1000);
  /// Replaces argon2id (tests only; while no login or registration is in flight).
  void set_passwords(Passwords p) { passwords_ = std::move(p); }

  /// Registers a villager with an invite code: creates the user in the org tree (resident of
  /// the invite's courtyard and household) and the account, and logs them in. Errors:
  /// invalid_phone, weak_password, text_empty/invalid_utf8 (name), invite_invalid, phone_taken.
  Result<Login> register_villager(const Registration& r, TimeMs now);
  /// What register_villager checks before hashing, in three steps for the host's lock:
  /// `check_registration` (under it: the fields, the phone not taken, the invite usable), then
  /// `hash` (without it), then `register_villager(r, hash, now)` (under it), which checks
  /// everything again. Returns the invite. Errors: as register_villager.
  Result<store::Invite> check_registration(const Registration& r, TimeMs now);
  Result<Login> register_villager(const Registration& r, const std::string& password_hash, TimeMs now);
  /// The password's argon2id hash. Error internal (out of memory).
  Result<std::string> hash(const std::string& password) const;

  /// Checks phone and password. Errors: too_many_attempts (per phone and per address),
  /// login_failed (the same for an unknown phone and a wrong password).
  Result<Login> login(const std::string& phone, const std::string& password, const std::string& address, TimeMs now);
  /// `login` in three steps for the host's lock. `begin_login` (under it) checks the rate limits
  /// and reads the account; the attempt counts as failed until `finish_login` says otherwise, so
  /// that attempts in flight together cannot pass the limit. `password_matches` (without it)
  /// runs argon2id, also for an unknown phone, which takes as long as a wrong password.
  /// `finish_login` (under it) records the outcome and opens a session. Errors: as login.
  Result<LoginAttempt> begin_login(const std::string& phone, const std::string& address, TimeMs now);
  bool password_matches(const LoginAttempt& attempt, const std::string& password) const;
  Result<Login> finish_login(const LoginAttempt& attempt, bool matched, TimeMs now);
  /// The user of a bearer token. Errors: unauthorized (unknown), session_expired.
  Result<UserId> authenticate(const std::string& token, TimeMs now);
  /// Ends the session of `token` (idempotent).
  Status logout(const std::string& token);
  /// Sets up an account for an existing user (admin CLI, demo data). Errors: invalid_phone,
  /// weak_password, unknown_user, phone_taken.
  Status create_account(const UserId& user, const std::string& phone, const std::string& password, TimeMs now);
  /// Sets up accounts (user, phone) that share one password, such as the demo county's, whose
  /// password the README prints: hashed once for all of them, in one transaction (all or none).
  /// Errors: as create_account.
  Status create_accounts(const std::vector<std::pair<UserId, std::string>>& accounts, const std::string& password,
                         TimeMs now);
  /// Issues an invite code for a courtyard (and household), valid `days` for `uses` people.
  /// Errors: unknown_region, unknown_household, invalid_input.
  Result<std::string> issue_invite(const UserId& by, const RegionId& courtyard, std::optional<HouseholdId> household,
                                   int uses, int days, TimeMs now);

 private:
  Result<Login> start_session(const UserId& user, TimeMs now);

  Replica& r_;
  std::int64_t ttl_;
  Passwords passwords_;
  // Hashes running at once, at most one a core: each takes 64 MiB, and outside the host's lock
  // nothing else would bound them (200 phones logging in at once would want 12.8 GiB).
  mutable std::counting_semaphore<64> hashing_;
  RateLimiter per_phone_{5, 15 * 60 * 1000};
  RateLimiter per_address_{30, 15 * 60 * 1000};
};

/// argon2id hash of a password (libsodium's encoded string). Error internal (out of memory).
Result<std::string> hash_password(const std::string& password);
/// Whether `password` matches an encoded hash.
bool verify_password(const std::string& hash, const std::string& password);
/// 32 random bytes as hex.
std::string random_token();
/// SHA-256 hex of a token (what the sessions table stores).
std::string token_hash(const std::string& token);

}  // namespace cunwu::host
