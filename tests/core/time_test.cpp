// Official dates are China Standard Time (UTC+8): an appeal filed at 00:30 in the village is
// numbered with that day's date, whatever UTC says.
#include "cunwu/base/time.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <string>

namespace cunwu {
namespace {

// Durations do not add up by themselves (only onto a TimeMs); this sums them for the tests.
Duration sum(Duration a, Duration b, Duration c = {}) { return Duration{a.ms + b.ms + c.ms}; }

// 2022-07-12T16:30:00Z, which is 2022-07-13 00:30 in China.
constexpr TimeMs kJuly12_1630Z{1'657'643'400'000};
// 2022-07-12T16:00:00Z: midnight in China.
constexpr TimeMs kChinaMidnight{1'657'641'600'000};

TEST(ChinaTime, DateFollowsChinaNotUtcAfterMidnight) {
  EXPECT_EQ(china_date_compact(kJuly12_1630Z), "20220713");
  EXPECT_EQ(china_month(kJuly12_1630Z), "2022-07");
  EXPECT_EQ(china_datetime(kJuly12_1630Z), "2022-07-13 00:30");
}

TEST(ChinaTime, ExactMidnightBelongsToTheNewDay) {
  EXPECT_EQ(china_date_compact(kChinaMidnight), "20220713");
  EXPECT_EQ(china_datetime(kChinaMidnight), "2022-07-13 00:00");
  const TimeMs last_ms{kChinaMidnight.ms - 1};
  EXPECT_EQ(china_date_compact(last_ms), "20220712");
  EXPECT_EQ(china_datetime(last_ms), "2022-07-12 23:59");
}

TEST(ChinaTime, MonthAndYearChangeAtChinaMidnight) {
  const TimeMs new_year{1'672'502'400'000};  // 2022-12-31T16:00Z = 2023-01-01 00:00 in China
  EXPECT_EQ(china_month(new_year), "2023-01");
  EXPECT_EQ(china_date_compact(new_year), "20230101");
  const TimeMs before{new_year.ms - 60'000};
  EXPECT_EQ(china_month(before), "2022-12");
  EXPECT_EQ(china_datetime(before), "2022-12-31 23:59");
}

TEST(ChinaTime, LeapDay) {
  const TimeMs t{1'709'136'000'000};  // 2024-02-28T16:00Z = 2024-02-29 00:00 in China
  EXPECT_EQ(china_date_compact(t), "20240229");
  EXPECT_EQ(china_date_compact(t + days(1)), "20240301");
  EXPECT_EQ(china_time(2024, 2, 29).ms, t.ms);
}

TEST(ChinaTime, TimesBeforeTheEpochUseFloorDivision) {
  EXPECT_EQ(china_datetime(TimeMs{-28'860'000}), "1969-12-31 23:59");  // 1969-12-31T15:59Z
  EXPECT_EQ(china_datetime(TimeMs{-28'800'000}), "1970-01-01 00:00");
  EXPECT_EQ(china_datetime(TimeMs{0}), "1970-01-01 08:00");
  EXPECT_EQ(china_date_compact(TimeMs{-1}), "19700101");
}

TEST(ChinaTime, BuildsTheSameInstantAsUtcMinusEight) {
  EXPECT_EQ(china_time(2022, 7, 13, 0, 30).ms, kJuly12_1630Z.ms);
  EXPECT_EQ(china_time(2022, 7, 13).ms, kChinaMidnight.ms);
  EXPECT_EQ(china_time(1970, 1, 1, 8, 0).ms, 0);
  EXPECT_EQ((china_time(2026, 7, 13, 9, 0) - china_time(2026, 7, 13, 8, 0)).ms, hours(1).ms);
}

TEST(ChinaTime, RoundTripsEveryHourOfADayAndSeveralDates) {
  const int dates[][3] = {{2022, 7, 12}, {2022, 7, 13}, {2023, 1, 1}, {2024, 2, 29}, {2026, 12, 31}, {1999, 12, 31}};
  for (const auto& d : dates) {
    for (int h = 0; h < 24; ++h) {
      for (int m : {0, 1, 59}) {
        const TimeMs t = china_time(d[0], d[1], d[2], h, m);
        char expect[32];
        std::snprintf(expect, sizeof expect, "%04d-%02d-%02d %02d:%02d", d[0], d[1], d[2], h, m);
        EXPECT_EQ(china_datetime(t), expect);
        char compact[16];
        std::snprintf(compact, sizeof compact, "%04d%02d%02d", d[0], d[1], d[2]);
        EXPECT_EQ(china_date_compact(t), compact);
        EXPECT_EQ(china_date_compact(t + Duration{59'999}), compact) << "seconds never change the date";
      }
    }
  }
}

TEST(DescribeDuration, ReadsAsAVillagerWould) {
  EXPECT_EQ(describe_duration_zh(hours(2)), "2小时");
  EXPECT_EQ(describe_duration_zh(days(3)), "3天");
  EXPECT_EQ(describe_duration_zh(sum(days(1), hours(5))), "1天5小时");
  EXPECT_EQ(describe_duration_zh(minutes(90)), "1小时30分钟");
  EXPECT_EQ(describe_duration_zh(minutes(45)), "45分钟");
  EXPECT_EQ(describe_duration_zh(minutes(1)), "1分钟");
}

TEST(DescribeDuration, DropsMinutesOnceItIsDays) {
  EXPECT_EQ(describe_duration_zh(sum(days(1), hours(5), minutes(30))), "1天5小时");
  EXPECT_EQ(describe_duration_zh(sum(days(2), minutes(59))), "2天");
}

TEST(DescribeDuration, UnderAMinute) {
  EXPECT_EQ(describe_duration_zh(Duration{0}), "不到1分钟");
  EXPECT_EQ(describe_duration_zh(Duration{59'999}), "不到1分钟");
  EXPECT_EQ(describe_duration_zh(Duration{60'000}), "1分钟");
}

TEST(DescribeDuration, NegativeDurationsReadAsTheirMagnitude) {
  EXPECT_EQ(describe_duration_zh(Duration{-hours(2).ms}), "2小时");
  EXPECT_EQ(describe_duration_zh(Duration{-(days(1).ms + hours(5).ms)}), "1天5小时");
  EXPECT_EQ(describe_duration_zh(Duration{-30'000}), "不到1分钟");
}

TEST(Duration, HelpersAndArithmetic) {
  EXPECT_EQ(minutes(2).ms, 120'000);
  EXPECT_EQ(hours(1).ms, 3'600'000);
  EXPECT_EQ(days(1).ms, 86'400'000);
  const TimeMs t{1000};
  EXPECT_EQ((t + hours(1)).ms, 3'601'000);
  EXPECT_EQ(((t + days(2)) - t).ms, days(2).ms);
  EXPECT_LT(t, t + Duration{1});
}

}  // namespace
}  // namespace cunwu
