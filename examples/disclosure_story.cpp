// 公开故事 — 河山村 discloses its second-quarter accounts: 张书记 publishes the record, finds a
// mistyped line and publishes a correction (the first version stays readable), 王秀英 reads it
// on her phone, asks about the road repair, and the village committee answers officially.
// Exits non-zero, printing the catalogued message, if any step fails.
#include <cstdio>
#include <exception>
#include <string>

#include "cunwu/disclosure/content.hpp"
#include "cunwu/disclosure/service.hpp"
#include "story.hpp"

namespace {

using namespace cunwu;
using namespace cunwu::story;
using disclosure::Fen;
using disclosure::FinanceRecord;
using disclosure::Json;

FinanceRecord second_quarter() {
  FinanceRecord f;
  f.period = "2026Q2";
  f.opening = Fen{28'650'000};
  f.income = {{"茶园承包费", Fen{2'000'000}, "青山茶业专业合作社", {}, ""},
              {"上级转移支付", Fen{5'600'000}, "大桥镇财政所", {}, ""},
              {"光伏发电收益", Fen{860'000}, "国网青山县供电公司", {}, ""}};
  f.spending = {{"道路维修", Fen{2'350'000}, "青山县路桥工程有限公司", {}, "村口至茶园机耕路1.2公里"},
                {"村干部误工补贴", Fen{1'200'000}, "村两委成员", {}, ""},
                {"人居环境整治", Fen{680'000}, "河山村保洁队", {}, ""},
                {"办公费用", Fen{126'000}, "大桥镇文具店", {}, ""}};
  f.closing = f.expected_closing();
  return f;
}

// Pads to `width` terminal columns, a Chinese character taking two.
std::string pad(const std::string& s, std::size_t width, bool right = false) {
  std::size_t cols = 0;
  for (unsigned char c : s) {
    if (c < 0x80) ++cols;
    else if ((c & 0xC0) != 0x80) cols += 2;
  }
  const std::string fill(cols < width ? width - cols : 0, ' ');
  return right ? fill + s : s + fill;
}

void print_lines(const char* heading, const std::vector<disclosure::Line>& lines) {
  std::printf("  %s\n", heading);
  for (const auto& l : lines) {
    std::printf("    %s %s   %s\n", pad(l.category, 16).c_str(), pad(disclosure::format_yuan(l.amount), 16, true).c_str(),
                l.counterparty.c_str());
  }
}

void print_record(const FinanceRecord& f) {
  std::printf("  %s 收支明细\n", disclosure::period_label_zh(f.period).c_str());
  std::printf("  期初余额 %s\n", disclosure::format_yuan(f.opening).c_str());
  print_lines("收入", f.income);
  print_lines("支出", f.spending);
  std::printf("  收入合计 %s，支出合计 %s\n", disclosure::format_yuan(f.total_income()).c_str(),
              disclosure::format_yuan(f.total_spending()).c_str());
  std::printf("  期末余额 %s（期初 + 收入 − 支出，账目平衡）\n", disclosure::format_yuan(f.closing).c_str());
}

Status tell_story() {
  StoryClock clock;
  CUNWU_ASSIGN(const auto county, at_step("载入示范县", load_county()));
  const RegionId village("qs/dq/hs");
  const UserId zhang("cadre-hs"), wang("wang");
  clock.set(china_time(2026, 7, 5, 9, 0));
  CUNWU_ASSIGN(auto host, at_step("县平台", open_device("host-qs", clock, county)));
  CUNWU_ASSIGN(auto pc, at_step("村委会电脑", open_device("pc-hs", clock, county)));
  CUNWU_ASSIGN(auto phone, at_step("王秀英的手机", open_device("phone-wang", clock, county)));
  Link pc_link(*pc, *host), phone_link(*phone, *host);
  disclosure::Service on_pc(*pc), on_phone(*phone);

  std::printf("== 公开故事：河山村第二季度账目 ==\n");
  say(clock, "张书记在村委会电脑上录入第二季度的收支，系统核对账目平衡后公开。");
  Json fields = disclosure::to_fields(second_quarter());
  fields["title"] = "河山村2026年第二季度财务收支公开";
  fields["body"] = "现将本村第二季度集体财务收支公开，接受全体村民监督。";
  CUNWU_ASSIGN(const EntityId id, at_step("起草", on_pc.draft(zhang, village, disclosure::PostType::finance, fields)));
  CUNWU_TRY(at_step("公开", on_pc.publish(zhang, id)));
  CUNWU_TRY(at_step("同步", pc_link.sync()));

  clock.set(china_time(2026, 7, 5, 16, 20));
  say(clock, "会计核对发票，发现办公费用录错了：应为1,620.00元。已公开的账目不能改，张书记发布更正。");
  FinanceRecord corrected = second_quarter();
  corrected.spending[3].amount = Fen{162'000};
  corrected.closing = corrected.expected_closing();
  const Json changes{{"spending", disclosure::to_fields(corrected)["spending"]}, {"closing", corrected.closing.value}};
  CUNWU_TRY(at_step("更正", on_pc.amend(zhang, id, "办公费用发票金额录入错误，按发票更正", changes)));
  CUNWU_TRY(at_step("同步", pc_link.sync()));

  clock.set(china_time(2026, 7, 6, 19, 30));
  CUNWU_TRY(at_step("王秀英同步", phone_link.sync()));
  say(clock, "晚饭后，王秀英在手机上打开村务公开：");
  CUNWU_ASSIGN(const auto post, at_step("查看", on_phone.published(id)));
  CUNWU_ASSIGN(const auto record, at_step("账目", disclosure::finance_of(post.content())));
  std::printf("  《%s》 第%zu版\n", post.title().c_str(), post.versions.size());
  print_record(record);
  std::printf("  更正原因：%s\n", post.versions.back().reason.c_str());
  CUNWU_ASSIGN(const auto diff, at_step("对比", on_phone.diff(id, 1, 2)));
  std::printf("  与第1版相比：\n");
  const std::string changes_text = disclosure::describe_zh(diff);
  for (std::size_t start = 0, end; start < changes_text.size(); start = end + 1) {
    end = changes_text.find('\n', start);
    std::printf("    %s\n", changes_text.substr(start, end - start).c_str());
  }
  CUNWU_TRY(at_step("已读", on_phone.read(wang, id)));

  say(clock, "王秀英想知道道路维修修的是哪段路，在公开下面留言提问。");
  CUNWU_ASSIGN(const auto question, at_step("提问", on_phone.ask(wang, id, "道路维修花了23,500元，修的是哪一段路？")));
  CUNWU_TRY(at_step("王秀英同步", phone_link.sync()));

  clock.set(china_time(2026, 7, 7, 8, 40));
  CUNWU_TRY(at_step("村委会同步", pc_link.sync()));
  CUNWU_TRY(at_step("答复", on_pc.answer(zhang, id, question, "修的是村口到茶园的机耕路，共1.2公里，验收单已上传。")));
  CUNWU_TRY(at_step("村委会同步", pc_link.sync()));
  CUNWU_TRY(at_step("王秀英同步", phone_link.sync()));
  CUNWU_ASSIGN(const auto answered, at_step("查看", on_phone.published(id)));
  for (const auto& q : answered.questions) {
    std::printf("  问（%s，针对第%d版）：%s\n", county.user(q.asker)->name.c_str(), q.version, q.text.c_str());
    for (const auto& a : q.answers) {
      std::printf("  答（%s%s）：%s\n", county.user(a.by)->name.c_str(), a.official ? "，官方答复" : "", a.text.c_str());
    }
  }
  CUNWU_ASSIGN(const auto awareness, at_step("知晓率", disclosure::Service(*host).awareness(id)));
  say(clock, "本条公开的知晓率：" + std::to_string(awareness.readers) + "/" + std::to_string(awareness.residents) +
                 " 位村民已读。");
  std::printf("故事结束\n");
  return ok_status();
}

}  // namespace

int main() {
  try {
    if (auto s = tell_story(); !s) {
      std::fprintf(stderr, "故事中断：%s（%s）\n", std::string(user_message(s.error().code)).c_str(), s.error().detail.c_str());
      return 1;
    }
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "internal error: %s\n", e.what());
    return 2;
  }
}
