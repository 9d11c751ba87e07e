// Appeal transitions. Each handler validates everything first and mutates only on success, so
// a refused op leaves the state untouched (it becomes a conflict, not a half-applied change).
#include "cunwu/appeals/domain.hpp"

#include <algorithm>
#include <functional>
#include <map>
#include <string_view>

#include "cunwu/base/text.hpp"
#include "cunwu/org/access.hpp"

namespace cunwu::appeals {
namespace {

using oplog::Json;
using oplog::Op;

struct Ctx {
  Appeal& a;
  const Op& op;
  const oplog::FoldContext& fold;
  TimeMs at() const { return TimeMs{op.hlc.wall}; }
};

using Handler = std::function<Status(Ctx&)>;

Result<std::string> text_field(const Json& p, const char* key, std::size_t max, bool optional = false) {
  const auto it = p.find(key);
  if (it == p.end() || it->is_null()) {
    if (optional) return std::string();
    return make_error(Errc::text_empty, std::string(key) + " missing");
  }
  if (!it->is_string()) return make_error(Errc::invalid_input, std::string(key) + " is not text");
  const auto& s = it->get_ref<const std::string&>();
  if (optional && trim(s).empty()) return is_valid_utf8(s) ? Result<std::string>(std::string()) : make_error(Errc::invalid_utf8, key);
  return validate_text(s, max, key);
}

Result<std::string> enum_field(const Json& p, const char* key, Errc code) {
  const auto it = p.find(key);
  if (it == p.end() || !it->is_string()) return make_error(code, std::string(key) + " missing");
  return it->get<std::string>();
}

// Plain character checks rather than std::regex: GCC 12 reports a false -Wmaybe-uninitialized
// inside <regex> in the sanitizer build (which -Werror turns into a build failure), and regex
// costs code size and time in the WASM build.
bool is_digit(char ch) { return ch >= '0' && ch <= '9'; }

bool is_sha256_hex(std::string_view s) {
  return s.size() == 64 && std::all_of(s.begin(), s.end(), [](char ch) { return is_digit(ch) || (ch >= 'a' && ch <= 'f'); });
}

// YYYYMMDD and a daily sequence of 3 (zero-padded) to 6 digits, up to kMaxDailySequence.
bool is_official_number(std::string_view s) {
  return s.size() >= 8 + 3 && s.size() <= 8 + 6 && std::all_of(s.begin(), s.end(), is_digit);
}

void add_node(Ctx& c, std::string kind, std::string text = {}) {
  c.a.timeline.push_back(ProgressNode{std::move(kind), c.at(), c.op.actor, c.a.level, std::move(text)});
}

// Appeals that are no longer open refuse every handling op with the reason a person can act on.
Status require_open(const Appeal& a) {
  if (!a.exists) return make_error(Errc::not_found, "appeal not filed");
  switch (a.status) {
    case AppealStatus::closed: return make_error(Errc::already_closed, a.id.str());
    case AppealStatus::withdrawn: return make_error(Errc::already_withdrawn, a.id.str());
    case AppealStatus::merged: return make_error(Errc::already_merged, a.id.str());
    default: return ok_status();
  }
}

// The actor must handle the appeal's current level; someone who handles another level learns
// that the appeal moved on (not_handler) rather than that they lack a role.
Status require_handler(const Ctx& c) {
  auto s = org::authorize(c.fold.dir, c.op.actor, org::handle_action(c.a.level), c.a.scope);
  if (s) return s;
  for (int other = 1; other <= 4; ++other) {
    if (other != c.a.level && org::authorize(c.fold.dir, c.op.actor, org::handle_action(other), c.a.scope)) {
      return make_error(Errc::not_handler, c.op.actor.str() + " handles level " + std::to_string(other) +
                                               ", appeal is at level " + std::to_string(c.a.level));
    }
  }
  return s;
}

Status require_filer(const Ctx& c) {
  if (c.op.actor != c.a.filer) return make_error(Errc::not_filer, c.op.actor.str());
  return ok_status();
}

Status require_handling(Ctx& c) {
  CUNWU_TRY(require_open(c.a));
  if (c.a.status == AppealStatus::resolved) return make_error(Errc::invalid_transition, "already resolved");
  return require_handler(c);
}

void mark_response(Ctx& c) {
  if (!c.a.responded_at) c.a.responded_at = c.at();
  if (!c.a.first_response_at) c.a.first_response_at = c.at();
  if (c.a.status == AppealStatus::submitted || c.a.status == AppealStatus::reopened) c.a.status = AppealStatus::accepted;
}

Result<std::vector<Attachment>> parse_attachments(const Json& p) {
  std::vector<Attachment> out;
  const auto it = p.find("attachments");
  if (it == p.end()) return out;
  if (!it->is_array() || it->size() > kMaxAttachments) return make_error(Errc::invalid_attachment, "attachments");
  for (const auto& at : *it) {
    if (!at.is_object() || !at.contains("kind") || !at.contains("sha256") || !at["kind"].is_string() ||
        !at["sha256"].is_string()) {
      return make_error(Errc::invalid_attachment, "attachment shape");
    }
    const auto kind = at["kind"].get<std::string>();
    const auto hash = at["sha256"].get<std::string>();
    if ((kind != "photo" && kind != "voice") || !is_sha256_hex(hash)) {
      return make_error(Errc::invalid_attachment, kind + " " + hash.substr(0, 80));
    }
    out.push_back({kind, hash});
  }
  return out;
}

Status on_file(Ctx& c) {
  if (c.a.exists) return make_error(Errc::invalid_transition, "already filed");
  CUNWU_ASSIGN(const auto cat_name, enum_field(c.op.payload, "category", Errc::unknown_category));
  CUNWU_ASSIGN(const auto category, parse_category(cat_name));
  CUNWU_ASSIGN(const auto urg_name, enum_field(c.op.payload, "urgency", Errc::unknown_urgency));
  CUNWU_ASSIGN(const auto urgency, parse_urgency(urg_name));
  CUNWU_ASSIGN(auto text, text_field(c.op.payload, "text", kMaxAppealChars));
  CUNWU_ASSIGN(auto attachments, parse_attachments(c.op.payload));
  const auto* region = c.fold.dir.region(c.op.scope);
  if (!region || region->level != org::RegionLevel::courtyard) {
    return make_error(Errc::unknown_region, "appeals are filed for a courtyard: " + c.op.scope.str());
  }
  UserId filer = c.op.actor;
  std::optional<UserId> filed_by;
  if (const auto it = c.op.payload.find("on_behalf_of"); it != c.op.payload.end() && !it->is_null()) {
    // 代办: a cadre files for a resident (an elderly villager without a phone); the appeal is
    // the resident's to follow, rate and withdraw.
    if (!it->is_string()) return make_error(Errc::invalid_id, "on_behalf_of");
    const UserId resident(it->get<std::string>());
    const auto* u = c.fold.dir.user(resident);
    if (!u) return make_error(Errc::unknown_user, resident.str());
    if (!u->home || *u->home != c.op.scope) return make_error(Errc::out_of_scope, resident.str() + " lives elsewhere");
    CUNWU_TRY(org::authorize(c.fold.dir, c.op.actor, org::Action::file_on_behalf, c.op.scope));
    filed_by = c.op.actor;
    filer = resident;
  } else {
    CUNWU_TRY(org::authorize(c.fold.dir, c.op.actor, org::Action::file_appeal, c.op.scope));
  }
  Appeal& a = c.a;
  a.exists = true;
  a.scope = c.op.scope;
  a.filer = std::move(filer);
  a.filed_by = std::move(filed_by);
  a.category = category;
  a.urgency = urgency;
  a.text = std::move(text);
  a.attachments = std::move(attachments);
  a.provisional_number = "临" + china_date_compact(c.at()) + "-" + oplog::to_string(c.op.id);
  a.status = AppealStatus::submitted;
  a.level = 1;
  a.filed_at = c.at();
  a.level_since = c.at();
  add_node(c, "filed", a.text);
  return ok_status();
}

Status on_number(Ctx& c) {
  CUNWU_TRY(org::authorize(c.fold.dir, c.op.actor, org::Action::host_only, c.a.scope));
  if (!c.a.exists) return make_error(Errc::not_found, "appeal not filed");
  if (!c.a.official_number.empty()) return make_error(Errc::number_taken, c.a.official_number);
  CUNWU_ASSIGN(const auto number, enum_field(c.op.payload, "number", Errc::invalid_input));
  if (!is_official_number(number)) return make_error(Errc::invalid_input, "number " + number.substr(0, 40));
  c.a.official_number = number;
  c.a.registered_at = c.at();
  add_node(c, "numbered", number);
  return ok_status();
}

Status on_accept(Ctx& c) {
  CUNWU_TRY(require_handling(c));
  if (c.a.status == AppealStatus::accepted) return make_error(Errc::invalid_transition, "already accepted");
  mark_response(c);
  add_node(c, "accepted");
  return ok_status();
}

Status on_reply(Ctx& c) {
  CUNWU_TRY(require_handling(c));
  CUNWU_ASSIGN(auto text, text_field(c.op.payload, "text", kMaxReplyChars));
  mark_response(c);
  add_node(c, "replied", std::move(text));
  return ok_status();
}

Status on_assign(Ctx& c) {
  CUNWU_TRY(require_handling(c));
  CUNWU_ASSIGN(const auto who, enum_field(c.op.payload, "assignee", Errc::invalid_input));
  const UserId assignee(who);
  if (!org::authorize(c.fold.dir, assignee, org::handle_action(c.a.level), c.a.scope)) {
    return make_error(Errc::invalid_input, who + " cannot handle level " + std::to_string(c.a.level));
  }
  c.a.assignee = assignee;
  add_node(c, "assigned", who);
  return ok_status();
}

Status on_dispatch(Ctx& c) {
  CUNWU_TRY(require_handling(c));
  CUNWU_ASSIGN(auto dept, text_field(c.op.payload, "department", 60));
  // Where the county has a catalogue of departments, an appeal goes only to one that serves it.
  if (!c.fold.dir.departments_for(c.a.scope).empty() && !c.fold.dir.find_department(c.a.scope, dept)) {
    return make_error(Errc::unknown_department, dept);
  }
  c.a.department = dept;
  mark_response(c);
  add_node(c, "dispatched", std::move(dept));
  return ok_status();
}

Status on_escalate(Ctx& c) {
  CUNWU_TRY(require_open(c.a));
  if (c.a.status == AppealStatus::resolved) return make_error(Errc::invalid_transition, "already resolved");
  CUNWU_ASSIGN(const auto reason, enum_field(c.op.payload, "reason", Errc::invalid_input));
  if (reason == "manual") {
    CUNWU_TRY(require_handler(c));
  } else if (reason == "overdue_response" || reason == "overdue_resolution") {
    CUNWU_TRY(org::authorize(c.fold.dir, c.op.actor, org::Action::host_only, c.a.scope));
  } else {
    return make_error(Errc::invalid_input, "escalation reason " + reason.substr(0, 40));
  }
  CUNWU_ASSIGN(auto note, text_field(c.op.payload, "note", kMaxNoteChars, true));
  if (c.a.level >= 4) return make_error(Errc::top_level_reached, c.a.id.str());
  // The node carries the level the appeal leaves (where the breach or the hand-over happened);
  // the timeline names the next level from it.
  add_node(c, "escalated", reason == "manual" ? note : reason);
  Appeal& a = c.a;
  ++a.level;
  ++a.escalations;
  a.level_since = c.at();
  a.responded_at.reset();
  a.assignee.reset();
  a.status = a.status == AppealStatus::reopened ? AppealStatus::reopened : AppealStatus::submitted;
  return ok_status();
}

Status on_resolve(Ctx& c) {
  CUNWU_TRY(require_handling(c));
  CUNWU_ASSIGN(auto text, text_field(c.op.payload, "text", kMaxReplyChars));
  mark_response(c);
  c.a.status = AppealStatus::resolved;
  c.a.resolved_at = c.at();
  c.a.resolver = c.op.actor;
  add_node(c, "resolved", std::move(text));
  return ok_status();
}

Status on_rate(Ctx& c) {
  CUNWU_TRY(require_open(c.a));
  CUNWU_TRY(require_filer(c));
  if (c.a.status != AppealStatus::resolved) return make_error(Errc::not_resolved, std::string(name(c.a.status)));
  CUNWU_ASSIGN(const auto rating_name, enum_field(c.op.payload, "rating", Errc::unknown_rating));
  CUNWU_ASSIGN(const auto rating, parse_rating(rating_name));
  CUNWU_ASSIGN(auto comment, text_field(c.op.payload, "comment", kMaxNoteChars, true));
  Appeal& a = c.a;
  a.rating = rating;
  add_node(c, "rated", std::string(name(rating)) + (comment.empty() ? "" : ": " + comment));
  if (rating == Rating::dissatisfied) {
    // 不满意 reopens the appeal at the same level with fresh time limits.
    ++a.dissatisfied_count;
    a.status = AppealStatus::reopened;
    a.level_since = c.at();
    a.responded_at.reset();
    a.resolved_at.reset();
    add_node(c, "reopened");
  } else {
    a.status = AppealStatus::closed;
  }
  return ok_status();
}

Status on_withdraw(Ctx& c) {
  CUNWU_TRY(require_open(c.a));
  CUNWU_TRY(require_filer(c));
  if (c.a.status == AppealStatus::resolved) return make_error(Errc::invalid_transition, "resolved appeals are rated, not withdrawn");
  CUNWU_ASSIGN(auto reason, text_field(c.op.payload, "reason", kMaxNoteChars, true));
  c.a.status = AppealStatus::withdrawn;
  add_node(c, "withdrawn", std::move(reason));
  return ok_status();
}

Status on_merge(Ctx& c) {
  CUNWU_TRY(require_handling(c));
  CUNWU_ASSIGN(const auto into, enum_field(c.op.payload, "into", Errc::invalid_id));
  if (!into.starts_with("appeal/") || into.size() > 200) return make_error(Errc::invalid_id, into.substr(0, 80));
  if (into == c.a.id.str()) return make_error(Errc::self_merge, into);
  c.a.status = AppealStatus::merged;
  c.a.merged_into = EntityId(into);
  add_node(c, "merged", into);
  return ok_status();
}

Status on_supervise(Ctx& c) {
  if (!c.a.exists) return make_error(Errc::not_found, "appeal not filed");
  CUNWU_TRY(org::authorize(c.fold.dir, c.op.actor, org::Action::supervise, c.a.scope));
  CUNWU_ASSIGN(auto note, text_field(c.op.payload, "note", kMaxNoteChars));
  c.a.supervised = true;
  add_node(c, "supervised", std::move(note));
  return ok_status();
}

const std::map<std::string, Handler, std::less<>>& handlers() {
  static const std::map<std::string, Handler, std::less<>> kHandlers{
      {"appeal.file", on_file},         {"appeal.number", on_number},     {"appeal.accept", on_accept},
      {"appeal.reply", on_reply},       {"appeal.assign", on_assign},     {"appeal.dispatch", on_dispatch},
      {"appeal.escalate", on_escalate}, {"appeal.resolve", on_resolve},   {"appeal.rate", on_rate},
      {"appeal.withdraw", on_withdraw}, {"appeal.merge", on_merge},       {"appeal.supervise", on_supervise},
  };
  return kHandlers;
}

class AppealDomain final : public oplog::Domain {
 public:
  std::string_view kind() const override { return kKind; }
  bool knows(std::string_view type) const override { return handlers().contains(type); }
  // An appeal is for the people it concerns and those who handle it, never the whole courtyard.
  std::optional<oplog::Visibility> visibility_of(std::string_view) const override {
    return oplog::Visibility::participants;
  }
  std::unique_ptr<oplog::EntityState> empty(const EntityId& id) const override {
    Appeal a;
    a.id = id;
    return std::make_unique<AppealState>(std::move(a));
  }
  Result<std::unique_ptr<oplog::EntityState>> from_json(const Json& j) const override {
    CUNWU_ASSIGN(auto a, appeal_from_json(j));
    return std::unique_ptr<oplog::EntityState>(std::make_unique<AppealState>(std::move(a)));
  }
  Status apply(oplog::EntityState& state, const Op& op, const oplog::FoldContext& ctx) const override {
    auto& s = static_cast<AppealState&>(state);
    const auto it = handlers().find(op.type);
    if (it == handlers().end()) return make_error(Errc::unknown_op_type, op.type);
    // Work on a copy so that a refused op cannot leave a half-made change behind.
    Appeal next = s.appeal;
    Ctx c{next, op, ctx};
    CUNWU_TRY(it->second(c));
    s.appeal = std::move(next);
    return ok_status();
  }
};

}  // namespace

std::unique_ptr<oplog::Domain> make_domain() { return std::make_unique<AppealDomain>(); }

}  // namespace cunwu::appeals
