#include "export/calendar.h"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using namespace cp;

namespace {

model::Programme programme() {
  model::Programme p;
  p.project.title = "SPoM – utbildning om sexuell exploatering";
  model::Course c;
  c.id = "grund";
  c.title = "Grundkurs; del 1, \"mänsklig handel\"";
  c.hours = 3.5;
  p.courses["grund"] = c;
  model::Municipality m;
  m.slug = "eksjo";
  m.name = "Eksjö kommun";
  model::Visit v;
  v.date = {2023, 3, 14};
  v.start = model::Time{9, 0};
  v.end = model::Time{12, 30};
  v.venue = "Stadshuset, sal Åsen";
  v.address = "Stora Torget 8; 575 80 Eksjö";
  v.course = "grund";
  v.trainers = {"Åsa Berg", "Olle Ek"};
  model::Participant someone;
  someone.name = "Zelda Participantsson";
  someone.email = "zelda@example.se";
  v.participants = {someone};
  m.visits.push_back(v);
  model::Visit later = v;
  later.date = {2023, 12, 31};
  later.start.reset();
  later.end.reset();
  m.visits.push_back(later);
  p.municipalities.push_back(m);
  return p;
}

std::vector<std::string> lines(const std::string& ics) {
  std::vector<std::string> r;
  std::size_t pos = 0;
  while (pos < ics.size()) {
    const auto end = ics.find("\r\n", pos);
    REQUIRE(end != std::string::npos);  // every line ends with CRLF
    r.push_back(ics.substr(pos, end - pos));
    pos = end + 2;
  }
  return r;
}

// Unfolded content lines (RFC 5545 3.1).
std::vector<std::string> unfolded(const std::string& ics) {
  std::vector<std::string> r;
  for (const auto& l : lines(ics)) {
    if (!l.empty() && l[0] == ' ')
      r.back() += l.substr(1);
    else
      r.push_back(l);
  }
  return r;
}

bool has(const std::vector<std::string>& ls, const std::string& l) {
  for (const auto& x : ls)
    if (x == l) return true;
  return false;
}

}  // namespace

TEST_CASE("text values escape backslash, semicolon, comma and line breaks", "[calendar]") {
  CHECK(calendar::escape_text("a\\b;c,d\ne\r\nf") == "a\\\\b\\;c\\,d\\ne\\nf");
  CHECK(calendar::escape_text("Åsa: \"x\"") == "Åsa: \"x\"");
}

TEST_CASE("long lines fold at 75 octets without splitting a character", "[calendar]") {
  std::string value = "DESCRIPTION:";
  for (int i = 0; i < 60; ++i) value += "åäö";
  const std::string folded = calendar::fold_line(value);
  const auto ls = lines(folded);
  REQUIRE(ls.size() > 2);
  std::string back;
  for (std::size_t i = 0; i < ls.size(); ++i) {
    CHECK(ls[i].size() <= 75);
    if (i) {
      REQUIRE(ls[i][0] == ' ');
      // A continuation never starts inside a UTF-8 sequence.
      CHECK((static_cast<unsigned char>(ls[i][1]) & 0xC0) != 0x80);
      back += ls[i].substr(1);
    } else {
      back += ls[i];
    }
  }
  CHECK(back == value);
  CHECK(calendar::fold_line("VERSION:2.0") == "VERSION:2.0\r\n");
  const std::string exactly(75, 'x');
  CHECK(calendar::fold_line(exactly) == exactly + "\r\n");
  CHECK(calendar::fold_line(exactly + "y") == exactly + "\r\n y\r\n");
}

TEST_CASE("a visit's entry: local times in Europe/Stockholm, venue, course and trainers", "[calendar]") {
  const auto p = programme();
  const auto& m = p.municipalities[0];
  const std::string ics = calendar::visit_ics(p, m, m.visits[0], 1700000000);
  for (const auto& l : lines(ics)) CHECK(l.size() <= 75);
  const auto ls = unfolded(ics);
  CHECK(ls.front() == "BEGIN:VCALENDAR");
  CHECK(ls.back() == "END:VCALENDAR");
  CHECK(has(ls, "BEGIN:VTIMEZONE"));
  CHECK(has(ls, "TZID:Europe/Stockholm"));
  CHECK(has(ls, "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU"));
  CHECK(has(ls, "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU"));
  CHECK(has(ls, "UID:eksjo-2023-03-14-grund@coursepack"));
  CHECK(has(ls, "DTSTAMP:20231114T221320Z"));
  CHECK(has(ls, "DTSTART;TZID=Europe/Stockholm:20230314T090000"));
  CHECK(has(ls, "DTEND;TZID=Europe/Stockholm:20230314T123000"));
  CHECK(has(ls, "LOCATION:Stadshuset\\, sal Åsen\\, Stora Torget 8\\; 575 80 Eksjö"));
  CHECK(has(ls, "SUMMARY:Grundkurs\\; del 1\\, \"mänsklig handel\" – Eksjö"));
  CHECK(has(ls,
            "DESCRIPTION:Kurs: Grundkurs\\; del 1\\, \"mänsklig handel\"\\nOmfattning: 3.5 timmar\\n"
            "Kommun: Eksjö kommun\\nUtbildare: Åsa Berg\\, Olle Ek\\nSPoM – utbildning om sexuell exploatering"));
  CHECK(has(ls, "STATUS:CONFIRMED"));
  // No participant's name or address.
  CHECK(ics.find("Zelda") == std::string::npos);
  CHECK(ics.find("zelda@") == std::string::npos);
}

TEST_CASE("a visit without times is a whole day, and the programme's calendar holds every visit in date order",
          "[calendar]") {
  auto p = programme();
  model::Municipality other;
  other.slug = "aneby";
  other.name = "Aneby kommun";
  auto v = p.municipalities[0].visits[0];
  v.date = {2023, 6, 1};
  other.visits.push_back(v);
  p.municipalities.insert(p.municipalities.begin(), other);
  const std::string ics = calendar::programme_ics(p, 0);
  const auto ls = unfolded(ics);
  std::vector<std::string> uids;
  int timezones = 0;
  for (const auto& l : ls) {
    if (l.rfind("UID:", 0) == 0) uids.push_back(l);
    if (l == "BEGIN:VTIMEZONE") ++timezones;
  }
  CHECK(timezones == 1);
  CHECK(uids == std::vector<std::string>{"UID:eksjo-2023-03-14-grund@coursepack", "UID:aneby-2023-06-01-grund@coursepack",
                                         "UID:eksjo-2023-12-31-grund@coursepack"});
  // New Year's Eve ends on the next year's first day.
  CHECK(has(ls, "DTSTART;VALUE=DATE:20231231"));
  CHECK(has(ls, "DTEND;VALUE=DATE:20240101"));
  CHECK(has(ls, "DTSTAMP:19700101T000000Z"));
  // The same data, the same bytes.
  CHECK(calendar::programme_ics(p, 0) == ics);
}

TEST_CASE("a cancelled visit is a cancelled entry with a newer sequence, under the same UID", "[calendar]") {
  auto p = programme();
  auto& m = p.municipalities[0];
  m.visits[0].status = model::VisitStatus::Cancelled;
  const auto ls = unfolded(calendar::visit_ics(p, m, m.visits[0], 1700000000));
  CHECK(has(ls, "UID:eksjo-2023-03-14-grund@coursepack"));
  CHECK(has(ls, "STATUS:CANCELLED"));
  CHECK(has(ls, "SEQUENCE:1"));
  CHECK_FALSE(has(ls, "STATUS:CONFIRMED"));
  CHECK(has(ls, "SUMMARY:Inställd: Grundkurs\\; del 1\\, \"mänsklig handel\" – Eksjö"));
  CHECK(has(ls, "DTSTART;TZID=Europe/Stockholm:20230314T090000"));  // the time it would have had
}
