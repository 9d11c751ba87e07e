// Which of a person's actions did not take effect, and on what. The rows come from the store
// (store/refusal_store.hpp); this file names the item each one was on from its folded state.
#include "cunwu/notify/refusals.hpp"

#include "cunwu/store/refusal_store.hpp"

namespace cunwu::notify {
namespace {

using Json = nlohmann::json;
constexpr std::size_t kExcerptChars = 24;

std::string text_at(const Json& j, const char* key) {
  const auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// The first `n` code points of valid UTF-8 `s`, with "…" when cut.
std::string excerpt(const std::string& s, std::size_t n) {
  std::size_t chars = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) continue;  // a continuation byte
    if (chars++ == n) return s.substr(0, i) + "…";
  }
  return s;
}

// What the item of `row` is, from its folded state here (and the op's payload for a ledger).
Result<Json> item_of(Replica& r, const store::RefusalRow& row, const std::string& kind) {
  auto state = r.state_json(row.entity);
  if (!state) {
    if (state.error().code == Errc::not_found) return Json::object();
    return state.error();
  }
  const Json& s = *state;
  if (kind == "appeal") {
    const auto official = text_at(s, "official_number");
    return Json{{"number", official.empty() ? text_at(s, "provisional_number") : official},
                {"official", !official.empty()},
                {"category", text_at(s, "category")},
                {"text", excerpt(text_at(s, "text"), kExcerptChars)}};
  }
  if (kind == "post") {
    const auto it = s.find("versions");
    std::string title;
    if (it != s.end() && it->is_array() && !it->empty()) {
      title = it->back().value("content", Json::object()).value("title", std::string());
    }
    return Json{{"title", title}};
  }
  if (kind == "ledger") {
    CUNWU_ASSIGN(const auto op, r.log().ops().find(row.op));
    if (!op) return Json::object();
    const auto& p = op->payload;
    std::string title = text_at(p, "name");  // a redemption names its goods
    if (const auto rule = p.find("rule"); title.empty() && rule != p.end() && rule->is_object()) {
      title = text_at(*rule, "title");
    }
    return Json{{"title", title}};
  }
  return Json::object();
}

}  // namespace

Result<std::vector<Refusal>> refusals(Replica& replica, const UserId& user, const std::optional<EntityId>& entity) {
  CUNWU_ASSIGN(const auto rows, store::refusals(replica.db(), user, entity));
  std::vector<Refusal> out;
  out.reserve(rows.size());
  for (const auto& row : rows) {
    Refusal x;
    x.op = row.op;
    x.type = row.type;
    x.entity = row.entity;
    x.kind = row.entity.str().substr(0, row.entity.str().find('/'));
    x.error = row.error;
    x.by_host = row.by_host;
    x.at = TimeMs{row.wall};
    CUNWU_ASSIGN(x.item, item_of(replica, row, x.kind));
    out.push_back(std::move(x));
  }
  return out;
}

Json to_json(const Refusal& r) {
  return Json{{"op", oplog::to_string(r.op)},
              {"type", r.type},
              {"entity", r.entity.str()},
              {"kind", r.kind},
              {"code", errc_name(r.error.code)},
              {"message", user_message(r.error.code, Lang::zh)},
              {"message_en", user_message(r.error.code, Lang::en)},
              {"detail", r.error.detail},
              {"by_host", r.by_host},
              {"at", r.at.ms},
              {"item", r.item}};
}

}  // namespace cunwu::notify
