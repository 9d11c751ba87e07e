#pragma once
// Who may do what where: the one place where roles and scopes are checked.
#include "cunwu/base/ids.hpp"
#include "cunwu/base/result.hpp"
#include "cunwu/org/directory.hpp"

namespace cunwu::org {

/// Things a person asks to do; handling levels are separate actions so that the level is part
/// of the question, not an afterthought at the call site.
enum class Action {
  file_appeal,       ///< file for a courtyard: its residents, or a cadre serving it
  file_on_behalf,    ///< 代办: a cadre serving the courtyard files for a resident
  handle_level1,     ///< courtyard head of the appeal's courtyard
  handle_level2,     ///< village cadre of its village
  handle_level3,     ///< township staff of its township
  handle_level4,     ///< county staff of its county
  supervise,         ///< discipline inspector of a containing region
  host_only,         ///< the sync host itself (numbers, escalation on breach, verdicts)
  manage_org,        ///< admin of a containing region
  apply_points,      ///< 积分申请/兑换: a villager of the courtyard (the domain checks the household)
  review_points,     ///< approve or reject applications: village cadre, or head of the courtyard
  grant_points,      ///< award, deduct, reverse; the rule catalogue: village cadre of the village
  manage_shop,       ///< 积分超市 goods, stock, fulfilment: shopkeeper of the village
  publish_post,      ///< 公开: draft, publish, amend, answer: the cadre of the post's scope level
                     ///< (village cadre for a village, township staff for a township, county staff for the county)
  read_post,         ///< read and ask about a post: anyone in its scope (resident there, or a role in or above it)
};

/// The handling action for appeal level 1..4 (courtyard, village, township, county).
Action handle_action(int level);

/// Decides whether `user` may do `action` on something in `scope`.
/// Errors: unknown_user, host_only (only the host may), forbidden_role (holds no role that
/// allows it), out_of_scope (holds such a role, but not for a region containing `scope`).
Status authorize(const Directory& dir, const UserId& user, Action action, const RegionId& scope);

}  // namespace cunwu::org
