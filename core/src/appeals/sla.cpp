#include "cunwu/appeals/sla.hpp"

#include <algorithm>

namespace cunwu::appeals {

Deadlines deadlines(const Appeal& a, const SlaPolicy& sla) {
  if (!a.exists || !a.open() || !a.registered_at) return {};
  const Limits& lim = sla.for_urgency(a.urgency);
  const TimeMs start = std::max(a.level_since, *a.registered_at);
  Deadlines d;
  if (!a.responded_at) d.respond_by = start + lim.respond;
  d.resolve_by = start + lim.resolve;
  return d;
}

std::optional<Due> next_due(const Appeal& a, const SlaPolicy& sla) {
  const Deadlines d = deadlines(a, sla);
  const Limits& lim = sla.for_urgency(a.urgency);
  if (d.respond_by) return Due{*d.respond_by, DueKind::respond, lim.respond};
  if (d.resolve_by) return Due{*d.resolve_by, DueKind::resolve, lim.resolve};
  return std::nullopt;
}

TimeMs yellow_from(const Due& due) { return due.at + Duration{-(due.limit.ms / kYellowShare)}; }

DueColour due_colour(const Due& due, TimeMs now) {
  if (now > due.at) return DueColour::red;
  return now >= yellow_from(due) ? DueColour::yellow : DueColour::green;
}

const char* name(DueColour c) {
  return c == DueColour::red ? "red" : c == DueColour::yellow ? "yellow" : "green";
}
const char* name(DueKind k) { return k == DueKind::respond ? "respond" : "resolve"; }

Breach breach(const Appeal& a, const SlaPolicy& sla, TimeMs now) {
  const Deadlines d = deadlines(a, sla);
  if (d.respond_by && now > *d.respond_by) return Breach::response;
  if (d.resolve_by && now > *d.resolve_by) return Breach::resolution;
  return Breach::none;
}

Supervision supervision(const Appeal& a, const SlaPolicy& sla, TimeMs now) {
  return Supervision{breach(a, sla, now) != Breach::none, a.dissatisfied_count >= 2, a.supervised};
}

nlohmann::json to_json(const SlaPolicy& sla) {
  auto limits = [](const Limits& l) {
    return nlohmann::json{{"respond_hours", l.respond.ms / hours(1).ms}, {"resolve_hours", l.resolve.ms / hours(1).ms}};
  };
  return {{"red", limits(sla.red)}, {"yellow", limits(sla.yellow)}, {"green", limits(sla.green)}};
}

Result<SlaPolicy> sla_from_json(const nlohmann::json& j) {
  SlaPolicy out;
  for (auto [key, slot] : {std::pair{"red", &out.red}, {"yellow", &out.yellow}, {"green", &out.green}}) {
    const auto it = j.find(key);
    if (it == j.end()) continue;  // unset colours keep the defaults
    const auto& l = *it;
    if (!l.is_object() || !l.contains("respond_hours") || !l.contains("resolve_hours") ||
        !l["respond_hours"].is_number_integer() || !l["resolve_hours"].is_number_integer()) {
      return make_error(Errc::invalid_input, std::string("sla ") + key);
    }
    const auto respond = l["respond_hours"].get<std::int64_t>();
    const auto resolve = l["resolve_hours"].get<std::int64_t>();
    if (respond <= 0 || resolve <= 0 || respond > resolve || resolve > 90 * 24) {
      return make_error(Errc::invalid_input, std::string("sla ") + key + " limits out of range");
    }
    *slot = Limits{hours(respond), hours(resolve)};
  }
  return out;
}

}  // namespace cunwu::appeals
