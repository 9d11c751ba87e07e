#include "chain.hpp"

#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "cunwu/oplog/op.hpp"
#include "digest.hpp"

namespace cunwu::host {
namespace {

constexpr std::size_t kBatch = 5000;

bool unhex(const std::string& text, unsigned char* out, std::size_t n) {
  std::size_t len = 0;
  return text.size() == n * 2 && sodium_hex2bin(out, n, text.data(), text.size(), nullptr, &len, nullptr) == 0 && len == n;
}

// The link of the op at `seq` whose wire text (oplog::to_json(op).dump()) is `wire`:
// SHA-256(prev link, seq as 8 bytes big-endian, wire).
Digest link_of(const Digest& prev, std::int64_t seq, std::string_view wire) {
  thread_local Sha256 h;
  unsigned char be[8];
  for (int i = 0; i < 8; ++i) be[i] = static_cast<unsigned char>(static_cast<std::uint64_t>(seq) >> (56 - 8 * i));
  return h.update(prev.data(), prev.size()).update(be, sizeof be).update(wire).finish();
}

Status ready() {
  if (sodium_init() < 0) return make_error(Errc::storage_error, "libsodium cannot be initialised");
  return ok_status();
}

Result<std::string> read_file(const std::filesystem::path& p) {
  std::ifstream in(p);
  if (!in) return make_error(Errc::not_found, p.string());
  std::stringstream text;
  text << in.rdbuf();
  std::string s = text.str();
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

Status write_file(const std::filesystem::path& p, const std::string& text, bool secret) {
  {
    std::ofstream out(p, std::ios::trunc);
    if (secret) ::chmod(p.c_str(), 0600);  // before anything is written to it
    out << text << "\n";
    out.flush();
    if (!out) return make_error(Errc::storage_error, "cannot write " + p.string());
  }
  return ok_status();
}

}  // namespace

Result<SigningKey> load_or_create_key(const std::string& data_dir) {
  CUNWU_TRY(ready());
  const auto key_path = std::filesystem::path(data_dir) / "host.key";
  SigningKey key;
  if (std::filesystem::exists(key_path)) {
    CUNWU_ASSIGN(const auto text, read_file(key_path));
    if (!unhex(text, key.secret.data(), key.secret.size())) {
      return make_error(Errc::storage_error, key_path.string() + " is not an ed25519 secret key");
    }
    unsigned char pk[crypto_sign_PUBLICKEYBYTES];
    crypto_sign_ed25519_sk_to_pk(pk, key.secret.data());
    key.public_hex = hex(pk, sizeof pk);
    return key;
  }
  unsigned char pk[crypto_sign_PUBLICKEYBYTES];
  crypto_sign_keypair(pk, key.secret.data());
  key.public_hex = hex(pk, sizeof pk);
  CUNWU_TRY(write_file(key_path, hex(key.secret.data(), key.secret.size()), true));
  CUNWU_TRY(write_file(std::filesystem::path(data_dir) / "host.pub", key.public_hex, false));
  return key;
}

Result<std::string> read_public_key(const std::string& data_dir) {
  return read_file(std::filesystem::path(data_dir) / "host.pub");
}

std::string checkpoint_message(const store::Checkpoint& c) {
  return "cunwu checkpoint v1\nseq " + std::to_string(c.seq) + "\nhash " + c.hash + "\nat " + std::to_string(c.at) + "\n";
}

Result<std::int64_t> extend_chain(Replica& r) {
  CUNWU_TRY(ready());
  auto& db = r.db();
  store::Transaction tx(db);
  CUNWU_TRY(tx.status());
  CUNWU_ASSIGN(const auto last, store::last_link(db));
  Digest prev{};
  std::int64_t after = 0;
  if (last) {
    if (!unhex(last->hash, prev.data(), prev.size())) return make_error(Errc::storage_error, "chain link is not a hash");
    after = last->seq;
  }
  std::int64_t added = 0;
  for (;;) {
    // The stored text, not parsed and written again: the verifier below takes the long way
    // (parse, then to_json), so a difference between the two would show as a broken chain.
    CUNWU_ASSIGN(const auto rows, r.log().ops().wire_after(after, kBatch));
    for (const auto& [seq, wire] : rows) {
      prev = link_of(prev, seq, wire);
      CUNWU_TRY(store::put_link(db, {seq, hex(prev.data(), prev.size())}));
      after = seq;
      ++added;
    }
    if (rows.size() < kBatch) break;
  }
  CUNWU_TRY(tx.commit());
  return added;
}

Result<std::optional<store::Checkpoint>> make_checkpoint(Replica& r, const SigningKey& key, TimeMs now) {
  CUNWU_ASSIGN(const auto linked, extend_chain(r));
  (void)linked;
  CUNWU_ASSIGN(const auto last, store::last_link(r.db()));
  if (!last) return std::optional<store::Checkpoint>();
  CUNWU_ASSIGN(const auto existing, store::checkpoints(r.db()));
  if (!existing.empty() && existing.back().seq == last->seq) return std::optional<store::Checkpoint>();
  store::Checkpoint c{last->seq, last->hash, now.ms, key.public_hex, {}};
  const std::string msg = checkpoint_message(c);
  unsigned char sig[crypto_sign_BYTES];
  crypto_sign_detached(sig, nullptr, reinterpret_cast<const unsigned char*>(msg.data()), msg.size(), key.secret.data());
  c.signature = hex(sig, sizeof sig);
  CUNWU_TRY(store::put_checkpoint(r.db(), c));
  return std::optional<store::Checkpoint>(std::move(c));
}

namespace {

// Walks ops and links side by side, recomputing the chain, and compares checkpoints on the way.
class Verifier {
 public:
  Verifier(Replica& r, std::vector<store::Checkpoint> checkpoints, std::int64_t last_linked)
      : r_(r), cps_(std::move(checkpoints)), last_linked_(last_linked) {}

  Result<VerifyReport> run() {
    std::int64_t after = 0;
    for (;;) {
      auto rows = r_.log().ops().ops_after(after, kBatch);
      if (!rows) {
        // Some row does not parse: narrow it down to the first unreadable op.
        auto one = r_.log().ops().ops_after(after, 1);
        if (one && !one->empty()) {
          CUNWU_TRY(step(one->front().first, one->front().second));
          after = one->front().first;
          if (!report_.ok) return report_;
          continue;
        }
        CUNWU_ASSIGN(const auto next, store::links_after(r_.db(), after, 1));
        return fail(next.empty() ? after + 1 : next.front().seq, "", "this op can no longer be read: its row was changed");
      }
      for (const auto& [seq, op] : *rows) {
        CUNWU_TRY(step(seq, op));
        if (!report_.ok) return report_;
        after = seq;
      }
      if (rows->size() < kBatch) break;
    }
    // Links or checkpoints beyond the last op: ops at the end were deleted.
    CUNWU_ASSIGN(const auto tail, store::links_after(r_.db(), after, 1));
    if (!tail.empty()) return fail(tail.front().seq, "", "this op was deleted from the log (its link remains)");
    for (; next_cp_ < cps_.size(); ++next_cp_) {
      if (cps_[next_cp_].seq > after) return fail(cps_[next_cp_].seq, "", "ops up to this checkpoint were deleted from the log");
    }
    return report_;
  }

 private:
  Status step(std::int64_t seq, const oplog::Op& op) {
    if (links_.empty() || pos_ >= links_.size()) {
      CUNWU_ASSIGN(links_, store::links_after(r_.db(), last_seen_link_, kBatch));
      pos_ = 0;
    }
    // A link for a seq with no op: that op was deleted.
    if (pos_ < links_.size() && links_[pos_].seq < seq) {
      fail(links_[pos_].seq, "", "this op was deleted from the log (its link remains)");
      return ok_status();
    }
    ++report_.ops;
    prev_ = link_of(prev_, seq, oplog::to_json(op).dump());
    const std::string computed = hex(prev_.data(), prev_.size());
    if (pos_ < links_.size() && links_[pos_].seq == seq) {
      last_seen_link_ = seq;
      if (links_[pos_++].hash != computed) {
        fail(seq, oplog::to_string(op.id), "this op is not the one the host stored (changed, or inserted before it)");
        return ok_status();
      }
      ++report_.linked;
    } else if (seq <= last_linked_) {
      fail(seq, oplog::to_string(op.id), "this op was inserted into the log after it was chained");
      return ok_status();
    } else {
      ++report_.unchained;
    }
    while (next_cp_ < cps_.size() && cps_[next_cp_].seq <= seq) {
      const auto& cp = cps_[next_cp_++];
      if (cp.seq < seq) {
        fail(cp.seq, "", "the op this checkpoint ends at was deleted from the log");
        return ok_status();
      }
      if (cp.hash != computed) {
        fail(seq, oplog::to_string(op.id),
             "the log up to this op does not match the host's signed checkpoint: an op at or before it was changed and "
             "its links rewritten (the last matching checkpoint is at seq " + std::to_string(last_good_cp_) + ")");
        return ok_status();
      }
      last_good_cp_ = cp.seq;
      ++report_.checkpoints;
    }
    return ok_status();
  }

  VerifyReport fail(std::int64_t seq, std::string op, std::string problem) {
    if (report_.ok) {
      report_.ok = false;
      report_.bad_seq = seq;
      report_.bad_op = std::move(op);
      report_.problem = std::move(problem);
    }
    return report_;
  }

  Replica& r_;
  std::vector<store::Checkpoint> cps_;
  std::int64_t last_linked_;
  VerifyReport report_;
  Digest prev_{};
  std::vector<store::ChainLink> links_;
  std::size_t pos_ = 0;
  std::int64_t last_seen_link_ = 0;
  std::size_t next_cp_ = 0;
  std::int64_t last_good_cp_ = 0;
};

}  // namespace

Result<VerifyReport> verify_chain(Replica& r, const std::string& trusted_public_hex) {
  CUNWU_TRY(ready());
  unsigned char pk[crypto_sign_PUBLICKEYBYTES];
  if (!unhex(trusted_public_hex, pk, sizeof pk)) return make_error(Errc::invalid_input, "the public key is not 64 hex characters");
  CUNWU_ASSIGN(auto cps, store::checkpoints(r.db()));
  CUNWU_ASSIGN(const auto last, store::last_link(r.db()));
  // Signatures first: a checkpoint the trusted key did not sign proves nothing.
  for (const auto& cp : cps) {
    unsigned char sig[crypto_sign_BYTES];
    const std::string msg = checkpoint_message(cp);
    if (!unhex(cp.signature, sig, sizeof sig) ||
        crypto_sign_verify_detached(sig, reinterpret_cast<const unsigned char*>(msg.data()), msg.size(), pk) != 0) {
      VerifyReport bad;
      bad.ok = false;
      bad.bad_seq = cp.seq;
      bad.problem = cp.public_key == trusted_public_hex
                        ? "the checkpoint at this op has a signature the host's key did not make"
                        : "the checkpoint at this op was signed by another key (" + cp.public_key.substr(0, 16) + "...)";
      return bad;
    }
  }
  Verifier v(r, std::move(cps), last ? last->seq : 0);
  return v.run();
}

}  // namespace cunwu::host
