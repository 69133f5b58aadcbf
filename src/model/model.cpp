#include "model/model.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <string_view>

namespace cp::model {

namespace {

bool is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int days_in_month(int y, int m) {
  static constexpr std::array<int, 12> days{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap(y) ? 29 : days[static_cast<std::size_t>(m - 1)];
}

bool all_digits(const std::string& s, std::size_t from, std::size_t n) {
  for (std::size_t i = from; i < from + n; ++i)
    if (s[i] < '0' || s[i] > '9') return false;
  return true;
}

int number(const std::string& s, std::size_t from, std::size_t n) {
  int v = 0;
  for (std::size_t i = from; i < from + n; ++i) v = v * 10 + (s[i] - '0');
  return v;
}

}  // namespace

std::string Date::iso() const {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", year, month, day);
  return buf;
}

std::string Date::swedish_long() const {
  static constexpr std::array<const char*, 12> months{"januari", "februari", "mars",     "april",
                                                      "maj",     "juni",     "juli",     "augusti",
                                                      "september", "oktober", "november", "december"};
  return std::to_string(day) + " " + months[static_cast<std::size_t>(month - 1)] + " " + std::to_string(year);
}

std::optional<Date> Date::parse_iso(const std::string& s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-' || !all_digits(s, 0, 4) || !all_digits(s, 5, 2) ||
      !all_digits(s, 8, 2))
    return std::nullopt;
  Date d{number(s, 0, 4), number(s, 5, 2), number(s, 8, 2)};
  if (d.year < 1900 || d.month < 1 || d.month > 12 || d.day < 1 || d.day > days_in_month(d.year, d.month))
    return std::nullopt;
  return d;
}

std::string Time::str() const {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%02d:%02d", hour, minute);
  return buf;
}

Date Date::plus_months(int months) const {
  const int index = year * 12 + (month - 1) + months;
  Date d{index / 12, index % 12 + 1, day};
  d.day = std::min(d.day, days_in_month(d.year, d.month));
  return d;
}

std::optional<Time> Time::parse(const std::string& s) {
  if (s.size() != 5 || s[2] != ':' || !all_digits(s, 0, 2) || !all_digits(s, 3, 2)) return std::nullopt;
  Time t{number(s, 0, 2), number(s, 3, 2)};
  if (t.hour > 23 || t.minute > 59) return std::nullopt;
  return t;
}

std::vector<const Participant*> Visit::certified() const {
  std::vector<const Participant*> out;
  for (const auto& p : participants)
    if (status == VisitStatus::Planned || (status == VisitStatus::Held && p.attended.value_or(false)))
      out.push_back(&p);
  return out;
}

std::string short_municipality_name(const std::string& name) {
  const std::string suffix = " kommun";
  if (name.size() <= suffix.size() || name.compare(name.size() - suffix.size(), suffix.size(), suffix) != 0) return name;
  std::string stem = name.substr(0, name.size() - suffix.size());
  // The genitive s of "Jönköpings kommun" goes; the s of "Tranås" stays.
  if (stem.size() > 2 && stem.back() == 's' &&
      std::string_view("bcdfghjklmnpqrstvwxz").find(stem[stem.size() - 2]) != std::string_view::npos)
    stem.pop_back();
  return stem;
}

}  // namespace cp::model
