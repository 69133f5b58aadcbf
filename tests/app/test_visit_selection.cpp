#include "app/visit_selection.h"

#include <catch2/catch.hpp>

#include "fixtures.h"

using namespace cp;

TEST_CASE("only: a municipality named by slug, name or place name, in any case") {
  auto p = test::sample_programme();
  const auto& m = p.municipalities.front();
  const auto& v = m.visits.front();
  for (const char* only : {"", "eksjo", "EKSJO", "Eksjö kommun", "eksjö", " Eksjö ", "eksjo/2023-03-14",
                           "eksjo/2023-03-14-grundutbildning", "Eksjö/ 2023-03-14 "})
    CHECK(app::selected(only, m, v));
  for (const char* only : {"nassjo", "Eksjö stad", "eksjo/2023-03-15", "eksjo/2023-03-14-fortsattning", "eksjo/"})
    CHECK_FALSE(app::selected(only, m, v));
}

TEST_CASE("only: a selection that matches nothing: the hint lists what exists") {
  auto p = test::sample_programme();
  CHECK(app::only_hint(p, "nassjo") == "give a municipality's name or one of eksjo, optionally with /DATE");
  CHECK(app::only_hint(p, "eksjo/2024-01-01") == "its visits are eksjo/2023-03-14-grundutbildning");
  p.municipalities.front().visits.clear();
  CHECK(app::only_hint(p, "Eksjö/2024-01-01") == "Eksjö kommun has no visits");
}
