// 逐级上报故事 — a red hazard report nobody answers: the county host's own clock passes the
// two-hour response limit and escalates it to the village committee, nobody answers there
// either, it escalates to the township, and 马镇长 responds and resolves it. Ends with the
// discipline inspector's supervision flags and the appeal metrics.
// Exits non-zero, printing the catalogued message, if any step fails.
#include <cstdio>
#include <exception>
#include <memory>
#include <string>

#include "cunwu/appeals/metrics.hpp"
#include "cunwu/appeals/service.hpp"
#include "cunwu/replica.hpp"
#include "story.hpp"

namespace {

using namespace cunwu;
using namespace cunwu::story;

std::string percent(double rate) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%.0f%%", rate * 100);
  return buf;
}

std::string flags_zh(const appeals::Supervision& s) {
  if (!s.any()) return "无";
  std::string out;
  if (s.overdue) out += "超时 ";
  if (s.dissatisfied_twice) out += "两次不满意 ";
  if (s.flagged) out += "纪委督办 ";
  out.pop_back();
  return out;
}

// The host's periodic check: escalates what is overdue at the host's own time.
Result<std::size_t> host_tick(appeals::Service& on_host, Replica& host, const StoryClock& clock) {
  CUNWU_ASSIGN(const auto escalated, on_host.escalate_overdue(host.clock().now()));
  say(clock, "县平台例行检查时限：" + (escalated.empty()
                                           ? std::string("没有超时的诉求。")
                                           : "超时未响应，自动上报 " + std::to_string(escalated.size()) + " 件。"));
  return escalated.size();
}

Status expect_level(appeals::Service& svc, const EntityId& id, int level) {
  CUNWU_ASSIGN(const auto a, svc.get(id));
  if (a.level != level) {
    return make_error(Errc::internal, "expected level " + std::to_string(level) + ", got " + std::to_string(a.level));
  }
  return ok_status();
}

Status tell_story() {
  StoryClock clock;
  CUNWU_ASSIGN(const auto county, at_step("载入示范县", load_county()));
  const UserId li("li"), township("staff-dq"), inspector("inspector-qs");

  clock.set(china_time(2026, 7, 13, 7, 0));
  CUNWU_ASSIGN(auto host, at_step("县平台", open_device("host-qs", clock, county)));
  CUNWU_ASSIGN(auto phone_li, at_step("李大山的手机", open_device("phone-li", clock, county)));
  CUNWU_ASSIGN(auto desk_ma, at_step("马镇长的电脑", open_device("desk-dq", clock, county)));
  CUNWU_ASSIGN(auto desk_lin, at_step("林监督员的电脑", open_device("desk-jw", clock, county)));
  Link li_link(*phone_li, *host), ma_link(*desk_ma, *host), lin_link(*desk_lin, *host);
  appeals::Service on_host(*host), on_li(*phone_li), on_ma(*desk_ma), on_lin(*desk_lin);
  CUNWU_ASSIGN(const auto sla, at_step("时限", on_host.sla(RegionId("qs"))));

  std::printf("== 逐级上报故事：桥栏杆断了 ==\n");
  clock.set(china_time(2026, 7, 13, 7, 35));
  say(clock, "李大山送孩子上学，发现村口石桥的栏杆断了两节，用手机拍照上报（红色，及时报）。");
  appeals::FileRequest req;
  req.courtyard = RegionId("qs/dq/hs/y1");
  req.category = appeals::Category::hazard;
  req.urgency = appeals::Urgency::red;
  req.text = "村口石桥的栏杆断了两节，孩子们每天从桥上走，太危险了，请赶快来处理！";
  // The appeal names its photo by the sha256 of the photo's content.
  req.attachments.push_back({"photo", "3b8e0f6a2c4d5e7f9a1b3c5d7e9f0a2b4c6d8e0f1a3b5c7d9e1f2a4b6c8d0e2f"});
  CUNWU_ASSIGN(const EntityId id, at_step("上报隐患", on_li.file(li, req)));
  CUNWU_TRY(at_step("李大山同步", li_link.sync()));
  CUNWU_ASSIGN(const auto number, at_step("登记编号", on_host.assign_official_number(id, host->clock().now())));
  CUNWU_TRY(at_step("李大山同步", li_link.sync()));
  say(clock, "县平台登记编号 " + number + "：红色诉求，" + describe_duration_zh(sla.red.respond) +
                 "内要有人响应，否则自动上报。");
  say(clock, "刘院长在县医院陪护病人，手机一直没看；谁也没有响应。");

  clock.set(china_time(2026, 7, 13, 9, 0));
  CUNWU_ASSIGN(auto escalated, at_step("例行检查", host_tick(on_host, *host, clock)));
  if (escalated != 0) return make_error(Errc::internal, "escalated before the limit");

  clock.set(china_time(2026, 7, 13, 9, 40));
  CUNWU_ASSIGN(escalated, at_step("例行检查", host_tick(on_host, *host, clock)));
  CUNWU_TRY(at_step("上报村委会", expect_level(on_host, id, 2)));
  say(clock, "诉求到了村委会。张书记和何主任都在镇上开会，手机静音，还是没人响应。");

  clock.set(china_time(2026, 7, 13, 11, 42));
  CUNWU_ASSIGN(const auto before, at_step("查看诉求", on_host.get(id)));
  say(clock, "纪委监督员看到的督办标记：" + flags_zh(appeals::supervision(before, sla, host->clock().now())));

  clock.set(china_time(2026, 7, 13, 11, 45));
  CUNWU_ASSIGN(escalated, at_step("例行检查", host_tick(on_host, *host, clock)));
  CUNWU_TRY(at_step("上报乡镇", expect_level(on_host, id, 3)));

  clock.set(china_time(2026, 7, 13, 11, 50));
  CUNWU_TRY(at_step("林监督员同步", lin_link.sync()));
  say(clock, "林监督员发现这件红色诉求两级都没人响应，标记督办。");
  CUNWU_TRY(at_step("督办", on_lin.supervise(inspector, id, "两级超时未响应，请镇里立即处理并说明原因")));
  CUNWU_TRY(at_step("林监督员同步", lin_link.sync()));

  clock.set(china_time(2026, 7, 13, 12, 5));
  CUNWU_TRY(at_step("马镇长同步", ma_link.sync()));
  say(clock, "马镇长在镇政府看到上报，立刻受理，派镇交通办带人去现场。");
  CUNWU_TRY(at_step("乡镇受理", on_ma.accept(township, id)));
  CUNWU_TRY(at_step("乡镇转派", on_ma.dispatch(township, id, "镇交通办")));
  CUNWU_TRY(at_step("乡镇回复", on_ma.reply(township, id, "交通办已在桥头拉起警戒线，下午焊接修复栏杆。")));
  CUNWU_TRY(at_step("马镇长同步", ma_link.sync()));

  clock.set(china_time(2026, 7, 13, 16, 30));
  say(clock, "栏杆焊好了，马镇长到现场看过，办结。");
  CUNWU_TRY(at_step("乡镇办结", on_ma.resolve(township, id, "断裂的两节栏杆已焊接修复，全桥栏杆检查加固完毕。")));
  CUNWU_TRY(at_step("马镇长同步", ma_link.sync()));

  clock.set(china_time(2026, 7, 13, 17, 10));
  CUNWU_TRY(at_step("李大山同步", li_link.sync()));
  say(clock, "李大山去桥上看了，栏杆修好了，给了评价。");
  CUNWU_TRY(at_step("评价", on_li.rate(li, id, appeals::Rating::satisfied, "修好了，就是上午等得心急")));
  CUNWU_TRY(at_step("李大山同步", li_link.sync()));

  CUNWU_ASSIGN(const auto a, at_step("查看诉求", on_host.get(id)));
  if (a.status != appeals::AppealStatus::closed || a.level != 3 || a.escalations != 2) {
    return make_error(Errc::internal, "the appeal did not end closed at the township after two escalations");
  }
  std::printf("\n县平台上的办理进度：\n%s", appeals::timeline_text_zh(a, host->directory()).c_str());

  const TimeMs now = host->clock().now();
  std::printf("\n督办标记（%s）：%s；上报 %d 次\n", china_datetime(now).c_str(),
              flags_zh(appeals::supervision(a, sla, now)).c_str(), a.escalations);
  CUNWU_ASSIGN(const auto all, at_step("诉求列表", on_host.list()));
  const auto r = appeals::overall(all, sla);
  std::printf("考核指标：诉求 %d 件，响应 %d 件（按时 %d 件），办结 %d 件，评价 %d 件，满意 %d 件\n", r.filed,
              r.responded, r.responded_in_time, r.resolved, r.rated, r.satisfied);
  std::printf("响应率 %s，办结率 %s，满意率 %s，办理用时中位数 %s\n", percent(r.response_rate).c_str(),
              percent(r.resolution_rate).c_str(), percent(r.satisfaction_rate).c_str(),
              r.median_handling ? describe_duration_zh(*r.median_handling).c_str() : "无");
  if (r.filed != 1 || r.responded_in_time != 0 || r.resolved != 1) {
    return make_error(Errc::internal, "metrics do not match the story");
  }
  return ok_status();
}

}  // namespace

int main() {
  try {
    if (const auto s = tell_story(); !s) {
      std::fprintf(stderr, "故事中断：%s（%s：%s）\n", std::string(user_message(s.error().code)).c_str(),
                   std::string(errc_name(s.error().code)).c_str(), s.error().detail.c_str());
      return 1;
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "故事中断（程序错误）：%s\n", e.what());
    return 2;
  }
  std::printf("故事结束\n");
  return 0;
}
