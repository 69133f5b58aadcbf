// project.yaml `retention` and the visits past it (validate/retention.h).
#include "validate/retention.h"

#include <catch2/catch.hpp>

#include "project_fixture.h"
#include "validate/validate.h"

using cp::model::Date;
using cp::testing::TempProject;
using Lines = std::vector<std::string>;

namespace {

constexpr const char* kProject = "materials/project.yaml";

void set_retention(const TempProject& p, std::string_view value) {
  p.replace(kProject, "verify_url: \"https://example.se/intyg/{code}\"\n",
            "verify_url: \"https://example.se/intyg/{code}\"\nretention: " + std::string(value) + "\n");
}

}  // namespace

TEST_CASE("retention in years or months, English or Swedish") {
  for (const auto& [written, months] : std::initializer_list<std::pair<const char*, int>>{
           {"2 years", 24}, {"1 year", 12}, {"18 months", 18}, {"1 month", 1}, {"2 år", 24}, {"6 månader", 6}}) {
    TempProject p;
    set_retention(p, written);
    CHECK(p.check() == Lines{});
    cp::Diagnostics diags;
    const auto programme = cp::validate::load_programme(p.root(), diags);
    REQUIRE(programme);
    REQUIRE(programme->project.retention);
    CHECK(programme->project.retention->months == months);
    CHECK(programme->project.retention->loc.line == 11);
  }
}

TEST_CASE("a retention that is not a period is an error at its value") {
  TempProject p;
  set_retention(p, "2 yeras");
  CHECK(p.check() == Lines{"materials/project.yaml:11:12: error: retention '2 yeras' is not a period\n"
                           "  hint: write a whole number of years or months, e.g. 'retention: 2 years' or "
                           "'retention: 18 months'"});
  p.replace(kProject, "retention: 2 yeras\n", "retention: two years\n");
  CHECK(p.check() == Lines{"materials/project.yaml:11:12: error: retention 'two years' is not a period\n"
                           "  hint: write a whole number of years or months, e.g. 'retention: 2 years' or "
                           "'retention: 18 months'"});
}

TEST_CASE("a retention without its unit, of zero, or of centuries") {
  TempProject p;
  set_retention(p, "24");
  CHECK(p.check() == Lines{"materials/project.yaml:11:12: error: retention '24' is not a period\n"
                           "  hint: give the unit: '24 years' or '24 months'"});
  p.replace(kProject, "retention: 24\n", "retention: 0 months\n");
  CHECK(p.check() == Lines{"materials/project.yaml:11:12: error: retention must be at least one month\n"
                           "  hint: write a whole number of years or months, e.g. 'retention: 2 years' or "
                           "'retention: 18 months'"});
  p.replace(kProject, "retention: 0 months\n", "retention: 101 years\n");
  CHECK(p.check() == Lines{"materials/project.yaml:11:12: error: retention '101 years' is longer than 100 years\n"
                           "  hint: write a whole number of years or months, e.g. 'retention: 2 years' or "
                           "'retention: 18 months'"});
}

TEST_CASE("a misspelt retention key gets a did-you-mean") {
  TempProject p;
  p.replace(kProject, "verify_url: \"https://example.se/intyg/{code}\"\n",
            "verify_url: \"https://example.se/intyg/{code}\"\nretension: 2 years\n");
  const auto lines = p.check();
  REQUIRE(lines.size() == 1);
  CHECK(lines[0].rfind("materials/project.yaml:11:1: error: unknown key 'retension'\n  hint: did you mean "
                       "'retention'?",
                       0) == 0);
}

TEST_CASE("the retention period ends on the same day months later, or the month's last day") {
  cp::model::Retention two_years{24, "2 years", {}};
  CHECK(cp::validate::retention_ends({2023, 3, 14}, two_years) == Date{2025, 3, 14});
  CHECK(cp::validate::retention_ends({2024, 2, 29}, two_years) == Date{2026, 2, 28});
  CHECK(cp::validate::retention_ends({2023, 1, 31}, {1, "1 month", {}}) == Date{2023, 2, 28});
  CHECK(cp::validate::retention_ends({2023, 11, 30}, {3, "3 months", {}}) == Date{2024, 2, 29});
  CHECK_FALSE(cp::validate::past_retention({2023, 3, 14}, two_years, {2025, 3, 14}));  // the last day
  CHECK(cp::validate::past_retention({2023, 3, 14}, two_years, {2025, 3, 15}));
}

TEST_CASE("inputs that still hold the names of a visit past the retention period are warned about") {
  TempProject p;
  set_retention(p, "1 year");
  cp::Diagnostics diags;
  const auto programme = cp::validate::load_programme(p.root(), diags);
  REQUIRE(programme);
  cp::Diagnostics warnings;
  cp::validate::warn_past_retention(*programme, {2024, 6, 13}, warnings);
  std::vector<std::string> lines;
  for (const auto& d : warnings.all()) lines.push_back(cp::format_diagnostic(d));
  CHECK(lines == std::vector<std::string>{
                     "materials/municipalities/eksjo.yaml:12:9: warning: the visit on 2023-03-14 is past the "
                     "retention period (1 year, until 2024-03-14), but this file still holds the names of its 2 "
                     "participants\n  hint: run 'coursepack purge' to remove them from out/, then delete the "
                     "participants here (keep the visit itself: its date, course and status)"});
  cp::Diagnostics later;
  cp::validate::warn_past_retention(*programme, {2024, 6, 14}, later);
  REQUIRE(later.all().size() == 2);
  CHECK(cp::format_diagnostic(later.all()[1]).rfind("materials/participants/eksjo-2023-06-13.csv:2:1: warning: the visit on "
                                      "2023-06-13 is past the retention period (1 year, until 2024-06-13)",
                                      0) == 0);
  CHECK(cp::validate::visits_past_retention(*programme, {2024, 6, 14}).size() == 2);
}

TEST_CASE("without a retention nothing is past it") {
  TempProject p;
  cp::Diagnostics diags;
  const auto programme = cp::validate::load_programme(p.root(), diags);
  REQUIRE(programme);
  CHECK(cp::validate::visits_past_retention(*programme, {2100, 1, 1}).empty());
}
