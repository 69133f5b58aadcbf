// Number formats of a workbook: what a cell's style shows (a date, a time,
// fixed decimals, a percentage) and a number as Excel in a Swedish locale
// shows it in that format.
#pragma once

#include <string>
#include <string_view>

namespace cp::load::xlsx {

struct Format {
  bool date = false;      // shows a date
  bool time = false;      // shows a time of day
  bool seconds = false;   // ... with seconds
  int decimals = -1;      // fixed decimals; -1 for General
  bool percent = false;
};

// What a format code shows. Quoted text, escaped characters and [colour]
// sections are not format letters.
Format read_format_code(std::string_view code);

// What built-in number format `id` shows (ECMA-376 §18.8.30).
Format builtin_format(int id);

// A date serial as Excel shows it (the 1900 or the 1904 date system).
std::string date_text(double serial, const Format& f, bool date1904);

// A number as Excel in a Swedish locale shows it: a decimal comma, General
// with up to 15 significant digits and no trailing zeros.
std::string number_text(double v, const Format& f);

}  // namespace cp::load::xlsx
