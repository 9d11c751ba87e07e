#include "cunwu/appeals/service.hpp"

#include <algorithm>
#include <charconv>
#include <cstdio>

#include "cunwu/appeals/domain.hpp"
#include "cunwu/appeals/triage.hpp"
#include "cunwu/org/access.hpp"
#include "cunwu/store/org_store.hpp"

namespace cunwu::appeals {
namespace {

using oplog::Json;
constexpr const char* kSlaKey = "appeals.sla";

std::string seq_key(const std::string& date) { return "appeals.seq." + date; }

}  // namespace

Status Service::act(const UserId& actor, const EntityId& id, const char* type, Json payload) {
  auto op = r_.submit(OpDraft{actor, type, id, {}, oplog::Visibility::participants, std::move(payload)});
  return op ? ok_status() : Status(op.error());
}

OpDraft Service::file_draft(const UserId& actor, const FileRequest& req) {
  Json atts = Json::array();
  for (const auto& a : req.attachments) atts.push_back({{"kind", a.kind}, {"sha256", a.sha256}});
  Json payload{{"category", name(req.category)}, {"urgency", name(req.urgency)}, {"text", req.text},
               {"attachments", atts}};
  if (req.on_behalf_of) payload["on_behalf_of"] = req.on_behalf_of->str();
  return OpDraft{actor, "appeal.file", {}, req.courtyard, oplog::Visibility::participants, std::move(payload)};
}

Result<EntityId> Service::file(const UserId& actor, const FileRequest& req) {
  CUNWU_ASSIGN(const auto op, r_.submit(file_draft(actor, req)));
  return op.entity;
}

Status Service::rehearse_file(const UserId& actor, const FileRequest& req) {
  return r_.rehearse(file_draft(actor, req));
}

Status Service::accept(const UserId& actor, const EntityId& id) { return act(actor, id, "appeal.accept", Json::object()); }
Status Service::reply(const UserId& actor, const EntityId& id, const std::string& text) {
  return act(actor, id, "appeal.reply", {{"text", text}});
}
Status Service::assign(const UserId& actor, const EntityId& id, const UserId& assignee) {
  return act(actor, id, "appeal.assign", {{"assignee", assignee.str()}});
}
Status Service::dispatch(const UserId& actor, const EntityId& id, const std::string& department) {
  CUNWU_ASSIGN(const auto a, get(id));
  const auto& dir = r_.directory();
  if (dir.departments_for(a.scope).empty()) return act(actor, id, "appeal.dispatch", {{"department", department}});
  const auto* d = dir.find_department(a.scope, department);
  if (!d) return make_error(Errc::unknown_department, department);
  return act(actor, id, "appeal.dispatch", {{"department", d->name}});
}
Status Service::escalate(const UserId& actor, const EntityId& id, const std::string& note) {
  return act(actor, id, "appeal.escalate", {{"reason", "manual"}, {"note", note}});
}
Status Service::resolve(const UserId& actor, const EntityId& id, const std::string& text) {
  return act(actor, id, "appeal.resolve", {{"text", text}});
}
Status Service::rate(const UserId& actor, const EntityId& id, Rating rating, const std::string& comment) {
  return act(actor, id, "appeal.rate", {{"rating", name(rating)}, {"comment", comment}});
}
Status Service::withdraw(const UserId& actor, const EntityId& id, const std::string& reason) {
  return act(actor, id, "appeal.withdraw", {{"reason", reason}});
}
Status Service::supervise(const UserId& actor, const EntityId& id, const std::string& note) {
  return act(actor, id, "appeal.supervise", {{"note", note}});
}

Status Service::merge(const UserId& actor, const EntityId& id, const EntityId& into) {
  CUNWU_TRY(check_merge(id, into));
  return act(actor, id, "appeal.merge", {{"into", into.str()}});
}

Status Service::check_merge(const EntityId& id, const EntityId& into) {
  if (id == into) return make_error(Errc::self_merge, id.str());
  CUNWU_ASSIGN(const auto self, get(id));
  CUNWU_ASSIGN(const auto target, get(into));
  if (!target.open() && target.status != AppealStatus::resolved) {
    return make_error(Errc::invalid_transition, "merge target is not open");
  }
  const auto& dir = r_.directory();
  CUNWU_ASSIGN(const auto v1, dir.ancestor_at(self.scope, org::RegionLevel::village));
  CUNWU_ASSIGN(const auto v2, dir.ancestor_at(target.scope, org::RegionLevel::village));
  if (v1 != v2) return make_error(Errc::out_of_scope, "duplicates must be in the same village");
  return ok_status();
}

Status Service::check_on_host(const oplog::Op& op) {
  if (op.type != "appeal.merge") return ok_status();
  const auto into = op.payload.find("into");
  if (into == op.payload.end() || !into->is_string()) return make_error(Errc::invalid_id, "merge without a target");
  return check_merge(op.entity, EntityId(into->get<std::string>()));
}

Result<RegionId> Service::county_of(const RegionId& scope) const {
  return r_.directory().ancestor_at(scope, org::RegionLevel::county);
}

Result<std::string> Service::assign_official_number(const EntityId& id, TimeMs now) {
  CUNWU_ASSIGN(const auto a, get(id));
  if (!a.official_number.empty()) return a.official_number;
  CUNWU_ASSIGN(const auto county, county_of(a.scope));
  const std::string date = china_date_compact(now);
  // The counter and the op commit together: a number is never issued twice, also after a crash.
  store::Transaction tx(r_.db());
  CUNWU_TRY(tx.status());
  CUNWU_ASSIGN(const auto current, store::get_setting(r_.db(), county, seq_key(date)));
  long last = 0;
  if (current) {
    const char* end = current->data() + current->size();
    const auto parsed = std::from_chars(current->data(), end, last);
    if (parsed.ec != std::errc() || parsed.ptr != end || last < 0) {
      return make_error(Errc::storage_error, "sequence " + seq_key(date) + " is " + current->substr(0, 20));
    }
  }
  // Past the last number of the day nothing is issued: the filing stays with its provisional number.
  if (last >= kMaxDailySequence) return make_error(Errc::numbers_exhausted, county.str() + " " + date);
  const long next = last + 1;
  CUNWU_TRY(store::put_setting(r_.db(), county, seq_key(date), std::to_string(next)));
  char number[32];
  std::snprintf(number, sizeof number, "%s%03ld", date.c_str(), next);
  CUNWU_ASSIGN(const auto op, r_.submit(OpDraft{kHostActor, "appeal.number", id, a.scope, oplog::Visibility::participants,
                                                Json{{"number", number}}}));
  (void)op;
  CUNWU_TRY(tx.commit());
  return std::string(number);
}

Result<std::vector<EntityId>> Service::escalate_overdue(TimeMs now) {
  CUNWU_ASSIGN(const auto ids, overdue(now));
  return escalate_overdue(now, ids);
}

Result<std::vector<EntityId>> Service::overdue(TimeMs now) {
  std::vector<EntityId> out;
  CUNWU_ASSIGN(const auto all, list());
  for (const auto& a : all) {
    CUNWU_ASSIGN(const Breach b, escalation_due(a, now));
    if (b != Breach::none) out.push_back(a.id);
  }
  return out;
}

Result<std::vector<EntityId>> Service::escalate_overdue(TimeMs now, std::span<const EntityId> ids) {
  std::vector<EntityId> out;
  for (const auto& id : ids) {
    auto a = get(id);
    if (!a && a.error().code == Errc::not_found) continue;
    if (!a) return a.error();
    CUNWU_ASSIGN(const Breach b, escalation_due(*a, now));
    if (b == Breach::none) continue;
    const char* reason = b == Breach::response ? "overdue_response" : "overdue_resolution";
    CUNWU_TRY(act(kHostActor, id, "appeal.escalate", {{"reason", reason}}));
    out.push_back(id);
  }
  return out;
}

Result<Breach> Service::escalation_due(const Appeal& a, TimeMs now) {
  if (a.level >= 4) return Breach::none;
  CUNWU_ASSIGN(const auto county, county_of(a.scope));
  CUNWU_ASSIGN(const auto policy, sla(county));
  return breach(a, policy, now);
}

Result<Appeal> Service::get(const EntityId& id) {
  // The folded appeal is copied as it is, rather than cloned, written as JSON and read back.
  // The id of another kind of entity (a post, a ledger) names no appeal: not found, and not
  // folded either.
  if (!id.str().starts_with(std::string(kKind) + "/")) {
    return make_error(Errc::not_found, id.str() + " is not an appeal");
  }
  CUNWU_ASSIGN(const oplog::EntityState* state, r_.log().peek(id));
  const auto* folded = dynamic_cast<const AppealState*>(state);
  if (!folded) return make_error(Errc::internal, id.str() + " folds into another state than an appeal");
  if (!folded->appeal.exists) return make_error(Errc::not_found, id.str());
  return folded->appeal;
}

namespace {

// The appeals that exist among stored appeal rows, in their order.
Result<std::vector<Appeal>> existing_appeals(const std::vector<store::EntityRow>& rows) {
  std::vector<Appeal> out;
  out.reserve(rows.size());
  for (const auto& row : rows) {
    CUNWU_ASSIGN(auto a, appeal_from_json(Json::parse(row.state, nullptr, false)));
    if (a.exists) out.push_back(std::move(a));
  }
  return out;
}

}  // namespace

Result<std::vector<Appeal>> Service::list(const std::optional<RegionId>& scope) {
  CUNWU_ASSIGN(const auto rows, r_.log().ops().entities(kKind, scope));
  return existing_appeals(rows);
}

Result<Service::Page> Service::list_after(const std::optional<RegionId>& scope, const std::string& after,
                                          std::size_t rows) {
  CUNWU_ASSIGN(const auto found, r_.log().ops().entities_after(kKind, scope, after, rows));
  Page out;
  CUNWU_ASSIGN(out.appeals, existing_appeals(found));
  if (found.size() == rows && !found.empty()) out.last = found.back().id.str();
  return out;
}

Result<ScopeRates> Service::rates(const RegionId& scope) {
  if (!r_.directory().region(scope)) return make_error(Errc::unknown_region, scope.str());
  CUNWU_ASSIGN(const auto county, county_of(scope));
  CUNWU_ASSIGN(const auto policy, sla(county));
  CUNWU_ASSIGN(const auto all, list(scope));
  return ScopeRates{overall(all, policy), metrics(all, GroupBy::month, policy, r_.directory())};
}

Result<std::vector<InboxItem>> Service::inbox(const UserId& user, TimeMs now) {
  std::vector<InboxItem> out;
  CUNWU_ASSIGN(const auto all, list());
  for (const auto& a : all) {
    if (!a.open() || !org::authorize(r_.directory(), user, org::handle_action(a.level), a.scope)) continue;
    CUNWU_ASSIGN(const auto county, county_of(a.scope));
    CUNWU_ASSIGN(const auto policy, sla(county));
    const auto next = next_due(a, policy);
    out.push_back(InboxItem{a, next ? std::optional(next->at) : std::nullopt, breach(a, policy, now), next,
                            next ? due_colour(*next, now) : DueColour::green});
  }
  std::stable_sort(out.begin(), out.end(), [](const InboxItem& x, const InboxItem& y) {
    const auto kFar = TimeMs{INT64_MAX};
    return x.due.value_or(kFar) < y.due.value_or(kFar);
  });
  return out;
}

Result<std::vector<SimilarAppeal>> Service::similar(const RegionId& where, Category category, std::string_view text,
                                                    std::size_t limit, const std::optional<EntityId>& exclude) {
  CUNWU_ASSIGN(const auto village, r_.directory().ancestor_at(where, org::RegionLevel::village));
  CUNWU_ASSIGN(auto all, list(village));
  std::vector<SimilarAppeal> out;
  for (auto& a : all) {
    if (!a.open() || (exclude && a.id == *exclude)) continue;
    const double score = appeals::similarity(text, a.text);
    if (score < kSimilarThreshold) continue;
    const bool same = a.category == category;
    out.push_back(SimilarAppeal{std::move(a), score, same});
  }
  std::sort(out.begin(), out.end(), [](const SimilarAppeal& x, const SimilarAppeal& y) {
    if (x.same_category != y.same_category) return x.same_category;
    if (x.score != y.score) return x.score > y.score;
    return x.appeal.filed_at > y.appeal.filed_at;
  });
  if (out.size() > limit) out.resize(limit);
  return out;
}

Result<std::vector<Appeal>> Service::duplicates_of(const EntityId& id) {
  CUNWU_ASSIGN(auto all, list());
  std::erase_if(all, [&](const Appeal& a) { return a.merged_into != id; });
  return all;
}

Result<SlaPolicy> Service::sla(const RegionId& county) {
  CUNWU_ASSIGN(const auto text, store::get_setting(r_.db(), county, kSlaKey));
  if (!text) return SlaPolicy{};
  return sla_from_json(Json::parse(*text, nullptr, false));
}

Status Service::set_sla(const UserId& actor, const RegionId& county, const SlaPolicy& sla) {
  const auto* region = r_.directory().region(county);
  if (!region || region->level != org::RegionLevel::county) return make_error(Errc::unknown_region, county.str());
  if (!org::authorize(r_.directory(), actor, org::Action::manage_org, county)) {
    CUNWU_TRY(org::authorize(r_.directory(), actor, org::Action::handle_level4, county));
  }
  // The stored form counts whole hours: refuse what it would silently round (90 min is not 1 h).
  for (const Limits* l : {&sla.red, &sla.yellow, &sla.green}) {
    if (l->respond.ms % hours(1).ms != 0 || l->resolve.ms % hours(1).ms != 0) {
      return make_error(Errc::invalid_input, "sla limits are whole hours");
    }
  }
  CUNWU_TRY(sla_from_json(to_json(sla)));
  return store::put_setting(r_.db(), county, kSlaKey, to_json(sla).dump());
}

}  // namespace cunwu::appeals
