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
