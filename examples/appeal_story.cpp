// 诉求故事 — one appeal from the field to a rated close, told the way it happens in 河山村:
// 王秀英 files offline on her phone, the county host numbers it, 刘院长 accepts and hands it to
// the village committee, 张书记 resolves it the same afternoon and she rates it 非常满意.
// Every person has their own replica; "sync" exchanges ops in-process (as the host would over
// HTTP). Exits non-zero, printing the catalogued message, if any step fails.
#include <cstdio>
#include <exception>
#include <map>
#include <memory>
#include <string>

#include "cunwu/appeals/service.hpp"
#include "cunwu/replica.hpp"
#include "story.hpp"

namespace {

using namespace cunwu;
using namespace cunwu::story;

Status tell_story() {
  StoryClock clock;
  CUNWU_ASSIGN(const auto county, at_step("载入示范县", load_county()));
  const RegionId courtyard("qs/dq/hs/y1");
  const UserId wang("wang"), head("head-hs1"), cadre("cadre-hs");

  clock.set(china_time(2026, 7, 12, 20, 0));
  CUNWU_ASSIGN(auto host, at_step("县平台", open_device("host-qs", clock, county)));
  CUNWU_ASSIGN(auto phone_wang, at_step("王秀英的手机", open_device("phone-wang", clock, county)));
  CUNWU_ASSIGN(auto phone_liu, at_step("刘院长的手机", open_device("phone-liu", clock, county)));
  CUNWU_ASSIGN(auto phone_zhang, at_step("张书记的手机", open_device("phone-zhang", clock, county)));
  Link wang_link(*phone_wang, *host), liu_link(*phone_liu, *host), zhang_link(*phone_zhang, *host);
  appeals::Service on_host(*host), on_wang(*phone_wang), on_liu(*phone_liu), on_zhang(*phone_zhang);

  std::printf("== 诉求故事：大风刮倒了玉米 ==\n");
  say(clock, "夜里刮起大风，河山村下了一场暴雨。");

  clock.set(china_time(2026, 7, 13, 6, 40));
  say(clock, "王秀英到地里一看，三亩玉米倒了一大片。地头没有信号，她用手机拍了照片，离线提交诉求。");
  appeals::FileRequest req;
  req.courtyard = courtyard;
  req.category = appeals::Category::service;
  req.urgency = appeals::Urgency::yellow;
  req.text = "昨夜大风把我家三亩玉米刮倒了，买过农业保险，想申请理赔，请帮忙联系保险公司来查勘定损。";
  // The photo itself travels separately; the appeal names it by the sha256 of its content.
  const std::string photo_sha256 = "9f2c4e1a7b3d5f60e8a1c2b4d6f8091a3c5e7f9b1d2e4f6a8c0b2d4e6f8a0c1e";
  req.attachments.push_back({"photo", photo_sha256});
  CUNWU_ASSIGN(const EntityId id, at_step("提交诉求", on_wang.file(wang, req)));
  CUNWU_ASSIGN(auto mine, at_step("查看诉求", on_wang.get(id)));
  say(clock, "手机上先显示临时编号 " + mine.display_number() + "，照片指纹 sha256 " + photo_sha256.substr(0, 12) + "…");

  clock.set(china_time(2026, 7, 13, 7, 25));
  say(clock, "回到村里有了信号，手机和县平台同步。");
  CUNWU_TRY(at_step("王秀英同步", wang_link.sync()));
  CUNWU_ASSIGN(const auto number, at_step("登记编号", on_host.assign_official_number(id, host->clock().now())));
  CUNWU_TRY(at_step("王秀英同步", wang_link.sync()));
  CUNWU_ASSIGN(mine, at_step("查看诉求", on_wang.get(id)));
  if (mine.official_number != number) return make_error(Errc::internal, "phone did not receive the official number");
  say(clock, "县平台登记了正式编号 " + number + "，王秀英的手机也显示了这个编号。");

  clock.set(china_time(2026, 7, 13, 8, 10));
  CUNWU_TRY(at_step("刘院长同步", liu_link.sync()));
  say(clock, "刘院长打开手机，看到院里的新诉求，点了受理。");
  CUNWU_TRY(at_step("院长受理", on_liu.accept(head, id)));
  CUNWU_TRY(at_step("院长回复", on_liu.reply(head, id, "照片看到了，我这就到地里看看。")));
  CUNWU_TRY(at_step("刘院长同步", liu_link.sync()));

  clock.set(china_time(2026, 7, 13, 9, 30));
  say(clock, "刘院长到地里看过：倒伏的不止王家，理赔要村委会统一报保险公司，他把诉求上报村委会。");
  CUNWU_TRY(at_step("院长上报", on_liu.escalate(head, id, "受灾面积大，需村委会统一联系保险公司查勘")));
  CUNWU_TRY(at_step("刘院长同步", liu_link.sync()));

  clock.set(china_time(2026, 7, 13, 10, 5));
  CUNWU_TRY(at_step("张书记同步", zhang_link.sync()));
  say(clock, "张书记在村委会收到上报，受理后给县里的保险公司打了电话。");
  CUNWU_TRY(at_step("村委会受理", on_zhang.accept(cadre, id)));
  CUNWU_TRY(at_step("村委会回复", on_zhang.reply(cadre, id, "已联系保险公司，下午来地里查勘定损。")));
  CUNWU_TRY(at_step("张书记同步", zhang_link.sync()));

  clock.set(china_time(2026, 7, 13, 15, 40));
  say(clock, "下午保险公司查勘员到了地里，张书记陪着定损，当场办结。");
  CUNWU_TRY(
      at_step("村委会办结",
              on_zhang.resolve(cadre, id, "保险公司已现场查勘定损，受灾3亩，理赔款约2400元，7个工作日内打到一卡通。")));
  CUNWU_TRY(at_step("张书记同步", zhang_link.sync()));

  clock.set(china_time(2026, 7, 13, 17, 20));
  CUNWU_TRY(at_step("王秀英同步", wang_link.sync()));
  CUNWU_ASSIGN(mine, at_step("查看诉求", on_wang.get(id)));
  if (mine.status != appeals::AppealStatus::resolved) return make_error(Errc::not_resolved, "phone sees no resolution");
  say(clock, "王秀英收到办结通知，给了评价。");
  CUNWU_TRY(at_step("评价", on_wang.rate(wang, id, appeals::Rating::very_satisfied, "当天就办好了，谢谢书记和院长！")));
  CUNWU_TRY(at_step("王秀英同步", wang_link.sync()));

  CUNWU_ASSIGN(mine, at_step("查看诉求", on_wang.get(id)));
  CUNWU_ASSIGN(const auto on_record, at_step("县平台查看诉求", on_host.get(id)));
  if (mine.status != appeals::AppealStatus::closed || on_record.timeline != mine.timeline) {
    return make_error(Errc::internal, "the phone and the host disagree about the appeal");
  }
  std::printf("\n王秀英手机上的办理进度：\n%s", appeals::timeline_text_zh(mine, phone_wang->directory()).c_str());
  std::printf("\n从提交到办结用时 %s。\n", describe_duration_zh(*mine.resolved_at - mine.filed_at).c_str());
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
