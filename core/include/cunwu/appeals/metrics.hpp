#pragma once
// 考核指标 — response, resolution and satisfaction rates and handling time, grouped.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "cunwu/appeals/types.hpp"
#include "cunwu/org/directory.hpp"

namespace cunwu::appeals {

/// Figures for one group of appeals. Withdrawn and merged appeals are not counted: they were
/// not the handlers' to answer.
struct Rates {
  int filed = 0;              ///< appeals counted
  int responded = 0;          ///< got a first response (accept, reply, dispatch or resolve)
  int responded_in_time = 0;  ///< ... within the respond limit of their urgency
  int resolved = 0;           ///< resolved or closed now
  int rated = 0;              ///< carry a rating now
  int satisfied = 0;          ///< rated satisfied or very satisfied
  double response_rate = 0;      ///< responded / filed
  double resolution_rate = 0;    ///< resolved / filed
  double satisfaction_rate = 0;  ///< satisfied / rated
  std::optional<Duration> median_handling;  ///< median of resolved_at - registered_at (else filed_at)
};

/// How to group appeals.
enum class GroupBy {
  handler,   ///< the resolver, else the assignee, else "unassigned"
  village,   ///< the village region id
  township,  ///< the township region id
  month,     ///< the filing month in China, "YYYY-MM"
};

/// Rates over all of `appeals`.
Rates overall(const std::vector<Appeal>& appeals, const SlaPolicy& sla);

/// Rates per group key, keys in ascending order.
std::map<std::string, Rates> metrics(const std::vector<Appeal>& appeals, GroupBy by, const SlaPolicy& sla,
                                     const org::Directory& dir);

}  // namespace cunwu::appeals
