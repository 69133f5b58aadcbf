#include "core/swedish_time.h"

#include <fmt/format.h>

namespace cp::swedish_time {

namespace {

// Days since 1970-01-01 of a civil date, and back (H. Hinnant's algorithms).
long long days_from_civil(long long y, unsigned m, unsigned d) {
  y -= m <= 2;
  const long long era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<long long>(doe) - 719468;
}

void civil_from_days(long long z, int& year, int& month, int& day) {
  z += 719468;
  const long long era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  year = static_cast<int>(static_cast<long long>(yoe) + era * 400 + (month <= 2));
}

long long floor_div(long long a, long long b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

// 01:00 UTC on the last Sunday of `month` (March or October) of `year`.
long long switch_at(int year, unsigned month) {
  const long long last = days_from_civil(year, month, 31);
  const long long weekday = ((last + 4) % 7 + 7) % 7;  // 1970-01-01 was a Thursday; 0 = Sunday
  return (last - weekday) * 86400 + 3600;
}

}  // namespace

LocalTime local(long long epoch) {
  int y = 0, m = 0, d = 0;
  civil_from_days(floor_div(epoch, 86400), y, m, d);
  const bool summer = epoch >= switch_at(y, 3) && epoch < switch_at(y, 10);
  const long long t = epoch + (summer ? 7200 : 3600);
  LocalTime out;
  out.summer = summer;
  civil_from_days(floor_div(t, 86400), out.year, out.month, out.day);
  const long long secs = t - floor_div(t, 86400) * 86400;
  out.hour = static_cast<int>(secs / 3600);
  out.minute = static_cast<int>(secs % 3600 / 60);
  return out;
}

std::string format(long long epoch) {
  const LocalTime t = local(epoch);
  return fmt::format("{:04}-{:02}-{:02} kl. {:02}:{:02}", t.year, t.month, t.day, t.hour, t.minute);
}

}  // namespace cp::swedish_time
