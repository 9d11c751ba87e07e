#pragma once
// Tamper evidence for a county's op log (DESIGN: no cadre rewrites a published figure
// unnoticed). Every op the host stores is hash-chained in host order:
//   link(seq) = SHA-256(link(previous seq) || seq as 8 bytes big-endian || the op's wire JSON)
// starting from 32 zero bytes, and the host signs checkpoints ("the chain after op seq was
// hash at time at") with an ed25519 key kept in the data directory. verify_chain() recomputes
// everything from the ops and names the first op that does not match. Editing an op breaks
// its link; rewriting the links as well breaks the next checkpoint's hash, and forging that
// needs the host's secret key. Keep a copy of host.pub (or of the checkpoints published at
// /v1/checkpoint) outside the server: verify against that copy.
#include <array>
#include <cstdint>
#include <optional>
#include <string>

#include <sodium.h>

#include "cunwu/replica.hpp"
#include "cunwu/store/chain_store.hpp"

namespace cunwu::host {

/// The host's signing key.
struct SigningKey {
  std::string public_hex;  ///< 64 hex characters
  std::array<unsigned char, crypto_sign_SECRETKEYBYTES> secret{};
};

/// Loads DIR/host.key, creating it (mode 0600, and DIR/host.pub) when absent. Errors:
/// storage_error (unreadable or malformed key file, libsodium not usable).
Result<SigningKey> load_or_create_key(const std::string& data_dir);
/// The public key in DIR/host.pub. Error not_found.
Result<std::string> read_public_key(const std::string& data_dir);

/// Links every op stored after the last link; returns how many were added. One transaction.
/// Error storage_error.
Result<std::int64_t> extend_chain(Replica& r);

/// Extends the chain, then signs a checkpoint at its newest link unless the newest checkpoint
/// is already there; returns the new checkpoint, if any. Error storage_error.
Result<std::optional<store::Checkpoint>> make_checkpoint(Replica& r, const SigningKey& key, TimeMs now);

/// The bytes a checkpoint's signature covers.
std::string checkpoint_message(const store::Checkpoint& c);

/// What verify_chain found.
struct VerifyReport {
  std::int64_t ops = 0;          ///< ops read
  std::int64_t linked = 0;       ///< ops whose link matched
  std::int64_t unchained = 0;    ///< newest ops not linked yet (the host links them after each request)
  std::int64_t checkpoints = 0;  ///< checkpoints whose signature and hash matched
  bool ok = true;
  std::int64_t bad_seq = 0;      ///< the first place that does not match (when !ok)
  std::string bad_op;            ///< that op's id, "origin.counter", when there is one
  std::string problem;           ///< what does not match, in plain words
};

/// Recomputes the chain from the op log and checks every link and checkpoint. Signatures are
/// checked against `trusted_public_hex` (e.g. an offline copy of host.pub). Error
/// storage_error (the database cannot be read at all); a log that cannot be parsed at some op
/// is reported as a mismatch there.
Result<VerifyReport> verify_chain(Replica& r, const std::string& trusted_public_hex);

}  // namespace cunwu::host
