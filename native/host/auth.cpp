#include "auth.hpp"

#include <sodium.h>

#include <algorithm>
#include <thread>

#include "cunwu/base/text.hpp"
#include "cunwu/store/org_store.hpp"
#include "digest.hpp"

namespace cunwu::host {
namespace {

// One of the password-hashing slots, held while it lives.
class Slot {
 public:
  explicit Slot(std::counting_semaphore<64>& slots) : slots_(slots) { slots_.acquire(); }
  ~Slot() { slots_.release(); }
  Slot(const Slot&) = delete;
  Slot& operator=(const Slot&) = delete;

 private:
  std::counting_semaphore<64>& slots_;
};

constexpr std::int64_t kDayMs = 24LL * 3600 * 1000;

// Mainland mobile numbers: 11 digits starting with 1.
Status check_phone(const std::string& phone) {
  const bool ok = phone.size() == 11 && phone[0] == '1' &&
                  std::all_of(phone.begin(), phone.end(), [](char c) { return c >= '0' && c <= '9'; });
  return ok ? ok_status() : Status(make_error(Errc::invalid_phone, "11 digits starting with 1"));
}

Status check_password(const std::string& password) {
  if (!is_valid_utf8(password)) return make_error(Errc::invalid_utf8, "password");
  const bool only_digits = std::all_of(password.begin(), password.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (password.size() < 8 || password.size() > 128 || only_digits) {
    return make_error(Errc::weak_password, "8..128 characters, not only digits");
  }
  return ok_status();
}

}  // namespace

bool RateLimiter::allowed(const std::string& key, std::int64_t now_ms) {
  std::lock_guard lock(mu_);
  const auto it = entries_.find(key);
  if (it == entries_.end()) return true;
  if (now_ms - it->second.since > window_) {
    entries_.erase(it);
    return true;
  }
  return it->second.failures < max_;
}

void RateLimiter::failed(const std::string& key, std::int64_t now_ms) {
  std::lock_guard lock(mu_);
  auto& e = entries_[key];
  if (e.failures == 0 || now_ms - e.since > window_) e = Entry{0, now_ms};
  ++e.failures;
}

void RateLimiter::refund(const std::string& key) {
  std::lock_guard lock(mu_);
  const auto it = entries_.find(key);
  if (it != entries_.end() && --it->second.failures <= 0) entries_.erase(it);
}

void RateLimiter::succeeded(const std::string& key) {
  std::lock_guard lock(mu_);
  entries_.erase(key);
}

Result<std::string> hash_password(const std::string& password) {
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(out, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
    return make_error(Errc::internal, "password hashing ran out of memory");
  }
  return std::string(out);
}

bool verify_password(const std::string& hash, const std::string& password) {
  return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

std::string random_token() {
  unsigned char bytes[32];
  randombytes_buf(bytes, sizeof bytes);
  return hex(bytes, sizeof bytes);
}

std::string token_hash(const std::string& token) { return sha256_hex(token); }

Auth::Auth(Replica& host, std::int64_t session_ttl_ms)
    : r_(host),
      ttl_(session_ttl_ms),
      passwords_{hash_password, verify_password},
      hashing_(std::clamp<std::ptrdiff_t>(std::thread::hardware_concurrency(), 1, 64)) {
  if (sodium_init() < 0) std::abort();  // libsodium cannot work without a random source
}

Result<Login> Auth::start_session(const UserId& user, TimeMs now) {
  Login l{random_token(), user, now.ms + ttl_};
  CUNWU_TRY(store::add_session(r_.db(), store::Session{token_hash(l.token), user, now.ms, l.expires}));
  return l;
}

Status Auth::create_account(const UserId& user, const std::string& phone, const std::string& password, TimeMs now) {
  return create_accounts({{user, phone}}, password, now);
}

Status Auth::create_accounts(const std::vector<std::pair<UserId, std::string>>& accounts, const std::string& password,
                             TimeMs now) {
  // Everything that can be checked is, before the (deliberately slow) hash.
  for (const auto& [user, phone] : accounts) CUNWU_TRY(check_phone(phone));
  CUNWU_TRY(check_password(password));
  for (const auto& [user, phone] : accounts) {
    if (!r_.directory().user(user)) return make_error(Errc::unknown_user, user.str());
  }
  CUNWU_ASSIGN(const auto hash, hash_password(password));
  store::Transaction tx(r_.db());
  CUNWU_TRY(tx.status());
  for (const auto& [user, phone] : accounts) {
    CUNWU_TRY(store::add_account(r_.db(), store::Account{user, phone, hash, now.ms}));
  }
  return tx.commit();
}

Result<Login> Auth::register_villager(const Registration& r, TimeMs now) {
  CUNWU_TRY(check_registration(r, now));
  CUNWU_ASSIGN(const auto password_hash, hash(r.password));
  return register_villager(r, password_hash, now);
}

Result<store::Invite> Auth::check_registration(const Registration& r, TimeMs now) {
  CUNWU_TRY(check_phone(r.phone));
  CUNWU_TRY(check_password(r.password));
  CUNWU_TRY(validate_text(r.name, 40, "name"));
  CUNWU_ASSIGN(const auto existing, store::account_by_phone(r_.db(), r.phone));
  if (existing) return make_error(Errc::phone_taken, r.phone);
  CUNWU_ASSIGN(const auto inv, store::invite(r_.db(), r.invite));
  if (!inv || inv->uses_left < 1 || inv->expires < now.ms) {
    return make_error(Errc::invite_invalid, "invite used up, expired or unknown");
  }
  return *inv;
}

Result<Login> Auth::register_villager(const Registration& r, const std::string& password_hash, TimeMs now) {
  // Checked again: the phone or the invite may have been taken while the password was hashed.
  CUNWU_ASSIGN(const auto inv, check_registration(r, now));
  CUNWU_ASSIGN(const auto name, validate_text(r.name, 40, "name"));
  const UserId user("u" + r.phone);
  bool added = false;
  auto login = [&]() -> Result<Login> {
    store::Transaction tx(r_.db());
    CUNWU_TRY(tx.status());
    CUNWU_TRY(store::use_invite(r_.db(), r.invite, now.ms));
    CUNWU_TRY(r_.add_person(org::User{user, name, inv.courtyard, inv.household},
                            {org::Grant{org::Role::villager, inv.courtyard}}));
    added = true;
    CUNWU_TRY(store::add_account(r_.db(), store::Account{user, r.phone, password_hash, now.ms}));
    CUNWU_ASSIGN(auto l, start_session(user, now));
    CUNWU_TRY(tx.commit());
    return l;
  }();
  // Rolled back after the person joined the tree in memory: the tree loses them again.
  if (!login && added) CUNWU_TRY(r_.reload_directory());
  return login;
}

Result<Login> Auth::login(const std::string& phone, const std::string& password, const std::string& address, TimeMs now) {
  CUNWU_ASSIGN(const auto attempt, begin_login(phone, address, now));
  return finish_login(attempt, password_matches(attempt, password), now);
}

Result<LoginAttempt> Auth::begin_login(const std::string& phone, const std::string& address, TimeMs now) {
  if (!per_phone_.allowed(phone, now.ms) || !per_address_.allowed(address, now.ms)) {
    return make_error(Errc::too_many_attempts, "wait 15 minutes");
  }
  CUNWU_ASSIGN(auto account, store::account_by_phone(r_.db(), phone));
  per_phone_.failed(phone, now.ms);
  per_address_.failed(address, now.ms);
  return LoginAttempt{phone, address, std::move(account)};
}

Result<std::string> Auth::hash(const std::string& password) const {
  const Slot slot(hashing_);
  return passwords_.hash(password);
}

bool Auth::password_matches(const LoginAttempt& attempt, const std::string& password) const {
  const Slot slot(hashing_);
  if (attempt.account) return passwords_.verify(attempt.account->password_hash, password);
  // An unknown phone costs what a wrong password costs: the time does not tell which it was.
  static const auto stand_in = hash_password("not the password of anyone");
  if (stand_in) (void)passwords_.verify(*stand_in, password);
  return false;
}

Result<Login> Auth::finish_login(const LoginAttempt& attempt, bool matched, TimeMs now) {
  if (!matched || !attempt.account) return make_error(Errc::login_failed, "phone or password");
  per_phone_.succeeded(attempt.phone);
  per_address_.refund(attempt.address);
  return start_session(attempt.account->user, now);
}

Result<UserId> Auth::authenticate(const std::string& token, TimeMs now) {
  if (token.empty()) return make_error(Errc::unauthorized, "no token");
  CUNWU_ASSIGN(const auto s, store::session_by_hash(r_.db(), token_hash(token)));
  if (!s) return make_error(Errc::unauthorized, "unknown token");
  if (s->expires < now.ms) return make_error(Errc::session_expired, "expired");
  if (!r_.directory().user(s->user)) return make_error(Errc::unauthorized, "account removed");
  return s->user;
}

Status Auth::logout(const std::string& token) { return store::delete_session(r_.db(), token_hash(token)); }

Result<std::string> Auth::issue_invite(const UserId& by, const RegionId& courtyard, std::optional<HouseholdId> household,
                                       int uses, int days, TimeMs now) {
  const auto* region = r_.directory().region(courtyard);
  if (!region || region->level != org::RegionLevel::courtyard) return make_error(Errc::unknown_region, courtyard.str());
  if (household) {
    const auto* h = r_.directory().household(*household);
    if (!h || h->courtyard != courtyard) return make_error(Errc::unknown_household, household->str());
  }
  if (uses < 1 || uses > 10'000 || days < 1 || days > 366) return make_error(Errc::invalid_input, "uses 1..10000, days 1..366");
  // 8 characters from an alphabet without look-alikes (no 0/O, 1/I/L), easy to read out.
  static constexpr char kAlphabet[] = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
  std::string code;
  for (int i = 0; i < 8; ++i) code += kAlphabet[randombytes_uniform(sizeof kAlphabet - 1)];
  CUNWU_TRY(store::add_invite(r_.db(), store::Invite{code, courtyard, household, uses, now.ms + days * kDayMs, by}));
  return code;
}

}  // namespace cunwu::host
