// Swedish wall-clock time (Europe/Stockholm) from seconds since the epoch,
// computed from the EU summer-time rule in force since 1996 (CET, and CEST
// from 01:00 UTC on the last Sunday of March to 01:00 UTC on the last Sunday
// of October), so it never depends on the machine's time-zone settings.
#pragma once

#include <string>

namespace cp::swedish_time {

struct LocalTime {
  int year = 1970, month = 1, day = 1, hour = 0, minute = 0;
  bool summer = false;  // CEST
};

LocalTime local(long long epoch_seconds);

// "2026-12-01 kl. 17:32"
std::string format(long long epoch_seconds);

}  // namespace cp::swedish_time
