#pragma once
// 账号与登录 — accounts, passwords (argon2id via libsodium), session tokens (random, stored
// hashed, with expiry) and login rate limits, over the host's database.
#include <chrono>
#include <map>
#include <mutex>
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

/// Accounts over the host replica's database. The caller serializes access to the replica.
class Auth {
 public:
  /// `session_ttl_ms`: how long a login lasts (a phone stays logged in offline; the token is
  /// only needed when syncing).
  explicit Auth(Replica& host, std::int64_t session_ttl_ms = 90LL * 24 * 3600 * 1000);

  /// Registers a villager with an invite code: creates the user in the org tree (resident of
  /// the invite's courtyard and household) and the account, and logs them in. Errors:
  /// invalid_phone, weak_password, text_empty/invalid_utf8 (name), invite_invalid, phone_taken.
  Result<Login> register_villager(const Registration& r, TimeMs now);
  /// Checks phone and password. Errors: too_many_attempts (per phone and per address),
  /// login_failed (the same for an unknown phone and a wrong password).
  Result<Login> login(const std::string& phone, const std::string& password, const std::string& address, TimeMs now);
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
