#pragma once
// 时限 — deadlines, breaches and supervision flags, computed from a time the caller passes in
// (the host passes its own clock, so a device with a wrong clock cannot cheat a deadline).
#include <cstdint>
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

/// The deadline a handler's countdown counts against: the response limit until the appeal has
/// been answered at this level, then the resolution limit. `limit` is the length the county's
/// policy gives it for the appeal's urgency.
enum class DueKind { respond, resolve };
struct Due {
  TimeMs at;
  DueKind kind = DueKind::respond;
  Duration limit;
};
/// The next deadline of an open, registered appeal; none otherwise (closed, or not yet numbered).
std::optional<Due> next_due(const Appeal& a, const SlaPolicy& sla);

/// 红黄绿 — the colour of a countdown at `now`: red once the deadline has passed, yellow in its
/// last quarter (less than limit / kYellowShare left; exactly at the deadline is still yellow),
/// green before. Relative to the limit, so that a red appeal's 2-hour response limit and a green
/// one's 7-day resolution limit both turn yellow when a quarter of their time is left.
enum class DueColour { green, yellow, red };
inline constexpr std::int64_t kYellowShare = 4;
DueColour due_colour(const Due& due, TimeMs now);
/// The instant a countdown turns yellow: at - limit / kYellowShare.
TimeMs yellow_from(const Due& due);
/// "green", "yellow", "red"; "respond", "resolve".
const char* name(DueColour c);
const char* name(DueKind k);

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
