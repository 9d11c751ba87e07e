// The villager's view of an appeal's progress, in plain Chinese.
#include <map>

#include "cunwu/appeals/service.hpp"

namespace cunwu::appeals {
namespace {

std::string who(const UserId& id, const org::Directory& dir) {
  if (id == kHostActor) return "平台";
  const auto* u = dir.user(id);
  return u ? u->name : id.str();
}

std::string describe(const ProgressNode& n, const org::Directory& dir) {
  static const std::map<std::string, std::string> kVerbs{
      {"filed", "提交了诉求"},   {"numbered", "登记编号"},     {"accepted", "已受理"},
      {"replied", "回复"},       {"assigned", "指派给"},       {"dispatched", "转派到部门"},
      {"escalated", "上报到"},   {"resolved", "办结"},         {"rated", "评价"},
      {"reopened", "因不满意，重新办理"}, {"withdrawn", "撤回了诉求"}, {"merged", "合并到"},
      {"supervised", "纪委督办"},
  };
  const auto it = kVerbs.find(n.kind);
  std::string line = who(n.actor, dir) + (it == kVerbs.end() ? n.kind : it->second);
  if (n.kind == "escalated") {
    line += std::string(level_label_zh(n.level + 1));
    if (n.text == "overdue_response") line += "（超过响应时限）";
    else if (n.text == "overdue_resolution") line += "（超过办结时限）";
    else if (!n.text.empty()) line += "：" + n.text;
  } else if (n.kind == "assigned") {
    line += who(UserId(n.text), dir);
  } else if (n.kind == "rated") {
    const auto r = parse_rating(n.text.substr(0, n.text.find(':')));
    line += "：" + (r ? std::string(label_zh(*r)) : n.text);
  } else if (!n.text.empty() && n.kind != "filed") {
    line += "：" + n.text;
  }
  return line;
}

}  // namespace

std::string timeline_text_zh(const Appeal& a, const org::Directory& dir) {
  std::string out = "诉求 " + a.display_number() + "  [" + std::string(label_zh(a.category)) + " · " +
                    std::string(label_zh(a.urgency)) + " · " + std::string(label_zh(a.status)) + "]\n";
  out += "  “" + a.text + "”\n";
  for (const auto& n : a.timeline) out += "  " + china_datetime(n.at) + "  " + describe(n, dir) + "\n";
  return out;
}

}  // namespace cunwu::appeals
