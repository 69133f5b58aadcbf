// What Pandoc writes besides its JSON (content/pandoc_messages.h): its
// version line, an error as one line, and its warnings as diagnostics.
#include "content/pandoc_messages.h"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using namespace cp;
using namespace cp::content::detail;

TEST_CASE("pandoc messages: the version line") {
  int major = 0, minor = 0;
  CHECK(pandoc_version_numbers("pandoc 2.17.1.1", major, minor));
  CHECK(major == 2);
  CHECK(minor == 17);
  CHECK(pandoc_version_numbers("pandoc.exe 3.1", major, minor));
  CHECK(major == 3);
  CHECK(minor == 1);
  CHECK_FALSE(pandoc_version_numbers("pandoc", major, minor));
  CHECK_FALSE(pandoc_version_numbers("pandoc 3", major, minor));
  CHECK_FALSE(pandoc_version_numbers("pandoc x.1", major, minor));
}

TEST_CASE("pandoc messages: an error as one line, cut at a character") {
  CHECK(join_lines("  YAML parse exception\n\n  at line 2  \n", 300) == "YAML parse exception at line 2");
  CHECK(join_lines("abcdef", 3) == "abc…");
  CHECK(join_lines("åäö", 3) == "å…");  // 3 bytes end inside ä: cut before it
  CHECK(join_lines("", 10).empty());
}

TEST_CASE("pandoc messages: warnings at the line Pandoc names, when the text has its own lines") {
  const std::string err =
      "[WARNING] Duplicate note reference '1' at line 5 column 3\n"
      "[INFO] Not a warning\n"
      "[WARNING] Could not deduce format\n";
  const SourceLoc base{"materials/modules/01.md", 1, 1};
  Diagnostics with;
  report_pandoc_warnings(err, base, true, with);
  std::vector<std::string> lines;
  for (const auto& d : with.all()) lines.push_back(format_diagnostic(d));
  CHECK(lines == std::vector<std::string>{
                     "materials/modules/01.md:5:3: warning: pandoc: Duplicate note reference '1'",
                     "materials/modules/01.md:1:1: warning: pandoc: Could not deduce format"});
  // A Markdown string from YAML: every warning at the string's place.
  Diagnostics without;
  report_pandoc_warnings(err, {"materials/municipalities/eksjo.yaml", 14, 8}, false, without);
  REQUIRE(without.all().size() == 2);
  CHECK(format_diagnostic(without.all()[0]) ==
        "materials/municipalities/eksjo.yaml:14:8: warning: pandoc: Duplicate note reference '1'");
}
