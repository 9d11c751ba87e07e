// Post transitions. Each handler validates everything before it changes anything, and works on a
// copy, so a refused op leaves the state untouched (it becomes a conflict, never half-applied).
#include "cunwu/disclosure/domain.hpp"

#include <functional>
#include <map>

#include "cunwu/base/text.hpp"
#include "cunwu/disclosure/content.hpp"
#include "cunwu/disclosure/mask.hpp"
#include "cunwu/disclosure/search.hpp"
#include "cunwu/org/access.hpp"
#include "cunwu/store/disclosure_store.hpp"

namespace cunwu::disclosure {
namespace {

using oplog::Op;

struct Ctx {
  Post& p;
  const Op& op;
  const oplog::FoldContext& fold;
  TimeMs at() const { return TimeMs{op.hlc.wall}; }
  std::string op_id() const { return oplog::to_string(op.id); }
};

using Handler = std::function<Status(Ctx&)>;

Result<std::string> text_of(const Json& p, const char* key, std::size_t max) {
  const auto it = p.find(key);
  if (it == p.end() || it->is_null()) return make_error(Errc::text_empty, std::string(key) + " missing");
  if (!it->is_string()) return make_error(Errc::invalid_input, std::string(key) + " is not text");
  return validate_text(it->get_ref<const std::string&>(), max, key);
}

Result<int> int_of(const Json& p, const char* key) {
  const auto it = p.find(key);
  if (it == p.end() || !it->is_number_integer() || it->get<std::int64_t>() < 0 || it->get<std::int64_t>() > 1'000'000'000) {
    return make_error(Errc::invalid_input, std::string(key) + " must be a whole number");
  }
  return int(it->get<std::int64_t>());
}

Result<Json> fields_of_payload(const Ctx& c) {
  const auto it = c.op.payload.find("fields");
  if (it == c.op.payload.end()) return make_error(Errc::invalid_input, "fields missing");
  return check_fields(c.p.type, *it);
}

Status require_exists(const Post& p) {
  return p.exists ? ok_status() : Status(make_error(Errc::not_found, "post not drafted: " + p.id.str()));
}

Status require_published(const Post& p) {
  CUNWU_TRY(require_exists(p));
  return p.status == PostStatus::published ? ok_status() : Status(make_error(Errc::not_published, p.id.str()));
}

Status require_draft(const Post& p) {
  CUNWU_TRY(require_exists(p));
  if (p.status == PostStatus::published) {
    return make_error(Errc::already_published, p.id.str() + " is published (version " + std::to_string(p.versions.size()) +
                                                   "): correct it with an amendment");
  }
  return ok_status();
}

Status require_cadre(const Ctx& c) { return org::authorize(c.fold.dir, c.op.actor, org::Action::publish_post, c.p.scope); }

// The op id of the value the editor saw for `field`, when the edit says so.
std::optional<std::string> base_of(const Ctx& c, const std::string& field) {
  const auto base = c.op.payload.find("base");
  if (base == c.op.payload.end() || !base->is_object()) return std::nullopt;
  const auto it = base->find(field);
  if (it == base->end() || !it->is_string()) return std::nullopt;
  return it->get<std::string>();
}

// Last writer wins per field. The value replaced is a superseded edit when its writer's edit was
// not seen by this one: the edit names another base, or (without a base) another person wrote it.
void write_field(Ctx& c, const std::string& field, const Json& value) {
  Post& p = c.p;
  if (const auto prev = p.stamps.find(field); prev != p.stamps.end()) {
    const auto base = base_of(c, field);
    const bool unseen = base ? *base != prev->second.op : prev->second.actor != c.op.actor;
    if (unseen) {
      p.superseded.push_back({field, prev->second.op, prev->second.actor, prev->second.at,
                              p.draft.value(field, Json()), c.op_id(), c.op.actor});
    }
  }
  if (value.is_null()) {
    p.draft.erase(field);
  } else {
    p.draft[field] = value;
  }
  p.stamps[field] = Stamp{c.op_id(), c.op.actor, c.at()};
}

Status on_draft(Ctx& c) {
  if (c.p.exists) return make_error(Errc::invalid_transition, "post already drafted");
  const auto type = c.op.payload.find("type");
  if (type == c.op.payload.end() || !type->is_string()) return make_error(Errc::unknown_post_type, "type missing");
  CUNWU_ASSIGN(const PostType t, parse_post_type(type->get<std::string>()));
  c.p.type = t;
  c.p.scope = c.op.scope;
  CUNWU_TRY(require_cadre(c));
  CUNWU_ASSIGN(const Json fields, fields_of_payload(c));
  c.p.exists = true;
  c.p.author = c.op.actor;
  c.p.status = PostStatus::draft;
  for (const auto& [field, value] : fields.items()) {
    if (!value.is_null()) write_field(c, field, value);
  }
  c.p.revision = 1;
  return ok_status();
}

Status on_edit(Ctx& c) {
  CUNWU_TRY(require_draft(c.p));
  CUNWU_TRY(require_cadre(c));
  CUNWU_ASSIGN(const Json fields, fields_of_payload(c));
  for (const auto& [field, value] : fields.items()) write_field(c, field, value);
  ++c.p.revision;
  return ok_status();
}

// A publish op carries what it publishes (type and masked content), because drafts are shared
// only among cadres: a villager's phone never sees the draft ops and builds the post from this.
Status on_publish(Ctx& c) {
  const auto content = c.op.payload.find("content");
  const bool has_content = content != c.op.payload.end() && content->is_object();
  if (!c.p.exists && has_content) {
    const auto type = c.op.payload.find("type");
    if (type == c.op.payload.end() || !type->is_string()) return make_error(Errc::unknown_post_type, "type missing");
    CUNWU_ASSIGN(c.p.type, parse_post_type(type->get<std::string>()));
    c.p.scope = c.op.scope;
    c.p.exists = true;
    c.p.author = c.op.actor;
    c.p.status = PostStatus::draft;
    CUNWU_ASSIGN(c.p.revision, int_of(c.op.payload, "revision"));
    CUNWU_ASSIGN(c.p.draft, check_fields(c.p.type, *content));
  }
  CUNWU_TRY(require_draft(c.p));
  CUNWU_TRY(require_cadre(c));
  CUNWU_ASSIGN(const int revision, int_of(c.op.payload, "revision"));
  if (revision != c.p.revision) {
    return make_error(Errc::draft_changed, "publisher reviewed revision " + std::to_string(revision) + ", the draft is at revision " +
                                               std::to_string(c.p.revision));
  }
  Json published = mask_content(c.p.type, c.p.draft);
  if (has_content) {
    // Where the draft is known, what the op publishes must be that draft, so every replica folds
    // the same version.
    if (mask_content(c.p.type, *content) != published) {
      return make_error(Errc::draft_changed, "the published content is not the draft at revision " + std::to_string(revision));
    }
  }
  CUNWU_TRY(check_publishable(c.p.type, published));
  c.p.versions.push_back(Version{1, c.op_id(), c.op.actor, c.at(), "", std::move(published)});
  c.p.status = PostStatus::published;
  c.p.draft = Json::object();  // the published version holds the content from now on
  return ok_status();
}

Status on_amend(Ctx& c) {
  CUNWU_TRY(require_published(c.p));
  CUNWU_TRY(require_cadre(c));
  CUNWU_ASSIGN(auto reason, text_of(c.op.payload, "reason", kMaxReasonChars));
  CUNWU_ASSIGN(const Json fields, fields_of_payload(c));
  Json content = c.p.versions.back().content;
  for (const auto& [field, value] : fields.items()) {
    if (value.is_null()) {
      content.erase(field);
    } else {
      content[field] = value;
    }
  }
  CUNWU_TRY(check_publishable(c.p.type, content));
  content = mask_content(c.p.type, content);
  if (content == c.p.versions.back().content) return make_error(Errc::invalid_input, "the amendment changes nothing");
  const int number = int(c.p.versions.size()) + 1;
  c.p.versions.push_back(Version{number, c.op_id(), c.op.actor, c.at(), std::move(reason), std::move(content)});
  return ok_status();
}

Status on_ask(Ctx& c) {
  CUNWU_TRY(require_published(c.p));
  CUNWU_TRY(org::authorize(c.fold.dir, c.op.actor, org::Action::read_post, c.p.scope));
  int version = int(c.p.versions.size());
  if (c.op.payload.contains("version")) {
    CUNWU_ASSIGN(version, int_of(c.op.payload, "version"));
    if (version < 1 || version > int(c.p.versions.size())) {
      return make_error(Errc::not_found, "version " + std::to_string(version) + " of " + c.p.id.str());
    }
  }
  CUNWU_ASSIGN(auto text, text_of(c.op.payload, "text", kMaxQuestionChars));
  c.p.questions.push_back(Question{c.op_id(), c.op.actor, c.at(), version, std::move(text), {}});
  return ok_status();
}

Status on_answer(Ctx& c) {
  CUNWU_TRY(require_published(c.p));
  CUNWU_TRY(require_cadre(c));
  const auto qid = c.op.payload.find("question");
  if (qid == c.op.payload.end() || !qid->is_string()) return make_error(Errc::invalid_input, "question missing");
  Question* q = nullptr;
  for (auto& x : c.p.questions) {
    if (x.id == qid->get<std::string>()) q = &x;
  }
  if (!q) return make_error(Errc::not_found, "question " + qid->get<std::string>().substr(0, 40));
  CUNWU_ASSIGN(auto text, text_of(c.op.payload, "text", kMaxAnswerChars));
  q->answers.push_back(Answer{c.op_id(), c.op.actor, c.at(), std::move(text), true});
  return ok_status();
}

const std::map<std::string, Handler, std::less<>>& handlers() {
  static const std::map<std::string, Handler, std::less<>> kHandlers{
      {"post.draft", on_draft},   {"post.edit", on_edit}, {"post.publish", on_publish},
      {"post.amend", on_amend},   {"post.ask", on_ask},   {"post.answer", on_answer},
  };
  return kHandlers;
}

class PostDomain final : public oplog::Domain {
 public:
  std::string_view kind() const override { return kPostKind; }
  bool knows(std::string_view type) const override { return handlers().contains(type); }
  // Drafts are for the cadres who write them; what is published, asked and answered is public.
  std::optional<oplog::Visibility> visibility_of(std::string_view type) const override {
    const bool draft = type == "post.draft" || type == "post.edit";
    return draft ? oplog::Visibility::participants : oplog::Visibility::public_in_scope;
  }
  std::unique_ptr<oplog::EntityState> empty(const EntityId& id) const override {
    Post p;
    p.id = id;
    return std::make_unique<PostState>(std::move(p));
  }
  Result<std::unique_ptr<oplog::EntityState>> from_json(const Json& j) const override {
    CUNWU_ASSIGN(auto p, post_from_json(j));
    return std::unique_ptr<oplog::EntityState>(std::make_unique<PostState>(std::move(p)));
  }
  Status apply(oplog::EntityState& state, const Op& op, const oplog::FoldContext& ctx) const override {
    auto& s = static_cast<PostState&>(state);
    const auto it = handlers().find(op.type);
    if (it == handlers().end()) return make_error(Errc::unknown_op_type, op.type);
    Post next = s.post;
    Ctx c{next, op, ctx};
    CUNWU_TRY(it->second(c));
    s.post = std::move(next);
    return ok_status();
  }
  bool has_projection() const override { return true; }
  Status project(store::Db& db, const EntityId& id, const oplog::EntityState& state) const override {
    return store::replace_post_index(db, id, index_row(static_cast<const PostState&>(state).post));
  }
};

}  // namespace

std::unique_ptr<oplog::Domain> make_receipt_domain();

std::vector<std::unique_ptr<oplog::Domain>> make_domains() {
  std::vector<std::unique_ptr<oplog::Domain>> out;
  out.push_back(std::make_unique<PostDomain>());
  out.push_back(make_receipt_domain());
  return out;
}

}  // namespace cunwu::disclosure
