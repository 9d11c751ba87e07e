#pragma once
// 时限 — deadlines, breaches and supervision flags, computed from a time the caller passes in
// (the host passes its own clock, so a device with a wrong clock cannot cheat a deadline).
#include <optional>

#include <nlohmann/json.hpp>

#include "cunwu/appeals/types.hpp"

namespace cunwu::appeals {

/// The current level's deadlines. None until the host has registered (numbered) the appeal:
/// handlers cannot be late for what has not reached them.
struct Deadlines {
  std::optional<TimeMs> respond_by;
  std::optional<TimeMs> resolve_by;
};

/// Deadlines of an open appeal at its current level; empty for closed ones.
Deadlines deadlines(const Appeal& a, const SlaPolicy& sla);

/// Which limit an open appeal has broken at `now`, if any.
enum class Breach { none, response, resolution };
Breach breach(const Appeal& a, const SlaPolicy& sla, TimeMs now);

/// 督办 — what the discipline inspector is shown for an appeal.
struct Supervision {
  bool overdue = false;             ///< open and past a deadline at `now`
  bool dissatisfied_twice = false;  ///< rated dissatisfied two times or more
  bool flagged = false;             ///< marked by an inspector
  bool any() const { return overdue || dissatisfied_twice || flagged; }
};
Supervision supervision(const Appeal& a, const SlaPolicy& sla, TimeMs now);

/// The policy as JSON in hours: {"red": {"respond_hours": 2, "resolve_hours": 24}, ...}.
nlohmann::json to_json(const SlaPolicy& sla);
/// Parses and checks a policy (whole positive hours, respond <= resolve, at most 90 days).
/// Error invalid_input.
Result<SlaPolicy> sla_from_json(const nlohmann::json& j);

}  // namespace cunwu::appeals
