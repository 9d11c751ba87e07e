// Official numbers at volume: a county's daily sequence grows past 3 digits up to 6, the devices
// fold the longer numbers as the host does, and past the day's last number a filing is still
// accepted (with its provisional number) instead of failing the push that carries it.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "cunwu/appeals/domain.hpp"
#include "cunwu/appeals/service.hpp"
#include "cunwu/store/org_store.hpp"
#include "support/demo_people.hpp"
#include "sync_fixture.hpp"

namespace cunwu {
namespace {

using testing::Device;
using testing::TestHost;

// The host's counter of the numbers the county issued on the demo day, as the store keeps it.
const std::string kIssuedOnTheDemoDay = "appeals.seq.20260713";

class SyncNumbering : public ::testing::Test {
 protected:
  /// The county has issued `n` numbers today, as the host's counter says (instead of `n` filings).
  void issued_today(long n) {
    ASSERT_TRUE(store::put_setting(host.replica->db(), kCounty, kIssuedOnTheDemoDay, std::to_string(n)));
  }
  std::string counter() {
    const auto v = store::get_setting(host.replica->db(), kCounty, kIssuedOnTheDemoDay);
    return v && *v ? **v : std::string("(none)");
  }
  /// 王 files on his phone and syncs: the request must succeed and the filing be accepted.
  /// Returns the appeal as his phone then holds it.
  appeals::Appeal file_and_sync() {
    const auto id =
        appeals::Service(*phone.replica)
            .file(kWang, {kY1, appeals::Category::environment, appeals::Urgency::green, "村口的路灯坏了", {}});
    EXPECT_TRUE(id);
    if (!id) return {};
    const auto report = testing::round_trip(phone, host);  // fails the test if the request fails
    EXPECT_EQ(report.accepted, 1u);
    EXPECT_TRUE(report.rejected.empty());
    EXPECT_EQ(*phone.client.pending(), 0);
    const auto a = appeals::Service(*phone.replica).get(*id);
    EXPECT_TRUE(a);
    return a ? *a : appeals::Appeal{};
  }

  TestHost host{testing::demo_start()};
  Device phone{"phone-wang", kWang, testing::demo_start()};
  Device tablet{"tablet-head", kHead, testing::demo_start()};  // the courtyard head's, receives them too
};

TEST_F(SyncNumbering, TheTenThousandthAndHundredThousandthNumbersOfADayReachTheDevices) {
  issued_today(9'999);
  const auto ten_thousandth = file_and_sync();
  EXPECT_EQ(ten_thousandth.official_number, "2026071310000");
  issued_today(99'999);
  const auto hundred_thousandth = file_and_sync();
  EXPECT_EQ(hundred_thousandth.official_number, "20260713100000");
  const auto next = file_and_sync();
  EXPECT_EQ(next.official_number, "20260713100001");
  issued_today(appeals::kMaxDailySequence - 1);
  const auto last = file_and_sync();
  EXPECT_EQ(last.official_number, "20260713999999");
  EXPECT_EQ(counter(), "999999");

  // Another device receives the host's number ops and folds them without a conflict.
  testing::sync_all(tablet, host);
  std::set<std::string> numbers;
  for (const auto& a : {ten_thousandth, hundred_thousandth, next, last}) {
    const auto there = appeals::Service(*tablet.replica).get(a.id);
    ASSERT_TRUE(there) << a.id.str();
    EXPECT_EQ(there->official_number, a.official_number);
    EXPECT_EQ(there->display_number(), a.official_number);
    EXPECT_TRUE(there->registered_at.has_value());
    numbers.insert(a.official_number);
  }
  EXPECT_EQ(numbers.size(), 4u) << "a number was issued twice";
  EXPECT_TRUE(phone.replica->conflicts()->empty());
  EXPECT_TRUE(tablet.replica->conflicts()->empty());
  EXPECT_TRUE(host.replica->conflicts()->empty());
  EXPECT_EQ(*phone.replica->canonical_dump(), *host.replica->canonical_dump());
}

TEST_F(SyncNumbering, PastTheDaysLastNumberAFilingStaysAcceptedWithItsProvisionalNumber) {
  issued_today(appeals::kMaxDailySequence);
  const auto first = file_and_sync();
  EXPECT_TRUE(first.official_number.empty());
  EXPECT_FALSE(first.provisional_number.empty());
  EXPECT_EQ(first.display_number(), first.provisional_number);
  EXPECT_EQ(counter(), "999999") << "nothing was issued";
  // So is the next push that files (before, every one failed for the rest of the day).
  const auto second = file_and_sync();
  EXPECT_TRUE(second.official_number.empty());
  EXPECT_EQ(appeals::Service(*host.replica).assign_official_number(first.id, host.clock.now()).code(),
            Errc::numbers_exhausted);
  EXPECT_FALSE(user_message(Errc::numbers_exhausted, Lang::zh).empty());
  EXPECT_TRUE(host.replica->conflicts()->empty());
  EXPECT_EQ(*phone.replica->canonical_dump(), *host.replica->canonical_dump());

  // The next China day's numbers start again.
  host.clock.set(china_time(2026, 7, 14, 0, 1));
  phone.clock.set(china_time(2026, 7, 14, 0, 1));
  EXPECT_EQ(file_and_sync().official_number, "20260714001");
  EXPECT_EQ(counter(), "999999");
}

}  // namespace
}  // namespace cunwu
