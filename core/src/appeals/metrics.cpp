#include "cunwu/appeals/metrics.hpp"

#include <algorithm>

namespace cunwu::appeals {
namespace {

bool counted(const Appeal& a) { return a.exists && a.status != AppealStatus::withdrawn && a.status != AppealStatus::merged; }

std::string key_of(const Appeal& a, GroupBy by, const org::Directory& dir) {
  switch (by) {
    case GroupBy::handler:
      if (a.resolver) return a.resolver->str();
      return a.assignee ? a.assignee->str() : "unassigned";
    case GroupBy::village: {
      auto v = dir.ancestor_at(a.scope, org::RegionLevel::village);
      return v ? v->str() : "unknown";
    }
    case GroupBy::township: {
      auto t = dir.ancestor_at(a.scope, org::RegionLevel::township);
      return t ? t->str() : "unknown";
    }
    case GroupBy::month: return china_month(a.filed_at);
  }
  return "unknown";
}

void finish(Rates& r, std::vector<std::int64_t>& handling) {
  if (r.filed > 0) {
    r.response_rate = double(r.responded) / r.filed;
    r.resolution_rate = double(r.resolved) / r.filed;
  }
  if (r.rated > 0) r.satisfaction_rate = double(r.satisfied) / r.rated;
  if (!handling.empty()) {
    std::sort(handling.begin(), handling.end());
    const std::size_t n = handling.size();
    const std::int64_t median = n % 2 ? handling[n / 2] : (handling[n / 2 - 1] + handling[n / 2]) / 2;
    r.median_handling = Duration{median};
  }
}

void add(Rates& r, std::vector<std::int64_t>& handling, const Appeal& a, const SlaPolicy& sla) {
  ++r.filed;
  if (a.first_response_at) {
    ++r.responded;
    const TimeMs start = a.registered_at.value_or(a.filed_at);
    if (*a.first_response_at - start <= sla.for_urgency(a.urgency).respond) ++r.responded_in_time;
  }
  if (a.status == AppealStatus::resolved || a.status == AppealStatus::closed) {
    ++r.resolved;
    // Like response time, handling time starts when the host registered the appeal: a phone
    // that was offline for days does not count against the handlers.
    if (a.resolved_at) handling.push_back((*a.resolved_at - a.registered_at.value_or(a.filed_at)).ms);
  }
  if (a.rating) {
    ++r.rated;
    if (*a.rating != Rating::dissatisfied) ++r.satisfied;
  }
}

}  // namespace

Rates overall(const std::vector<Appeal>& appeals, const SlaPolicy& sla) {
  Rates r;
  std::vector<std::int64_t> handling;
  for (const auto& a : appeals) {
    if (counted(a)) add(r, handling, a, sla);
  }
  finish(r, handling);
  return r;
}

std::map<std::string, Rates> metrics(const std::vector<Appeal>& appeals, GroupBy by, const SlaPolicy& sla,
                                     const org::Directory& dir) {
  std::map<std::string, Rates> out;
  std::map<std::string, std::vector<std::int64_t>> handling;
  for (const auto& a : appeals) {
    if (!counted(a)) continue;
    const std::string key = key_of(a, by, dir);
    add(out[key], handling[key], a, sla);
  }
  for (auto& [key, r] : out) finish(r, handling[key]);
  return out;
}

}  // namespace cunwu::appeals
