#pragma once
// The appeals service: typed commands and queries over a Replica. Commands author ops (so they
// work offline and sync); host commands are for the sync host's replica.
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "cunwu/appeals/metrics.hpp"
#include "cunwu/appeals/sla.hpp"
#include "cunwu/appeals/types.hpp"
#include "cunwu/replica.hpp"

namespace cunwu::appeals {

/// What a villager fills in to file an appeal.
struct FileRequest {
  RegionId courtyard;
  Category category = Category::other;
  Urgency urgency = Urgency::green;
  std::string text;
  std::vector<Attachment> attachments;
  std::optional<UserId> on_behalf_of;  ///< 代办: the resident a cadre files for
};

/// An appeal in a handler's inbox with its deadline and the countdown's colour at the inbox's
/// `now` (next_due and due_colour in sla.hpp, from the county's policy).
struct InboxItem {
  Appeal appeal;
  std::optional<TimeMs> due;  ///< the nearest deadline, if registered
  Breach breach = Breach::none;
  std::optional<Due> next;    ///< that deadline: which limit and how long it is
  DueColour colour = DueColour::green;  ///< green while unregistered (no deadline yet)
};

/// An open appeal that reads like a text being written (a likely duplicate).
struct SimilarAppeal {
  Appeal appeal;
  double score = 0;            ///< similarity(), kSimilarThreshold..1
  bool same_category = false;  ///< listed before those of other categories
};

/// 考核 — the figures of a region's appeals for its dashboard (see metrics.hpp for each rate).
struct ScopeRates {
  Rates overall;
  std::map<std::string, Rates> by_month;  ///< by filing month in China ("2026-07"), ascending
};

/// Commands and queries. Every command returns the catalogued error of the rule it breaks and
/// then has written nothing.
class Service {
 public:
  explicit Service(Replica& replica) : r_(replica) {}

  /// Files an appeal for `req.courtyard`; returns its entity id. Errors: unknown_region,
  /// text_empty, text_too_long, invalid_utf8, invalid_attachment, forbidden_role, out_of_scope.
  Result<EntityId> file(const UserId& actor, const FileRequest& req);
  /// Runs the filing of `req` and takes it back (Replica::rehearse): ok or the error `file` would
  /// give, with nothing filed. The browser does it once the compose screen opens, so that the
  /// villager's real filing finds the core's code compiled and its statements prepared.
  Status rehearse_file(const UserId& actor, const FileRequest& req);
  Status accept(const UserId& actor, const EntityId& id);
  Status reply(const UserId& actor, const EntityId& id, const std::string& text);
  Status assign(const UserId& actor, const EntityId& id, const UserId& assignee);
  /// 转派 — sends the appeal to a department. Where the org tree defines departments serving the
  /// appeal's courtyard (Directory::departments_for), `department` must be one of them, by id or
  /// name, and the op carries its name (error unknown_department); elsewhere it is free text.
  /// Errors as the other commands (not_found, forbidden_role, invalid_transition, text_empty...).
  Status dispatch(const UserId& actor, const EntityId& id, const std::string& department);
  /// Escalates by hand to the next level (error top_level_reached at county level).
  Status escalate(const UserId& actor, const EntityId& id, const std::string& note);
  Status resolve(const UserId& actor, const EntityId& id, const std::string& text);
  /// The filer rates a resolved appeal; dissatisfied reopens it. Error not_resolved.
  Status rate(const UserId& actor, const EntityId& id, Rating rating, const std::string& comment = {});
  Status withdraw(const UserId& actor, const EntityId& id, const std::string& reason = {});
  /// Merges duplicate `id` into `into` (same village, open). Errors: self_merge, not_found, out_of_scope.
  Status merge(const UserId& actor, const EntityId& id, const EntityId& into);
  /// Host, before accepting a pushed op: the rules that look at another appeal than the op's
  /// own, which only the host's whole log can check. A merge's target must exist, be open (or
  /// resolved) and be in the same village, so that no handler closes an appeal by merging it
  /// into nothing. Other ops pass. Errors: self_merge, not_found, invalid_transition,
  /// out_of_scope, invalid_id.
  Status check_on_host(const oplog::Op& op);
  Status supervise(const UserId& actor, const EntityId& id, const std::string& note);

  /// Host: gives the appeal its official number YYYYMMDD + daily sequence per county (date of
  /// `now` in China; the sequence zero-padded to 3 digits, up to kMaxDailySequence). Idempotent:
  /// an appeal that has a number keeps it. Errors: numbers_exhausted (the county's numbers of
  /// the day are used up; nothing is written and the appeal keeps its provisional number),
  /// not_found, unknown_region, storage_error.
  Result<std::string> assign_official_number(const EntityId& id, TimeMs now);
  /// Host: escalates every open, registered appeal whose current level's limit has passed at
  /// `now`; returns the escalated ids. Appeals at county level stay there (flagged overdue).
  /// `overdue` then the escalation of those.
  Result<std::vector<EntityId>> escalate_overdue(TimeMs now);
  /// The appeals escalate_overdue(now) would escalate, ordered by id. Reads only (the stored
  /// rows of every appeal), so a host may ask on a connection of its own, beside its writes.
  Result<std::vector<EntityId>> overdue(TimeMs now);
  /// Escalates each of `ids` that is overdue at `now` on this replica's state (checked again:
  /// it may have moved since it was found overdue); returns the escalated ids. An id of no
  /// appeal is passed over.
  Result<std::vector<EntityId>> escalate_overdue(TimeMs now, std::span<const EntityId> ids);

  /// The folded appeal. Error not_found (also for the id of another kind of entity),
  /// storage_error.
  Result<Appeal> get(const EntityId& id);
  /// Appeals within `scope` (all when empty), ordered by id.
  Result<std::vector<Appeal>> list(const std::optional<RegionId>& scope = {});
  /// One page of `list`: the appeals among the first `rows` stored entities of the kind whose
  /// id sorts after `after` ("" for the first page), and the id of the last of those rows (""
  /// when there were fewer than `rows`: nothing is left after them).
  struct Page {
    std::vector<Appeal> appeals;
    std::string last;
  };
  Result<Page> list_after(const std::optional<RegionId>& scope, const std::string& after, std::size_t rows);
  /// Open appeals that `user` handles at their current level, nearest deadline first.
  Result<std::vector<InboxItem>> inbox(const UserId& user, TimeMs now);
  /// Response, resolution and satisfaction rates of the appeals within `scope` that this
  /// replica holds, against the county's time limits. Errors: unknown_region, storage_error.
  Result<ScopeRates> rates(const RegionId& scope);
  /// 类似诉求 — open appeals of the village of `where` (any region inside a village, e.g. the
  /// courtyard of the appeal being written) whose text reads like `text` (similarity() ≥
  /// kSimilarThreshold): same category first, then by score, then newest; at most `limit`;
  /// without `exclude` (the appeal itself, when a handler looks for merge targets). Only the
  /// appeals this replica holds: a villager's phone holds their own (appeals are seen by their
  /// participants), a cadre's the village's. Errors: unknown_region (no village above `where`),
  /// storage_error.
  Result<std::vector<SimilarAppeal>> similar(const RegionId& where, Category category, std::string_view text,
                                             std::size_t limit = 5, const std::optional<EntityId>& exclude = {});
  /// Appeals merged into `id`.
  Result<std::vector<Appeal>> duplicates_of(const EntityId& id);

  /// The county's time limits (defaults when unset).
  Result<SlaPolicy> sla(const RegionId& county);
  /// Sets the county's time limits; county staff or admins of the county only.
  /// Errors: unknown_region, invalid_input, forbidden_role, out_of_scope.
  Status set_sla(const UserId& actor, const RegionId& county, const SlaPolicy& sla);

 private:
  Status act(const UserId& actor, const EntityId& id, const char* type, oplog::Json payload);
  static OpDraft file_draft(const UserId& actor, const FileRequest& req);
  Status check_merge(const EntityId& id, const EntityId& into);
  Result<RegionId> county_of(const RegionId& scope) const;
  /// Which limit of `a`'s current level has passed at `now` (none at county level).
  Result<Breach> escalation_due(const Appeal& a, TimeMs now);

  Replica& r_;
};

/// The timeline as the villager reads it, one line a node, in Chinese.
std::string timeline_text_zh(const Appeal& a, const org::Directory& dir);

}  // namespace cunwu::appeals
