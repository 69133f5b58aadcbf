#include "core/diagnostics.h"

#include <catch2/catch.hpp>
#include <sstream>

using namespace cp;

TEST_CASE("diagnostics print path, line, column and hint") {
  Diagnostics d;
  d.error({"materials/project.yaml", 3, 5}, "missing required key 'title'", "add `title: ...`");
  d.warning({"materials/x.yaml", 0, 0}, "unknown key 'venu'");
  std::ostringstream out;
  d.print(out);
  CHECK(out.str() ==
        "materials/project.yaml:3:5: error: missing required key 'title'\n"
        "  hint: add `title: ...`\n"
        "materials/x.yaml:1:1: warning: unknown key 'venu'\n");
  CHECK(d.error_count() == 1);
  CHECK(d.warning_count() == 1);
}

TEST_CASE("diagnostics cap printed errors at 100") {
  Diagnostics d;
  for (int i = 0; i < 130; ++i) d.error({"f.csv", i + 1, 1}, "bad row");
  std::ostringstream out;
  d.print(out);
  const std::string s = out.str();
  CHECK(std::count(s.begin(), s.end(), '\n') == 101);
  CHECK(s.find("30 more errors not shown") != std::string::npos);
}
