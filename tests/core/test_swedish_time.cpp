#include "core/swedish_time.h"

#include <catch2/catch.hpp>

using cp::swedish_time::format;

TEST_CASE("Swedish time is UTC+1 in winter and UTC+2 in summer, switching at 01:00 UTC") {
  CHECK(format(0) == "1970-01-01 kl. 01:00");
  CHECK(format(1680000000) == "2023-03-28 kl. 12:40");  // 10:40 UTC, summer time
  CHECK(format(1796146320) == "2026-12-01 kl. 18:32");  // 17:32 UTC, winter time
  // 2023: summer time from 26 March 01:00 UTC to 29 October 01:00 UTC.
  CHECK(format(1679792399) == "2023-03-26 kl. 01:59");
  CHECK(format(1679792400) == "2023-03-26 kl. 03:00");
  CHECK(format(1698541199) == "2023-10-29 kl. 02:59");
  CHECK(format(1698541200) == "2023-10-29 kl. 02:00");
  // New Year's Eve late in UTC is already the next year in Sweden.
  CHECK(format(1704066000) == "2024-01-01 kl. 00:40");  // 2023-12-31 23:40 UTC
  CHECK(cp::swedish_time::local(1680000000).summer);
}
