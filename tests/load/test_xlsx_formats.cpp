// Number formats and the text of dates and numbers (load/xlsx_formats.h),
// without a workbook: what a format code shows, and a value as Excel in a
// Swedish locale shows it.
#include "load/xlsx_formats.h"

#include <catch2/catch.hpp>

using cp::load::xlsx::builtin_format;
using cp::load::xlsx::date_text;
using cp::load::xlsx::Format;
using cp::load::xlsx::number_text;
using cp::load::xlsx::read_format_code;

TEST_CASE("xlsx formats: what a format code shows") {
  const Format general = read_format_code("General");
  CHECK_FALSE(general.date);
  CHECK_FALSE(general.time);
  CHECK(general.decimals == -1);

  const Format date = read_format_code("yyyy-mm-dd");
  CHECK(date.date);
  CHECK_FALSE(date.time);
  // m beside h is minutes, not months.
  const Format time = read_format_code("hh:mm");
  CHECK(time.time);
  CHECK_FALSE(time.date);
  CHECK_FALSE(time.seconds);
  CHECK(read_format_code("mm:ss").seconds);
  CHECK(read_format_code("[h]:mm").time);  // elapsed hours
  CHECK(read_format_code("mmm yyyy").date);
  CHECK(read_format_code("YYYY-MM-DD HH:MM").date);

  // Quoted text, escaped characters and colours are not format letters.
  const Format money = read_format_code("0.00\" dagar\"");
  CHECK_FALSE(money.date);
  CHECK(money.decimals == 2);
  CHECK_FALSE(read_format_code("\\d0").date);
  const Format red = read_format_code("[Red]0.0");
  CHECK_FALSE(red.date);
  CHECK(red.decimals == 1);
  // Only the section for positive numbers counts.
  CHECK(read_format_code("0;[Red]-0.000").decimals == 0);

  const Format percent = read_format_code("0.0%");
  CHECK(percent.percent);
  CHECK(percent.decimals == 1);
}

TEST_CASE("xlsx formats: built-in formats by number") {
  CHECK(builtin_format(0).decimals == -1);
  CHECK(builtin_format(2).decimals == 2);
  CHECK(builtin_format(10).percent);
  CHECK(builtin_format(14).date);
  CHECK(builtin_format(20).time);
  CHECK_FALSE(builtin_format(20).seconds);
  CHECK(builtin_format(21).seconds);
  const Format both = builtin_format(22);
  CHECK((both.date && both.time));
  CHECK(builtin_format(30).date);  // an East Asian date format
  CHECK_FALSE(builtin_format(49).date);
}

TEST_CASE("xlsx formats: dates as Excel shows them") {
  const Format date = read_format_code("yyyy-mm-dd");
  CHECK(date_text(1, date, false) == "1900-01-01");
  CHECK(date_text(59, date, false) == "1900-02-28");
  CHECK(date_text(60, date, false) == "1900-02-29");  // the leap day Excel counts and the year did not have
  CHECK(date_text(61, date, false) == "1900-03-01");
  CHECK(date_text(45000, date, false) == "2023-03-15");
  CHECK(date_text(45000.99, date, false) == "2023-03-15");  // the time of day is not shown
  // The 1904 system counts from 1904-01-01.
  CHECK(date_text(0, date, true) == "1904-01-01");
  CHECK(date_text(1461, date, true) == "1908-01-01");
  CHECK(date_text(43537, date, true) == "2023-03-14");
}

TEST_CASE("xlsx formats: times, and a time that rounds into the next day") {
  const Format hm = read_format_code("hh:mm");
  const Format hms = read_format_code("hh:mm:ss");
  const Format both = read_format_code("yyyy-mm-dd hh:mm");
  CHECK(date_text(0.375, hm, false) == "09:00");
  CHECK(date_text(0.5 + 1.0 / 86400.0, hms, false) == "12:00:01");
  CHECK(date_text(45000.75, both, false) == "2023-03-15 18:00");
  // Half a second before midnight is midnight of the next day.
  CHECK(date_text(45000.0 + 86399.6 / 86400.0, both, false) == "2023-03-16 00:00");
}

TEST_CASE("xlsx formats: numbers with a decimal comma") {
  const Format general = read_format_code("General");
  CHECK(number_text(1, general) == "1");
  CHECK(number_text(3.5, general) == "3,5");
  CHECK(number_text(0.1 + 0.2, general) == "0,3");  // 15 significant digits, as Excel
  CHECK(number_text(-0.0, general) == "0");
  CHECK(number_text(-2.25, general) == "-2,25");
  CHECK(number_text(2.5, read_format_code("0.00")) == "2,50");
  CHECK(number_text(0.25, read_format_code("0%")) == "25%");
  CHECK(number_text(0.125, read_format_code("0.0%")) == "12,5%");
}
