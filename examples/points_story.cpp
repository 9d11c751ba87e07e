// 积分故事 — a household earns points for a clean yard and spends them in the points
// supermarket, told as it happens in 河山村: 王秀英 applies on her phone with a photo, 张书记
// approves, she redeems a bar of soap, the county host confirms it, and 杨店主 hands it over.
// Every person has their own replica; "sync" exchanges ops in-process (as the host would over
// HTTP). Exits non-zero, printing the catalogued message, if any step fails.
#include <cstdio>
#include <exception>
#include <memory>
#include <string>

#include "cunwu/points/service.hpp"
#include "cunwu/replica.hpp"
#include "story.hpp"

namespace {

using namespace cunwu;
using namespace cunwu::story;

std::string pts(points::Points p) { return std::to_string(p.value) + "分"; }

Status show_account(const StoryClock& clock, points::Service& svc, const HouseholdId& h) {
  CUNWU_ASSIGN(const auto balance, svc.balance(h));
  CUNWU_ASSIGN(const auto available, svc.available(h));
  std::string line = "王秀英手机上的积分：余额 " + pts(balance);
  if (available != balance) line += "，可用 " + pts(available) + "（" + pts(balance - available) + "兑换中）";
  say(clock, line);
  return ok_status();
}

Status tell_story() {
  StoryClock clock;
  CUNWU_ASSIGN(const auto county, at_step("载入示范县", load_county()));
  CUNWU_ASSIGN(const auto catalogue, at_step("载入积分规则", load_shared_json("demo/points.json")));
  const RegionId village("qs/dq/hs");
  const HouseholdId home("h-wang");
  const UserId wang("wang"), cadre("cadre-hs"), shopkeeper("shop-hs");

  clock.set(china_time(2026, 7, 1, 8, 0));
  CUNWU_ASSIGN(auto host, at_step("县平台", open_device("host-qs", clock, county)));
  CUNWU_ASSIGN(auto phone_wang, at_step("王秀英的手机", open_device("phone-wang", clock, county)));
  CUNWU_ASSIGN(auto phone_zhang, at_step("张书记的手机", open_device("phone-zhang", clock, county)));
  CUNWU_ASSIGN(auto phone_yang, at_step("杨店主的手机", open_device("phone-yang", clock, county)));
  CUNWU_TRY(at_step("村里公布积分规则和积分超市", points::seed_demo(*host, catalogue)));
  Link wang_link(*phone_wang, *host), zhang_link(*phone_zhang, *host), yang_link(*phone_yang, *host);
  points::Service on_host(*host), on_wang(*phone_wang), on_zhang(*phone_zhang), on_yang(*phone_yang);
  CUNWU_TRY(at_step("王秀英同步", wang_link.sync()));

  std::printf("== 积分故事：干净的院子换一块香皂 ==\n");
  CUNWU_ASSIGN(const auto book, at_step("查看积分规则", on_wang.rulebook(village)));
  const points::Rule* clean = book.rule("clean-yard");
  if (!clean) return make_error(Errc::unknown_rule, "clean-yard");
  say(clock, "村里公布了积分规则，第一条：" + clean->title + "，加" + pts(clean->amount) + "，需要照片，每月最多" +
                 std::to_string(clean->limit->count) + "次。");

  clock.set(china_time(2026, 7, 13, 7, 30));
  say(clock, "王秀英把门前屋后打扫得干干净净，拍了照片，在手机上申请\"" + clean->title + "\"积分（地里没信号，先存在手机上）。");
  const std::string photo = "5d41402abc4b2a76b9719d911017c5925d41402abc4b2a76b9719d911017c592";
  CUNWU_ASSIGN(const auto application,
               at_step("申请积分", on_wang.apply(wang, home, "clean-yard", "门前三包都做到了，院子里的柴火码得整整齐齐。",
                                                 {{"photo", photo}})));
  clock.set(china_time(2026, 7, 13, 9, 0));
  CUNWU_TRY(at_step("王秀英同步", wang_link.sync()));
  say(clock, "回到村里有了信号，申请送到了县平台，状态：待审核。");

  clock.set(china_time(2026, 7, 13, 10, 20));
  CUNWU_TRY(at_step("张书记同步", zhang_link.sync()));
  say(clock, "张书记看了照片，又顺路去院子里看了看，审核通过。");
  CUNWU_TRY(at_step("审核通过", on_zhang.approve(cadre, home, application)));
  CUNWU_TRY(at_step("张书记同步", zhang_link.sync()));
  CUNWU_TRY(at_step("王秀英同步", wang_link.sync()));
  CUNWU_TRY(show_account(clock, on_wang, home));

  clock.set(china_time(2026, 7, 13, 16, 0));
  CUNWU_ASSIGN(const auto shop, at_step("查看积分超市", on_wang.shop(village)));
  const points::Goods* soap = shop.find("soap");
  if (!soap) return make_error(Errc::unknown_goods, "soap");
  say(clock, "王秀英在积分超市里选了一块" + soap->name + "，要" + pts(soap->price) + "，还剩" + std::to_string(soap->stock) +
                 "块，提交兑换。");
  CUNWU_ASSIGN(const auto request, at_step("兑换", on_wang.redeem(wang, home, "soap")));
  CUNWU_TRY(show_account(clock, on_wang, home));
  CUNWU_TRY(at_step("王秀英同步", wang_link.sync()));

  CUNWU_ASSIGN(const auto decided, at_step("平台确认兑换", on_host.decide()));
  if (decided.confirmed != 1) return make_error(Errc::internal, "the host did not confirm the redemption");
  CUNWU_TRY(at_step("王秀英同步", wang_link.sync()));
  say(clock, "县平台核对了积分和库存，确认兑换。");
  CUNWU_TRY(show_account(clock, on_wang, home));

  clock.set(china_time(2026, 7, 13, 17, 10));
  CUNWU_TRY(at_step("杨店主同步", yang_link.sync()));
  say(clock, "王秀英到村口的积分超市，杨店主在手机上看到已确认的兑换单，把香皂交给她。");
  CUNWU_TRY(at_step("领取", on_yang.fulfil(shopkeeper, home, request)));
  CUNWU_TRY(at_step("杨店主同步", yang_link.sync()));
  CUNWU_TRY(at_step("王秀英同步", wang_link.sync()));

  CUNWU_ASSIGN(const auto ledger, at_step("查看积分明细", on_wang.ledger(home)));
  if (ledger.redemptions.empty() || ledger.redemptions[0].status != points::RedemptionStatus::fulfilled) {
    return make_error(Errc::internal, "the phone does not see the hand-over");
  }
  std::printf("\n王秀英手机上的积分明细：\n");
  for (const auto& e : ledger.entries) {
    std::printf("  %s  %-4s %+lld分  %s\n", china_datetime(e.at).c_str(), std::string(points::label_zh(e.kind)).c_str(),
                static_cast<long long>(e.delta.value), e.title.c_str());
  }
  std::printf("  兑换单：%s，%s\n", ledger.redemptions[0].goods_name.c_str(),
              std::string(points::label_zh(ledger.redemptions[0].status)).c_str());
  CUNWU_ASSIGN(const auto honour, at_step("光荣榜", on_wang.honour_list(village, *points::parse_period("2026-07"))));
  std::printf("\n河山村7月积分光荣榜：\n");
  for (const auto& row : honour) std::printf("  第%d名 %s %s\n", row.rank, row.name.c_str(), pts(row.points).c_str());
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
