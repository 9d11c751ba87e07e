#include "cunwu/base/time.hpp"

#include <chrono>
#include <cstdio>

namespace cunwu {
namespace {

constexpr std::int64_t kChinaOffsetMs = 8 * 3'600'000;

struct Civil {
  int year;
  unsigned month, day, hour, minute;
};

// Floor division so that times before 1970 still land on the right day.
Civil to_china_civil(TimeMs t) {
  const std::int64_t local = t.ms + kChinaOffsetMs;
  std::int64_t day_index = local / 86'400'000;
  std::int64_t in_day = local % 86'400'000;
  if (in_day < 0) {
    in_day += 86'400'000;
    --day_index;
  }
  const std::chrono::year_month_day ymd{std::chrono::sys_days{std::chrono::days{day_index}}};
  return Civil{int(ymd.year()), unsigned(ymd.month()), unsigned(ymd.day()),
               unsigned(in_day / 3'600'000), unsigned(in_day / 60'000 % 60)};
}

}  // namespace

std::string china_date_compact(TimeMs t) {
  const Civil c = to_china_civil(t);
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d%02u%02u", c.year, c.month, c.day);
  return buf;
}

std::string china_month(TimeMs t) {
  const Civil c = to_china_civil(t);
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u", c.year, c.month);
  return buf;
}

std::string china_datetime(TimeMs t) {
  const Civil c = to_china_civil(t);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u %02u:%02u", c.year, c.month, c.day, c.hour, c.minute);
  return buf;
}

TimeMs china_time(int year, int month, int day, int hour, int minute) {
  const std::chrono::sys_days d{std::chrono::year{year} / std::chrono::month{unsigned(month)} /
                                std::chrono::day{unsigned(day)}};
  const std::int64_t day_ms = std::int64_t{d.time_since_epoch().count()} * 86'400'000;
  return TimeMs{day_ms + std::int64_t{hour} * 3'600'000 + std::int64_t{minute} * 60'000 - kChinaOffsetMs};
}

std::string describe_duration_zh(Duration d) {
  std::int64_t total_min = d.ms / 60'000;
  if (total_min < 0) total_min = -total_min;
  const std::int64_t dd = total_min / 1440, hh = total_min / 60 % 24, mm = total_min % 60;
  std::string out;
  if (dd > 0) out += std::to_string(dd) + "天";
  if (hh > 0) out += std::to_string(hh) + "小时";
  if (dd == 0 && mm > 0) out += std::to_string(mm) + "分钟";
  return out.empty() ? "不到1分钟" : out;
}

}  // namespace cunwu
