// What the points screens read in one call each: a household's account, the reviewers' and the
// shopkeeper's queues (pending applications, redemptions by status) across a region's households.
#include <algorithm>
#include <tuple>

#include "cunwu/points/domain.hpp"
#include "cunwu/points/service.hpp"

namespace cunwu::points {
namespace {

// Every folded ledger within `scope`, with its household's name from the org tree.
template <class Visit>
Status each_ledger(Replica& r, const RegionId& scope, Visit&& visit) {
  CUNWU_ASSIGN(const auto rows, r.log().ops().entities(kLedgerKind, scope));
  for (const auto& row : rows) {
    CUNWU_ASSIGN(const Ledger l, ledger_from_json(oplog::Json::parse(row.state, nullptr, false)));
    if (!l.exists) continue;
    const auto* h = r.directory().household(l.household);
    visit(l, h ? h->name : l.household.str());
  }
  return ok_status();
}

}  // namespace

Result<Account> Service::account(const HouseholdId& household) {
  Account a;
  CUNWU_ASSIGN(a.ledger, ledger(household));
  CUNWU_ASSIGN(a.problems, problems(household));
  return a;
}

Result<std::vector<PendingApplication>> Service::pending_applications(const RegionId& scope) {
  std::vector<PendingApplication> out;
  CUNWU_TRY(each_ledger(r_, scope, [&](const Ledger& l, const std::string& name) {
    for (const auto& a : l.applications) {
      if (a.status == ApplicationStatus::pending) out.push_back({l.household, name, l.scope, a});
    }
  }));
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    return std::tie(a.application.at.ms, a.application.id) < std::tie(b.application.at.ms, b.application.id);
  });
  return out;
}

Result<std::vector<RedemptionItem>> Service::redemptions(const RegionId& scope, RedemptionStatus status) {
  std::vector<RedemptionItem> out;
  CUNWU_TRY(each_ledger(r_, scope, [&](const Ledger& l, const std::string& name) {
    for (const auto& x : l.redemptions) {
      if (x.status == status) out.push_back({l.household, name, l.scope, x});
    }
  }));
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    return std::tie(a.redemption.at.ms, a.redemption.id) < std::tie(b.redemption.at.ms, b.redemption.id);
  });
  return out;
}

}  // namespace cunwu::points
