#include "model/placeholders.h"

#include <catch2/catch.hpp>

using namespace cp::model;

TEST_CASE("placeholders are found with their offsets") {
  const auto uses = find_placeholders("Välkommen till {{ municipality.name }}! {{visit.date}} {{broken");
  REQUIRE(uses.size() == 2);
  CHECK(uses[0].name == "municipality.name");
  CHECK(uses[0].offset == 16);
  CHECK(uses[1].name == "visit.date");
}

TEST_CASE("braces that do not pair up are found, and are not placeholders") {
  using Kind = BraceMistake::Kind;
  const std::string_view text = "I {{municipality.name} den {{visit.date}}, sedan }} och {{a\nb}} {{x{{y}}";
  const auto mistakes = find_brace_mistakes(text);
  REQUIRE(mistakes.size() == 5);
  CHECK((mistakes[0].offset == 2 && mistakes[0].kind == Kind::Unclosed));
  CHECK((mistakes[1].offset == text.find("}} och") && mistakes[1].kind == Kind::StrayClose));
  CHECK((mistakes[2].offset == text.find("{{a") && mistakes[2].kind == Kind::Unclosed));
  CHECK((mistakes[3].offset == text.find("}} {{x") && mistakes[3].kind == Kind::StrayClose));
  CHECK((mistakes[4].offset == text.find("{{x") && mistakes[4].kind == Kind::Unclosed));
  const auto uses = find_placeholders(text);
  REQUIRE(uses.size() == 2);
  CHECK(uses[0].name == "visit.date");
  CHECK(uses[1].name == "y");
  CHECK(find_brace_mistakes("{{visit.date}} och {{course.title}}").empty());
  CHECK(find_brace_mistakes("{ enkel } klammer }").empty());
}

TEST_CASE("the town of a visit is what follows the postcode, else the municipality") {
  Municipality m;
  m.name = "Jönköpings kommun";
  Visit v;
  PlaceholderContext ctx{nullptr, nullptr, &m, &v, nullptr, 0, 0};
  v.address = "Västra Storgatan 16, 551 89 Jönköping";
  CHECK(fill_placeholders("{{visit.town}}", ctx) == "Jönköping");
  v.address = "Stadshuset, 56132 Huskvarna";
  CHECK(fill_placeholders("{{visit.town}}", ctx) == "Huskvarna");
  v.address = "Stadshuset, Storgatan 12";  // no postcode: not "Storgatan 12"
  CHECK(fill_placeholders("{{visit.town}}", ctx) == "Jönköping");
  v.address = "Storgatan 12";
  CHECK(fill_placeholders("{{visit.town}}", ctx) == "Jönköping");
  v.address = "";
  CHECK(fill_placeholders("{{visit.town}}", ctx) == "Jönköping");
  m.name = "Tranås kommun";
  CHECK(fill_placeholders("{{visit.town}}", ctx) == "Tranås");
}

TEST_CASE("course hours print with at most two decimals, never a dangling comma") {
  Course c;
  PlaceholderContext ctx{nullptr, &c, nullptr, nullptr, nullptr, 0, 0};
  c.hours = 2.999;
  CHECK(fill_placeholders("{{course.hours}}", ctx) == "3");
  c.hours = 2.25;
  CHECK(fill_placeholders("{{course.hours}}", ctx) == "2,25");
  Municipality m;
  m.population = 17750;
  ctx.municipality = &m;
  CHECK(fill_placeholders("{{municipality.population}}", ctx) == "17\u00A0750");
}

TEST_CASE("placeholders are filled for a visit") {
  Project p;
  p.title = "SPoM";
  Municipality m;
  m.name = "Eksjö kommun";
  Visit v;
  v.date = {2023, 3, 14};
  v.start = Time{9, 0};
  v.end = Time{12, 30};
  Course c;
  c.hours = 3.5;
  PlaceholderContext ctx{&p, &c, &m, &v, nullptr, 0, 0};
  CHECK(fill_placeholders("{{municipality.name}}, {{visit.date}} {{visit.time}}, {{course.hours}} h {{nope}}", ctx) ==
        "Eksjö kommun, 14 mars 2023 09:00–12:30, 3,5 h {{nope}}");
  CHECK(placeholder_known("visit.venue"));
  CHECK_FALSE(placeholder_known("visit.venu"));
  CHECK_FALSE(placeholder_known("participant.name"));
  CHECK(placeholder_known("participant.name", true));
  CHECK(fill_placeholders("{{visit.town}}", ctx) == "Eksjö");
}
