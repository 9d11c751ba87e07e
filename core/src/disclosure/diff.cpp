#include "cunwu/disclosure/diff.hpp"

#include <map>
#include <set>

namespace cunwu::disclosure {
namespace {

bool is_line_list(const Json& v) {
  if (!v.is_array() || v.empty()) return v.is_array();
  for (const auto& x : v) {
    if (!x.is_object()) return false;
  }
  return true;
}

std::vector<std::string> changed_members(const Json& a, const Json& b) {
  std::set<std::string> keys;
  for (const auto& [k, v] : a.items()) keys.insert(k);
  for (const auto& [k, v] : b.items()) keys.insert(k);
  std::vector<std::string> out;
  for (const auto& k : keys) {
    if (a.value(k, Json()) != b.value(k, Json())) out.push_back(k);
  }
  return out;
}

std::vector<LineChange> diff_lines(const Json& before, const Json& after) {
  const Json b = before.is_array() ? before : Json::array();
  const Json a = after.is_array() ? after : Json::array();
  std::vector<bool> b_used(b.size(), false), a_used(a.size(), false);
  for (std::size_t i = 0; i < b.size(); ++i) {  // equal lines match wherever they moved
    for (std::size_t j = 0; j < a.size(); ++j) {
      if (!a_used[j] && b[i] == a[j]) {
        b_used[i] = a_used[j] = true;
        break;
      }
    }
  }
  std::vector<LineChange> out;
  for (std::size_t i = 0; i < b.size(); ++i) {
    if (b_used[i]) continue;
    if (i < a.size() && !a_used[i]) {
      a_used[i] = true;
      out.push_back({LineChange::Kind::changed, int(i), int(i), b[i], a[i], changed_members(b[i], a[i])});
    } else {
      out.push_back({LineChange::Kind::removed, int(i), -1, b[i], Json(), {}});
    }
  }
  for (std::size_t j = 0; j < a.size(); ++j) {
    if (!a_used[j]) out.push_back({LineChange::Kind::added, -1, int(j), Json(), a[j], {}});
  }
  return out;
}

std::string field_label(const std::string& f) {
  static const std::map<std::string, std::string> kLabels{
      {"title", "标题"}, {"body", "正文"}, {"period", "期间"}, {"opening", "期初余额"}, {"closing", "期末余额"},
      {"income", "收入"}, {"spending", "支出"}, {"party", "承包方"}, {"object", "标的"}, {"area", "面积"},
      {"start", "起始日期"}, {"end", "终止日期"}, {"price", "合同价款"}, {"schedule", "付款计划"},
      {"program", "救助项目"}, {"criteria", "认定条件"}, {"steps", "审批程序"}, {"entries", "名单"},
      {"category", "类别"}, {"issuer", "发文机关"}, {"effective_from", "生效日期"}, {"effective_to", "失效日期"},
      {"amount", "金额"}, {"counterparty", "对方单位"}, {"note", "备注"}, {"date", "日期"}, {"name", "姓名"},
      {"attachments", "附件"}};
  const auto it = kLabels.find(f);
  return it == kLabels.end() ? f : it->second;
}

std::string show(const std::string& key, const Json& v) {
  if (v.is_null()) return "（无）";
  if (v.is_string()) return v.get<std::string>();
  if (v.is_number_integer() && (key == "amount" || key == "opening" || key == "closing" || key == "price")) {
    return format_yuan(Fen{v.get<std::int64_t>()});
  }
  if (v.is_object()) {
    std::string s;
    for (const auto& [k, x] : v.items()) s += (s.empty() ? "" : "，") + field_label(k) + " " + show(k, x);
    return s;
  }
  return v.dump();
}

}  // namespace

std::vector<FieldChange> diff_content(const Json& before, const Json& after) {
  std::set<std::string> keys;
  for (const auto& [k, v] : before.items()) keys.insert(k);
  for (const auto& [k, v] : after.items()) keys.insert(k);
  std::vector<FieldChange> out;
  for (const auto& k : keys) {
    const Json b = before.value(k, Json()), a = after.value(k, Json());
    if (a == b) continue;
    FieldChange c{k, b, a, {}};
    if ((b.is_null() || is_line_list(b)) && (a.is_null() || is_line_list(a)) && (a.is_array() || b.is_array())) {
      c.lines = diff_lines(b, a);
    }
    out.push_back(std::move(c));
  }
  return out;
}

std::string describe_zh(const std::vector<FieldChange>& changes) {
  std::string out;
  for (const auto& c : changes) {
    if (c.lines.empty()) {
      out += field_label(c.field) + "：" + show(c.field, c.before) + " → " + show(c.field, c.after) + "\n";
      continue;
    }
    for (const auto& l : c.lines) {
      const std::string where = field_label(c.field) + "第" + std::to_string((l.after_index >= 0 ? l.after_index : l.before_index) + 1) + "行";
      if (l.kind == LineChange::Kind::added) {
        out += where + " 新增：" + show("", l.after) + "\n";
      } else if (l.kind == LineChange::Kind::removed) {
        out += where + " 删除：" + show("", l.before) + "\n";
      } else {
        out += where + " 修改：";
        for (std::size_t i = 0; i < l.members.size(); ++i) {
          const auto& m = l.members[i];
          out += (i ? "；" : "") + field_label(m) + " " + show(m, l.before.value(m, Json())) + " → " + show(m, l.after.value(m, Json()));
        }
        out += "\n";
      }
    }
  }
  return out;
}

}  // namespace cunwu::disclosure
