#pragma once
// Time as milliseconds since the Unix epoch (UTC). Official dates are China Standard Time.
#include <compare>
#include <cstdint>
#include <string>

namespace cunwu {

/// A span of time in milliseconds.
struct Duration {
  std::int64_t ms = 0;
  friend auto operator<=>(const Duration&, const Duration&) = default;
};
constexpr Duration minutes(std::int64_t n) { return {n * 60'000}; }
constexpr Duration hours(std::int64_t n) { return {n * 3'600'000}; }
constexpr Duration days(std::int64_t n) { return {n * 86'400'000}; }

/// A point in time: milliseconds since 1970-01-01T00:00:00Z.
struct TimeMs {
  std::int64_t ms = 0;
  friend auto operator<=>(const TimeMs&, const TimeMs&) = default;
};
constexpr TimeMs operator+(TimeMs t, Duration d) { return {t.ms + d.ms}; }
constexpr Duration operator-(TimeMs a, TimeMs b) { return {a.ms - b.ms}; }

/// The calendar date in China (UTC+8) as "YYYYMMDD", e.g. "20220713".
std::string china_date_compact(TimeMs t);
/// The month in China (UTC+8) as "YYYY-MM".
std::string china_month(TimeMs t);
/// Date and time in China (UTC+8) as "YYYY-MM-DD HH:MM".
std::string china_datetime(TimeMs t);
/// Builds a time from a China (UTC+8) civil date and time.
TimeMs china_time(int year, int month, int day, int hour = 0, int minute = 0);
/// "2小时", "3天", "1天5小时": a duration as a villager reads it (zh).
std::string describe_duration_zh(Duration d);

}  // namespace cunwu
