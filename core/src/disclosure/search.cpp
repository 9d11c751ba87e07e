#include "cunwu/disclosure/search.hpp"

#include "cunwu/base/text.hpp"

namespace cunwu::disclosure {
namespace {

void append(std::string& out, const Json& v) {
  if (v.is_string() && !v.get_ref<const std::string&>().empty()) {
    if (!out.empty()) out += "\n";
    out += v.get_ref<const std::string&>();
  }
}

void append_field(std::string& out, const Json& content, const char* field) {
  if (const auto it = content.find(field); it != content.end()) append(out, *it);
}

void append_members(std::string& out, const Json& content, const char* list, std::initializer_list<const char*> members) {
  const auto it = content.find(list);
  if (it == content.end() || !it->is_array()) return;
  for (const auto& line : *it) {
    for (const char* m : members) {
      if (line.is_object()) append_field(out, line, m);
    }
  }
}

}  // namespace

Result<std::vector<std::string>> query_terms(std::string_view text) {
  if (!is_valid_utf8(text)) return make_error(Errc::invalid_utf8, "query is not valid UTF-8");
  if (utf8_length(text) > kMaxQueryChars) {
    return make_error(Errc::query_too_long, "query has " + std::to_string(utf8_length(text)) + " characters, at most " +
                                                std::to_string(kMaxQueryChars));
  }
  std::vector<std::string> terms;
  std::string current;
  auto flush = [&] {
    if (!current.empty() && terms.size() < kMaxQueryTerms) terms.push_back(current);
    current.clear();
  };
  constexpr std::string_view kIdeoSpace = "\xE3\x80\x80";
  for (std::size_t i = 0; i < text.size();) {
    const char ch = text[i];
    if (ch == ' ' || (ch >= '\t' && ch <= '\r')) {
      flush();
      ++i;
    } else if (text.substr(i, 3) == kIdeoSpace) {
      flush();
      i += 3;
    } else {
      current += ch;
      ++i;
    }
  }
  flush();
  return terms;
}

Result<std::vector<SearchHit>> search(store::Db& db, const SearchQuery& q) {
  if (q.limit < 1 || q.limit > 100) return make_error(Errc::invalid_input, "limit must be 1..100");
  CUNWU_ASSIGN(auto terms, query_terms(q.text));
  if (terms.empty()) return std::vector<SearchHit>{};
  store::PostSearch s;
  s.terms = std::move(terms);
  s.type = q.type ? std::string(name(*q.type)) : std::string();
  s.category = q.category;
  s.visible_at = q.visible_at ? q.visible_at->str() : std::string();
  s.limit = q.limit;
  CUNWU_ASSIGN(const auto rows, store::search_posts(db, s));
  std::vector<SearchHit> out;
  out.reserve(rows.size());
  for (const auto& r : rows) {
    const auto type = parse_post_type(r.type);
    out.push_back(SearchHit{r.post, type ? *type : PostType::notice, r.title, r.snippet, r.rank});
  }
  return out;
}

std::string searchable_text(PostType t, const Json& content) {
  std::string out;
  append_field(out, content, "body");
  switch (t) {
    case PostType::finance:
      if (content.contains("period") && content["period"].is_string()) out += "\n" + period_label_zh(content["period"].get<std::string>());
      append_members(out, content, "income", {"category", "counterparty", "note"});
      append_members(out, content, "spending", {"category", "counterparty", "note"});
      break;
    case PostType::contract:
      for (const char* f : {"party", "object", "area"}) append_field(out, content, f);
      break;
    case PostType::assistance:
      for (const char* f : {"program", "criteria"}) append_field(out, content, f);
      if (const auto it = content.find("steps"); it != content.end() && it->is_array()) {
        for (const auto& s : *it) append(out, s);
      }
      break;
    case PostType::policy:
      append_field(out, content, "issuer");
      if (content.contains("category") && content["category"].is_string()) {
        out += "\n" + std::string(policy_category_label_zh(content["category"].get<std::string>()));
      }
      break;
    case PostType::activity: append_field(out, content, "place"); break;
    case PostType::job:
      for (const char* f : {"employer", "position"}) append_field(out, content, f);
      break;
    default: break;
  }
  return out;
}

std::optional<store::PostIndexRow> index_row(const Post& p) {
  const Version* v = p.latest();
  if (!p.exists || !v) return std::nullopt;
  store::PostIndexRow row;
  row.post = p.id;
  row.scope = p.scope;
  row.type = std::string(name(p.type));
  row.category = p.type == PostType::policy ? v->content.value("category", std::string()) : std::string();
  row.title = v->content.value("title", std::string());
  row.body = searchable_text(p.type, v->content);
  row.version = v->number;
  row.published_at = p.versions.front().at.ms;
  return row;
}

}  // namespace cunwu::disclosure
