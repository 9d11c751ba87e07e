#pragma once
// SQL for the host's tamper evidence: one hash link per op of the log, in host order, and the
// signed checkpoints over it. The hashing and signing are the host's (native/host/chain.*);
// this file only stores and reads what they computed.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cunwu/store/db.hpp"

namespace cunwu::store {

/// The chain's value after the op at `seq` (hex).
struct ChainLink {
  std::int64_t seq = 0;
  std::string hash;
};

/// A signed statement by the host: "the chain after op `seq` was `hash` at time `at`".
struct Checkpoint {
  std::int64_t seq = 0;
  std::string hash;        ///< hex
  std::int64_t at = 0;     ///< host time, ms
  std::string public_key;  ///< hex, the key that signed it
  std::string signature;   ///< hex, over checkpoint_message()
};

/// The newest link, none when nothing is chained yet. Error storage_error.
Result<std::optional<ChainLink>> last_link(Db& db);
/// Appends a link (seq must be new). Error storage_error.
Status put_link(Db& db, const ChainLink& link);
/// Links with seq > `after`, oldest first, at most `limit`. Error storage_error.
Result<std::vector<ChainLink>> links_after(Db& db, std::int64_t after, std::size_t limit);

/// Stores a checkpoint. Error storage_error.
Status put_checkpoint(Db& db, const Checkpoint& c);
/// Every checkpoint, oldest first. Error storage_error.
Result<std::vector<Checkpoint>> checkpoints(Db& db);

}  // namespace cunwu::store
