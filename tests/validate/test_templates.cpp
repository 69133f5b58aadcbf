// validate/templates.h as the user meets it: every placeholder in a module,
// a municipality's notes and a layout text is known and closed, or an error
// at its position (it would otherwise print literally).
#include "validate/templates.h"

#include <catch2/catch.hpp>

#include "project_fixture.h"

using cp::testing::TempProject;
using Lines = std::vector<std::string>;

namespace {
constexpr const char* kEksjo = "materials/municipalities/eksjo.yaml";
constexpr const char* kModule = "materials/modules/01-intro.md";
constexpr const char* kHandout = "layouts/handout.yaml";
constexpr const char* kCertificate = "layouts/certificate.yaml";
}  // namespace

TEST_CASE("a placeholder one brace short is an error at its '{{' in the module") {
  TempProject p;
  p.replace(kModule, "{{municipality.name}}", "{{municipality.name}");
  CHECK(p.check() == Lines{"materials/modules/01-intro.md:7:16: error: placeholder '{{municipality.name}' has no "
                           "closing '}}'\n"
                           "  hint: write '{{municipality.name}}', with two braces on each side"});
}

TEST_CASE("a '{{' never closed, and one closed on the next line") {
  TempProject p;
  p.replace(kModule, "den {{visit.date}}.\n", "den {{visit.date\n}}.\n");
  CHECK(p.check() == Lines{"materials/modules/01-intro.md:7:42: error: placeholder '{{visit.date' has no closing '}}'\n"
                           "  hint: write '{{visit.date}}', with two braces on each side",
                           "materials/modules/01-intro.md:8:1: error: '}}' closes no placeholder\n"
                           "  hint: a placeholder is written with two braces on each side, e.g. {{visit.date}}; add "
                           "the missing '{{' or remove the '}}'"});
}

TEST_CASE("a stray '}}' is an error at its position") {
  TempProject p;
  p.replace(kModule, "{{municipality.name}}", "{municipality.name}}");
  CHECK(p.check() == Lines{"materials/modules/01-intro.md:7:34: error: '}}' closes no placeholder\n"
                           "  hint: a placeholder is written with two braces on each side, e.g. {{visit.date}}; add "
                           "the missing '{{' or remove the '}}'"});
}

TEST_CASE("an unclosed placeholder that names nothing known gets the general hint") {
  TempProject p;
  p.replace(kModule, "{{municipality.name}}", "{{kommun");
  CHECK(p.check() == Lines{"materials/modules/01-intro.md:7:16: error: placeholder '{{kommun' has no closing '}}'\n"
                           "  hint: a placeholder is written with two braces on each side, e.g. {{visit.date}}"});
}

TEST_CASE("placeholders in a municipality's notes are checked at their line and column") {
  TempProject p;
  p.replace(kEksjo, "visits:\n",
            "notes: |\n"                                            // 3
            "  Kommunen har en handlingsplan.\n"                    // 4
            "  I {{municipality.name} finns {{visit.venu}}.\n"  // 5
            "visits:\n");
  CHECK(p.check() == Lines{"materials/municipalities/eksjo.yaml:5:5: error: placeholder '{{municipality.name}' has "
                           "no closing '}}'\n"
                           "  hint: write '{{municipality.name}}', with two braces on each side",
                           "materials/municipalities/eksjo.yaml:5:32: error: unknown placeholder '{{visit.venu}}'\n"
                           "  hint: did you mean '{{visit.venue}}'?"});
}

TEST_CASE("placeholders in one-line notes, plain and quoted") {
  TempProject p;
  p.replace(kEksjo, "visits:\n", "notes: \"Om {{municipality.name}\"\nvisits:\n");
  CHECK(p.check() == Lines{"materials/municipalities/eksjo.yaml:3:12: error: placeholder '{{municipality.name}' has "
                           "no closing '}}'\n"
                           "  hint: write '{{municipality.name}}', with two braces on each side"});
}

TEST_CASE("a layout header text one brace short is an error at its '{{'") {
  TempProject p;
  p.replace(kHandout, "right: \"{{municipality.name}}\"", "right: \"{{municipality.name}\"");
  CHECK(p.check() == Lines{"layouts/handout.yaml:5:45: error: placeholder '{{municipality.name}' has no closing "
                           "'}}'\n"
                           "  hint: write '{{municipality.name}}', with two braces on each side"});
}

TEST_CASE("a certificate text with a stray '}}'") {
  TempProject p;
  p.replace(kCertificate, "text: \"{{participant.name}}\"", "text: \"{participant.name}}\"");
  CHECK(p.check() == Lines{"layouts/certificate.yaml:4:88: error: '}}' closes no placeholder\n"
                           "  hint: a placeholder is written with two braces on each side, e.g. {{visit.date}}; add "
                           "the missing '{{' or remove the '}}'"});
}

TEST_CASE("check_placeholders reports at the offset it is given") {
  cp::Diagnostics diags;
  cp::validate::check_placeholders(
      "a }} b {{visit.date}} c {{x", {}, [](std::size_t offset) { return cp::SourceLoc{"f", 1, int(offset) + 1}; },
      diags);
  const auto all = diags.all();
  REQUIRE(all.size() == 2);
  CHECK(all[0].loc.col == 3);
  CHECK(all[0].message == "'}}' closes no placeholder");
  CHECK(all[1].loc.col == 25);
  CHECK(all[1].message == "placeholder '{{x' has no closing '}}'");
}
