// Which received op is a notice for whom. Each kind reads the folded state the op belongs to
// (after the sync folded it), so a notice says what the user sees when they open it.
#include "cunwu/notify/feed.hpp"

#include <algorithm>

#include "cunwu/appeals/types.hpp"
#include "cunwu/points/domain.hpp"
#include "cunwu/store/notice_store.hpp"

namespace cunwu::notify {
namespace {

using Json = nlohmann::json;
constexpr std::size_t kBatch = 500;

// What an appeal op tells its filer, by op type.
const char* appeal_kind(std::string_view type) {
  static const std::pair<std::string_view, const char*> kKinds[] = {
      {"appeal.number", "appeal_numbered"},     {"appeal.accept", "appeal_accepted"},
      {"appeal.reply", "appeal_replied"},       {"appeal.dispatch", "appeal_dispatched"},
      {"appeal.escalate", "appeal_escalated"},  {"appeal.resolve", "appeal_resolved"},
      {"appeal.merge", "appeal_merged"},        {"appeal.file", "appeal_filed_for_you"}};
  for (const auto& [t, kind] : kKinds) {
    if (t == type) return kind;
  }
  return nullptr;
}

std::string text_of(const Json& payload, const char* key) {
  const auto it = payload.find(key);
  return it != payload.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// The title of a post's newest published version ("" for a draft).
std::string post_title(const Json& post) {
  const auto it = post.find("versions");
  if (it == post.end() || !it->is_array() || it->empty()) return {};
  return it->back().value("content", Json::object()).value("title", std::string());
}

}  // namespace

Result<std::optional<Notice>> Feed::notice_of(std::int64_t seq, const oplog::Op& op) {
  using Maybe = std::optional<Notice>;
  if (op.actor == user_) return Maybe{};
  Notice n{seq, {}, op.entity, op.actor, TimeMs{op.hlc.wall}, Json::object(), true};
  const std::string& type = op.type;
  if (const char* kind = appeal_kind(type)) {
    auto state = r_.state_json(op.entity);
    if (!state) return Maybe{};
    CUNWU_ASSIGN(const auto a, appeals::appeal_from_json(*state));
    if (a.filer != user_ || (type == "appeal.file" && !a.filed_by)) return Maybe{};
    n.kind = kind;
    n.data["number"] = a.display_number();
    if (type == "appeal.reply" || type == "appeal.resolve") n.data["text"] = text_of(op.payload, "text");
    if (type == "appeal.dispatch") n.data["department"] = text_of(op.payload, "department");
    if (type == "appeal.escalate") n.data["level"] = a.level;
  } else if (type.starts_with("ledger.")) {
    const auto* me = r_.directory().user(user_);
    if (!me || !me->household || op.entity != points::ledger_id(*me->household)) return Maybe{};
    CUNWU_ASSIGN(const auto state, r_.state_json(op.entity));
    CUNWU_ASSIGN(auto ledger, points::ledger_from_json(state));
    if (type == "ledger.approve" || type == "ledger.reject") {
      const auto* app = ledger.application(text_of(op.payload, "application"));
      if (!app || app->applicant != user_) return Maybe{};
      n.kind = type == "ledger.approve" ? "points_approved" : "points_rejected";
      n.data["rule"] = app->rule.title;
      if (type == "ledger.approve") n.data["points"] = app->rule.amount.value;
      else n.data["reason"] = text_of(op.payload, "reason");
    } else if (type == "ledger.award" || type == "ledger.deduct") {
      const auto rule = op.payload.value("rule", Json::object());
      n.kind = type == "ledger.award" ? "points_awarded" : "points_deducted";
      n.data["rule"] = rule.value("title", std::string());
      n.data["points"] = rule.value("amount", std::int64_t{0});
    } else if (type == "ledger.confirm") {
      const auto* red = ledger.redemption(text_of(op.payload, "request"));
      if (!red || red->requester != user_) return Maybe{};
      n.kind = "redemption_confirmed";
      n.data["goods"] = red->goods_name;
      n.data["price"] = red->price.value;
    } else {
      return Maybe{};
    }
  } else if (type == "post.publish" || type == "post.amend" || type == "post.answer") {
    CUNWU_ASSIGN(const auto post, r_.state_json(op.entity));
    n.data["title"] = post_title(post);
    if (type == "post.answer") {
      const auto question = text_of(op.payload, "question");
      const auto& qs = post.value("questions", Json::array());
      const auto q = std::find_if(qs.begin(), qs.end(), [&](const Json& x) { return x.value("id", "") == question; });
      if (q == qs.end() || q->value("asker", "") != user_.str()) return Maybe{};
      n.kind = "question_answered";
      n.data["text"] = text_of(op.payload, "text");
    } else if (type == "post.publish") {
      n.kind = "post_published";
      n.data["type"] = post.value("type", std::string());
    } else {
      n.kind = "post_amended";
      n.data["reason"] = text_of(op.payload, "reason");
    }
  } else {
    return Maybe{};
  }
  // What was not applied did not happen for the user: a conflict, or an op the host refused.
  CUNWU_ASSIGN(const auto conflicts, r_.log().ops().conflicts(op.entity));
  if (std::any_of(conflicts.begin(), conflicts.end(), [&](const auto& c) { return c.op == op.id; })) return Maybe{};
  CUNWU_ASSIGN(const auto rejected, r_.log().ops().rejections(op.entity));
  if (std::any_of(rejected.begin(), rejected.end(), [&](const auto& x) { return x.first == op.id; })) return Maybe{};
  return Maybe{std::move(n)};
}

Result<std::int64_t> Feed::scan() {
  auto& db = r_.db();
  store::Transaction tx(db);
  CUNWU_TRY(tx.status());
  CUNWU_ASSIGN(const auto last, r_.log().ops().max_seq());
  CUNWU_ASSIGN(auto marks, store::notice_marks(db, user_));
  std::int64_t added = 0;
  if (!marks) {
    marks = store::NoticeMarks{last, last};
  } else {
    while (marks->scanned < last) {
      CUNWU_ASSIGN(const auto batch, r_.log().ops().ops_after(marks->scanned, kBatch));
      if (batch.empty()) break;
      for (const auto& [seq, op] : batch) {
        CUNWU_ASSIGN(const auto notice, notice_of(seq, op));
        if (notice) {
          CUNWU_TRY(store::put_notice(db, user_, store::NoticeRow{notice->seq, notice->kind, notice->entity,
                                                                   notice->actor, notice->at.ms, notice->data.dump()}));
          ++added;
        }
        marks->scanned = seq;
      }
    }
  }
  CUNWU_TRY(store::put_notice_marks(db, user_, *marks));
  CUNWU_TRY(tx.commit());
  return added;
}

Result<std::vector<Notice>> Feed::list(std::int64_t limit) {
  CUNWU_ASSIGN(const auto marks, store::notice_marks(r_.db(), user_));
  const std::int64_t read = marks ? marks->read : 0;
  CUNWU_ASSIGN(const auto rows, store::notices(r_.db(), user_, limit));
  std::vector<Notice> out;
  out.reserve(rows.size());
  for (const auto& row : rows) {
    Json data = Json::parse(row.data, nullptr, false);
    if (!data.is_object()) data = Json::object();
    out.push_back(Notice{row.seq, row.kind, row.entity, row.actor, TimeMs{row.at}, std::move(data), row.seq > read});
  }
  return out;
}

Result<std::int64_t> Feed::unread() {
  CUNWU_ASSIGN(const auto marks, store::notice_marks(r_.db(), user_));
  return store::notice_count_after(r_.db(), user_, marks ? marks->read : 0);
}

Status Feed::mark_read(std::int64_t seq) {
  CUNWU_ASSIGN(auto marks, store::notice_marks(r_.db(), user_));
  if (!marks) return ok_status();  // nothing scanned yet, so nothing to read
  if (seq <= marks->read) return ok_status();
  marks->read = std::min(seq, marks->scanned);
  return store::put_notice_marks(r_.db(), user_, *marks);
}

Json to_json(const Notice& n, const org::Directory& dir) {
  const auto* who = dir.user(n.actor);
  return Json{{"seq", n.seq},
              {"kind", n.kind},
              {"entity", n.entity.str()},
              {"actor", n.actor.str()},
              {"actor_name", who ? who->name : std::string()},
              {"at", n.at.ms},
              {"data", n.data},
              {"unread", n.unread}};
}

}  // namespace cunwu::notify
