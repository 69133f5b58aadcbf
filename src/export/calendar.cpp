#include "export/calendar.h"

#include <fmt/format.h>

#include <algorithm>
#include <tuple>
#include <vector>

namespace cp::calendar {

namespace {

// The rule in force since 1996: CEST from the last Sunday of March, 02:00
// local, to the last Sunday of October, 03:00 local.
constexpr std::string_view kTimeZone =
    "BEGIN:VTIMEZONE\r\n"
    "TZID:Europe/Stockholm\r\n"
    "BEGIN:DAYLIGHT\r\n"
    "TZOFFSETFROM:+0100\r\n"
    "TZOFFSETTO:+0200\r\n"
    "TZNAME:CEST\r\n"
    "DTSTART:19960331T020000\r\n"
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\n"
    "END:DAYLIGHT\r\n"
    "BEGIN:STANDARD\r\n"
    "TZOFFSETFROM:+0200\r\n"
    "TZOFFSETTO:+0100\r\n"
    "TZNAME:CET\r\n"
    "DTSTART:19961027T030000\r\n"
    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\n"
    "END:STANDARD\r\n"
    "END:VTIMEZONE\r\n";

bool leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

model::Date next_day(model::Date d) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const int days = d.month == 2 && leap(d.year) ? 29 : kDays[d.month - 1];
  if (++d.day > days) {
    d.day = 1;
    if (++d.month > 12) {
      d.month = 1;
      ++d.year;
    }
  }
  return d;
}

std::string basic_date(const model::Date& d) { return fmt::format("{:04}{:02}{:02}", d.year, d.month, d.day); }

std::string local_time(const model::Date& d, const model::Time& t) {
  return fmt::format("{}T{:02}{:02}00", basic_date(d), t.hour, t.minute);
}

std::string utc_stamp(long long epoch) {
  // Days since the epoch to a civil date (Howard Hinnant's algorithm).
  long long days = epoch >= 0 ? epoch / 86400 : (epoch - 86399) / 86400;
  long long secs = epoch - days * 86400;
  days += 719468;
  const long long era = (days >= 0 ? days : days - 146096) / 146097;
  const long long doe = days - era * 146097;
  const long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const long long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const long long mp = (5 * doy + 2) / 153;
  const long long day = doy - (153 * mp + 2) / 5 + 1;
  const long long month = mp < 10 ? mp + 3 : mp - 9;
  const long long year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  return fmt::format("{:04}{:02}{:02}T{:02}{:02}{:02}Z", year, month, day, secs / 3600, secs / 60 % 60, secs % 60);
}

std::string join(const std::vector<std::string>& parts, std::string_view sep) {
  std::string r;
  for (const auto& s : parts) {
    if (s.empty()) continue;
    if (!r.empty()) r += sep;
    r += s;
  }
  return r;
}

std::string event(const model::Programme& p, const model::Municipality& m, const model::Visit& v,
                  const std::string& stamp) {
  std::string out;
  auto line = [&out](std::string_view l) { out += fold_line(l); };
  const auto course_it = p.courses.find(v.course);
  const std::string course = course_it != p.courses.end() ? course_it->second.title : v.course;
  line("BEGIN:VEVENT");
  line("UID:" + visit_uid(m, v));
  line("DTSTAMP:" + stamp);
  if (v.start) {
    line("DTSTART;TZID=Europe/Stockholm:" + local_time(v.date, *v.start));
    if (v.end) line("DTEND;TZID=Europe/Stockholm:" + local_time(v.date, *v.end));
  } else {
    // No start time: the visit is a day in the calendar.
    line("DTSTART;VALUE=DATE:" + basic_date(v.date));
    line("DTEND;VALUE=DATE:" + basic_date(next_day(v.date)));
  }
  line("SUMMARY:" + escape_text((v.status == model::VisitStatus::Cancelled ? "Inställd: " : "") + course + " – " +
                                model::short_municipality_name(m.name)));
  const std::string location = join({v.venue, v.address}, ", ");
  if (!location.empty()) line("LOCATION:" + escape_text(location));
  std::vector<std::string> description;
  description.push_back("Kurs: " + course);
  if (course_it != p.courses.end() && course_it->second.hours > 0)
    description.push_back(fmt::format("Omfattning: {:g} timmar", course_it->second.hours));
  description.push_back("Kommun: " + m.name);
  if (!v.trainers.empty()) description.push_back("Utbildare: " + join(v.trainers, ", "));
  if (!p.project.title.empty()) description.push_back(p.project.title);
  line("DESCRIPTION:" + escape_text(join(description, "\n")));
  if (v.status == model::VisitStatus::Cancelled) {
    // SEQUENCE above the confirmed entry's 0: a calendar that imported the
    // visit before takes this as its newer version.
    line("SEQUENCE:1");
    line("STATUS:CANCELLED");
  } else {
    line("STATUS:CONFIRMED");
  }
  line("END:VEVENT");
  return out;
}

std::string calendar(std::string_view name, const std::string& events) {
  std::string out;
  out += fold_line("BEGIN:VCALENDAR");
  out += fold_line("VERSION:2.0");
  out += fold_line("PRODID:-//coursepack//coursepack//SV");
  out += fold_line("CALSCALE:GREGORIAN");
  if (!name.empty()) out += fold_line("X-WR-CALNAME:" + escape_text(name));
  out += fold_line("X-WR-TIMEZONE:Europe/Stockholm");
  out += kTimeZone;
  out += events;
  out += fold_line("END:VCALENDAR");
  return out;
}

}  // namespace

std::string escape_text(std::string_view text) {
  std::string r;
  r.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    switch (c) {
      case '\\': r += "\\\\"; break;
      case ';': r += "\\;"; break;
      case ',': r += "\\,"; break;
      case '\r':
        if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
        r += "\\n";
        break;
      case '\n': r += "\\n"; break;
      default:
        // Other control characters are not allowed in TEXT.
        if (static_cast<unsigned char>(c) < 0x20 && c != '\t') break;
        r += c;
    }
  }
  return r;
}

std::string fold_line(std::string_view line) {
  std::string out;
  std::size_t pos = 0;
  std::size_t limit = 75;  // the first line; continuations carry a leading space
  while (line.size() - pos > limit) {
    std::size_t cut = pos + limit;
    // Back up to the start of a UTF-8 sequence.
    while (cut > pos && (static_cast<unsigned char>(line[cut]) & 0xC0) == 0x80) --cut;
    out.append(line.substr(pos, cut - pos));
    out += "\r\n ";
    pos = cut;
    limit = 74;
  }
  out.append(line.substr(pos));
  out += "\r\n";
  return out;
}

std::string visit_uid(const model::Municipality& m, const model::Visit& v) {
  return fmt::format("{}-{}@coursepack", m.slug, v.key());
}

std::string visit_ics(const model::Programme& p, const model::Municipality& m, const model::Visit& v,
                      long long stamp) {
  const auto course = p.courses.find(v.course);
  const std::string name =
      (course != p.courses.end() ? course->second.title : v.course) + " – " + model::short_municipality_name(m.name);
  return calendar(name, event(p, m, v, utc_stamp(stamp)));
}

std::string programme_ics(const model::Programme& p, long long stamp) {
  std::vector<std::tuple<model::Date, std::string, std::string, const model::Municipality*, const model::Visit*>>
      visits;
  for (const auto& m : p.municipalities)
    for (const auto& v : m.visits) visits.emplace_back(v.date, m.slug, v.course, &m, &v);
  std::sort(visits.begin(), visits.end(), [](const auto& a, const auto& b) {
    return std::tie(std::get<0>(a), std::get<1>(a), std::get<2>(a)) <
           std::tie(std::get<0>(b), std::get<1>(b), std::get<2>(b));
  });
  const std::string when = utc_stamp(stamp);
  std::string events;
  for (const auto& [date, slug, course, m, v] : visits) events += event(p, *m, *v, when);
  return calendar(p.project.title, events);
}

}  // namespace cp::calendar
