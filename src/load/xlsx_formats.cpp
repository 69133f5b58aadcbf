// Number formats and the text of dates and numbers (load/xlsx_formats.h).
#include "load/xlsx_formats.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace cp::load::xlsx {

namespace {

// Built-in number formats that show dates or times (ECMA-376 §18.8.30, and
// the East Asian date formats Excel also uses).
bool builtin_is_date(int id) { return (id >= 14 && id <= 22) || (id >= 27 && id <= 36) || (id >= 45 && id <= 47) || (id >= 50 && id <= 58); }

// Days since 1970-01-01 → civil date (H. Hinnant's days_from_civil, inverted).
void civil_from_days(long z, int& y, int& m, int& d) {
  z += 719468;
  const long era = (z >= 0 ? z : z - 146096) / 146097;
  const long doe = z - era * 146097;
  const long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const long mp = (5 * doy + 2) / 153;
  d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  y = static_cast<int>(yoe + era * 400 + (m <= 2 ? 1 : 0));
}

}  // namespace

Format read_format_code(std::string_view code) {
  Format f;
  const std::string_view first = code.substr(0, code.find(';'));  // the positive-number section
  std::string letters;
  bool in_quote = false;
  for (std::size_t i = 0; i < first.size(); ++i) {
    const char c = first[i];
    if (in_quote) {
      in_quote = c != '"';
      continue;
    }
    if (c == '"') in_quote = true;
    else if (c == '\\' || c == '_' || c == '*') ++i;
    else if (c == '[') {
      const std::size_t close = first.find(']', i);
      const std::string_view inside = first.substr(i + 1, close == std::string_view::npos ? 0 : close - i - 1);
      // [h], [mm], [ss]: elapsed time.
      if (!inside.empty() && (inside[0] == 'h' || inside[0] == 'H' || inside[0] == 'm' || inside[0] == 'M' ||
                              inside[0] == 's' || inside[0] == 'S'))
        f.time = true;
      i = close == std::string_view::npos ? first.size() : close;
    } else
      letters += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  }
  if (letters == "general") return f;
  const bool y = letters.find('y') != std::string::npos, d = letters.find('d') != std::string::npos;
  const bool h = letters.find('h') != std::string::npos, s = letters.find('s') != std::string::npos;
  const bool m = letters.find('m') != std::string::npos;
  f.time = f.time || h || s;
  f.seconds = s;
  f.date = y || d || (m && !f.time);
  if (f.date || f.time) return f;
  f.percent = letters.find('%') != std::string::npos;
  if (letters.find_first_of("0#?") != std::string::npos) {
    const std::size_t dot = letters.find('.');
    f.decimals = 0;
    if (dot != std::string::npos)
      for (std::size_t i = dot + 1; i < letters.size() && (letters[i] == '0' || letters[i] == '#' || letters[i] == '?'); ++i)
        ++f.decimals;
  }
  return f;
}

Format builtin_format(int id) {
  switch (id) {
    case 1: return read_format_code("0");
    case 2: return read_format_code("0.00");
    case 3: return read_format_code("#,##0");
    case 4: return read_format_code("#,##0.00");
    case 9: return read_format_code("0%");
    case 10: return read_format_code("0.00%");
    case 14: return read_format_code("yyyy-mm-dd");
    case 18: case 19: case 20: case 21: case 45: case 46:
      return read_format_code(id == 19 || id == 21 || id == 46 ? "hh:mm:ss" : "hh:mm");
    case 22: return read_format_code("yyyy-mm-dd hh:mm");
    default: {
      Format f;
      f.date = builtin_is_date(id);
      return f;
    }
  }
}

// A date serial as Excel shows it. In the 1900 system Excel counts the
// non-existent 1900-02-29 (serial 60), as Lotus 1-2-3 did.
std::string date_text(double serial, const Format& f, bool date1904) {
  long days = static_cast<long>(std::floor(serial));
  long seconds = std::lround((serial - static_cast<double>(days)) * 86400.0);
  if (seconds >= 86400) {
    ++days;
    seconds -= 86400;
  }
  std::string out;
  if (f.date) {
    if (!date1904 && days == 60) {
      out = "1900-02-29";
    } else {
      // Days from 1970-01-01 to Excel's day 0: 1899-12-31 (1900 system, before
      // the phantom leap day; 1899-12-30 after it) or 1904-01-01.
      const long epoch = date1904 ? -24107 : (days < 60 ? -25568 : -25569);
      int y = 0, m = 0, d = 0;
      civil_from_days(days + epoch, y, m, d);
      out = fmt::format("{:04}-{:02}-{:02}", y, m, d);
    }
  }
  if (f.time) {
    if (!out.empty()) out += ' ';
    out += fmt::format("{:02}:{:02}", seconds / 3600, seconds / 60 % 60);
    if (f.seconds) out += fmt::format(":{:02}", seconds % 60);
  }
  return out;
}

std::string number_text(double v, const Format& f) {
  std::string out;
  if (f.percent) v *= 100.0;
  if (f.decimals >= 0) {
    out = fmt::format("{:.{}f}", v, f.decimals);
  } else {
    out = fmt::format("{:.15g}", v);
  }
  if (out == "-0") out = "0";
  std::replace(out.begin(), out.end(), '.', ',');
  if (f.percent) out += "%";
  return out;
}

}  // namespace cp::load::xlsx
