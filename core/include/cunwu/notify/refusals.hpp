#pragma once
// 未生效的操作 — what a person did that did not take effect, in words the page can show: which
// action, on which item (an appeal's number, a post's title...), what happened (the catalogued
// reason) and where it was found (the host refused it, or this device found it invalid where it
// fell in the order of everyone's changes). What to do next is the catalogue's hint for the
// reason (shared/errors.json "hint"); the page renders both.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "cunwu/base/error.hpp"
#include "cunwu/base/ids.hpp"
#include "cunwu/base/time.hpp"
#include "cunwu/oplog/op.hpp"
#include "cunwu/replica.hpp"

namespace cunwu::notify {

/// One action of the person's that did not take effect.
struct Refusal {
  oplog::OpId op;
  std::string type;      ///< the op type, e.g. "appeal.accept": the action
  EntityId entity;       ///< the item it was on
  std::string kind;      ///< the item's kind: "appeal", "ledger", "post" (the entity id's prefix)
  Error error;           ///< what happened: the catalogued reason
  bool by_host = false;  ///< true: the host refused it; false: a conflict this device found
  TimeMs at;             ///< when the person did it (the op's wall time)
  /// What the item is, as this device knows it now: appeal {number, official, category, text}
  /// (text: the first 24 characters), ledger {title} (the rule or goods), post {title}; empty
  /// when the device does not hold it.
  nlohmann::json item = nlohmann::json::object();
};

/// The ops of `user` on this replica that the host rejected or that are conflicts here, of
/// `entity` or of all; newest first. Error storage_error.
Result<std::vector<Refusal>> refusals(Replica& replica, const UserId& user, const std::optional<EntityId>& entity = {});

/// A refusal as JSON for the page: {op, type, entity, kind, code, message, message_en, detail,
/// by_host, at, item}.
nlohmann::json to_json(const Refusal& r);

}  // namespace cunwu::notify
