// load_programme on a small valid project with one thing broken per test;
// each asserts the exact diagnostics, as the user sees them.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>

#include "core/files.h"
#include "project_fixture.h"
#include "validate/validate.h"

using cp::testing::TempProject;
using Lines = std::vector<std::string>;

namespace {
constexpr const char* kEksjo = "materials/municipalities/eksjo.yaml";
constexpr const char* kCourse = "materials/courses/grund.yaml";
constexpr const char* kProject = "materials/project.yaml";
constexpr const char* kCsv = "materials/participants/eksjo-2023-06-13.csv";
constexpr const char* kModule = "materials/modules/01-intro.md";
constexpr const char* kCertificate = "layouts/certificate.yaml";
constexpr const char* kHandout = "layouts/handout.yaml";
}  // namespace

TEST_CASE("the fixture project is valid and fills the model") {
  TempProject p;
  CHECK(p.check() == Lines{});
  cp::Diagnostics diags;
  const auto programme = cp::validate::load_programme(p.root(), diags);
  REQUIRE(programme);
  CHECK(programme->root == std::filesystem::canonical(p.root()).string());
  CHECK(programme->project.title == "Kunskapshöjning om SPoM");
  CHECK(programme->project.signatories.at(0).signature ==
        std::filesystem::canonical(p.path("materials/signatures/annika.png")).string());
  const auto& course = programme->courses.at("grund");
  CHECK(course.hours == 3.5);
  REQUIRE(course.modules.size() == 2);
  CHECK(course.modules[1].path == "modules/02-lag.md");
  CHECK(course.modules[1].loc.line == 5);
  REQUIRE(programme->municipalities.size() == 2);
  CHECK(programme->municipalities[0].slug == "aneby");  // sorted by slug
  const auto& eksjo = programme->municipalities[1];
  CHECK(eksjo.file == kEksjo);
  CHECK(eksjo.code == "0686");
  REQUIRE(eksjo.visits.size() == 2);
  const auto& held = eksjo.visits[0];
  CHECK(held.key() == "2023-03-14-grund");
  CHECK(held.start->str() == "09:00");
  CHECK(held.status == cp::model::VisitStatus::Held);
  CHECK(held.seats == 10);
  REQUIRE(held.participants.size() == 2);
  CHECK(held.participants[1].name == "Björn Ek");
  CHECK(held.participants[1].attended == false);
  CHECK(held.certified().size() == 1);
  const auto& csv = eksjo.visits[1];
  CHECK(csv.participants_file == "participants/eksjo-2023-06-13.csv");
  REQUIRE(csv.participants.size() == 2);
  CHECK(csv.participants[0].unit == "Barn och familj");
  CHECK_FALSE(csv.participants[0].attended.has_value());  // a planned visit's file need not mark it
  CHECK(csv.participants[1].loc.line == 3);
  const auto& cert = programme->layouts.certificate;
  REQUIRE(cert.elements.size() == 3);
  CHECK(cert.page.width > cert.page.height);
  CHECK(cert.elements[0].font == "bold");
  CHECK(cert.elements[0].min_size == 16);
  CHECK(cert.elements[0].x == Approx(56.693).epsilon(1e-3));
  CHECK(cert.elements[2].height == cert.elements[2].width);  // a QR code is square
  CHECK(programme->layouts.handout.logos.size() == 1);
  CHECK(programme->layouts.handout.accent.b == Approx(0x8c / 255.0));
}

// ---------------------------------------------------------------- required keys and types

TEST_CASE("a missing required key is reported at its mapping") {
  TempProject p;
  p.replace(kProject, "title: Kunskapshöjning om SPoM\n", "");
  CHECK(p.check() == Lines{"materials/project.yaml:1:1: error: missing required key 'title'"});
}

TEST_CASE("a visit without a date is reported at the visit") {
  TempProject p;
  p.replace(kEksjo, "  - date: 2023-06-13\n    course: grund\n", "  - course: grund\n");
  CHECK(p.check() == Lines{"materials/municipalities/eksjo.yaml:17:5: error: missing required key 'date'"});
}

TEST_CASE("an inline participant without a name is reported at the entry") {
  TempProject p;
  p.replace(kEksjo, "      - name: Björn Ek\n", "      - title: Kurator\n");
  CHECK(p.check() == Lines{"materials/municipalities/eksjo.yaml:15:9: error: missing required key 'name'"});
}

TEST_CASE("a venue or address longer than 300 characters is an error at its value") {
  TempProject p;
  p.replace(kEksjo, "    venue: Stadshuset\n", "    venue: " + std::string(300, 'A') + "\n");
  CHECK(p.check().empty());
  p.replace(kEksjo, "    venue: " + std::string(300, 'A') + "\n", "    venue: " + std::string(1'000'000, 'A') + "\n");
  CHECK(p.check() == Lines{"materials/municipalities/eksjo.yaml:7:12: error: venue is too long (1000000 characters; the "
                           "limit is 300)\n  hint: write the place in a few words; directions belong in the "
                           "municipality's notes"});
}

TEST_CASE("a module over 512 KB is refused before Pandoc sees it") {
  TempProject p;
  p.write("materials/modules/01-intro.md", "# Intro\n\n" + std::string(512u * 1024u, 'a') + "\n");
  CHECK(p.check() ==
        Lines{"materials/modules/01-intro.md:1:1: error: file is too large (513 KB; the limit is 512 KB)"});
}

TEST_CASE("a course's modules together hold at most 512 KB of text") {
  TempProject p;
  const std::string words = [] {
    std::string s;
    while (s.size() < 300u * 1024u) s += "ett ord till ";
    return s;
  }();
  p.write("materials/modules/01-intro.md", "# Intro\n\n" + words.substr(0, 200u * 1024u) + "\n");
  CHECK(p.check().empty());
  p.write("materials/modules/02-lag.md", "# Lag\n\n" + words + "\n");
  CHECK(p.check().empty());
  p.write("materials/modules/02-lag.md", "# Lag\n\n" + words + words.substr(0, 20u * 1024u) + "\n");
  CHECK(p.check() == Lines{"materials/courses/grund.yaml:4:3: error: the course's modules hold 521 KB of text "
                           "together; the limit is 512 KB\n  hint: a handout this long runs to hundreds of pages: "
                           "split the course in two"});
}

TEST_CASE("texts printed on every certificate are bounded: goals and signatories") {
  TempProject p;
  p.replace(kCourse, "  - Känna till begreppen\n", "  - " + std::string(301, 'g') + "\n");
  CHECK(p.check() == Lines{"materials/courses/grund.yaml:7:5: error: 'learning_goals' is too long (301 characters; "
                           "the limit is 300)\n  hint: shorten it; a text this long does not fit where it is printed"});
  std::string goals;
  for (int i = 0; i < 21; ++i) goals += "  - Mål " + std::to_string(i) + "\n";
  p.replace(kCourse, "  - " + std::string(301, 'g') + "\n", goals);
  CHECK(p.check() ==
        Lines{"materials/courses/grund.yaml:7:3: error: 'learning_goals' has too many entries (21; the limit is 20)"});

  TempProject q;
  std::string people;
  for (int i = 0; i < 5; ++i) people += "  - name: Person " + std::to_string(i) + "\n";
  q.replace(kProject,
            "  - name: Annika Hedlund\n    title: FoU-ledare\n    signature: signatures/annika.png\n", people);
  CHECK(q.check() == Lines{"materials/project.yaml:7:3: error: 'signatories' has too many entries (5; the limit is "
                           "4)\n  hint: a certificate has room for the signatures of at most four people"});
}

TEST_CASE("a text value longer than 1000 characters is an error at its value") {
  TempProject p;
  p.replace(kCourse, "title: Grundutbildning\n", "title: " + std::string(1000, 'T') + "\n");
  CHECK(p.check().empty());
  p.replace(kCourse, "title: " + std::string(1000, 'T') + "\n", "title: " + std::string(1001, 'T') + "\n");
  CHECK(p.check() == Lines{"materials/courses/grund.yaml:1:8: error: 'title' is too long (1001 characters; the limit "
                           "is 1000)\n  hint: shorten it; a text this long does not fit where it is printed"});
}

TEST_CASE("settings files are at most 64 KB; a municipality's notes at most 64 KB") {
  TempProject p;
  p.write(kCourse, std::string(p.read(kCourse)) + "# " + std::string(64u * 1024u, '-') + "\n");
  // The visits of the course it would have defined are then reported too.
  const Lines errors = p.errors();
  REQUIRE_FALSE(errors.empty());
  CHECK(errors.front() == "materials/courses/grund.yaml:1:1: error: file is too large (65 KB; the limit is 64 KB)");

  TempProject q;
  q.replace(kEksjo, "code: \"0686\"\n", "code: \"0686\"\nnotes: \"" + std::string(64u * 1024u + 1, 'n') + "\"\n");
  CHECK(q.check() == Lines{"materials/municipalities/eksjo.yaml:3:8: error: notes are too long (65 KB; the limit is "
                           "64 KB)"});
}

TEST_CASE("an empty required value is an error at its key") {
  TempProject p;
  p.replace(kEksjo, "name: Eksjö kommun\n", "name:\n");
  CHECK(p.check() == Lines{"materials/municipalities/eksjo.yaml:1:1: error: 'name' must not be empty"});
}

TEST_CASE("hours that are not a number") {
  TempProject p;
  p.replace(kCourse, "hours: 3.5", "hours: tre");
  CHECK(p.check() == Lines{"materials/courses/grund.yaml:2:8: error: 'hours' must be a number"});
}

TEST_CASE("hours with a Swedish decimal comma are a number") {
  TempProject p;
  p.replace(kCourse, "hours: 3.5", "hours: 3,5");
  CHECK(p.check() == Lines{});
}

TEST_CASE("seats that are not a whole number") {
  TempProject p;
  p.replace(kEksjo, "seats: 10", "seats: 10.5");
  CHECK(p.check() == Lines{"materials/municipalities/eksjo.yaml:9:12: error: 'seats' must be a whole number"});
}

TEST_CASE("a list where text belongs") {
  TempProject p;
  p.replace(kProject, "organisation: Region Jönköpings län", "organisation: [Region, Länsstyrelsen]");
  CHECK(p.check() == Lines{"materials/project.yaml:2:15: error: 'organisation' must be text"});
}

TEST_CASE("text where a list belongs") {
  TempProject p;
  p.replace(kCourse, "modules:\n  - modules/01-intro.md\n  - modules/02-lag.md\n", "modules: modules/01-intro.md\n");
  CHECK(p.check() == Lines{"materials/courses/grund.yaml:3:10: error: 'modules' must be a list"});
}

TEST_CASE("a course without modules") {
  TempProject p;
  p.replace(kCourse, "modules:\n  - modules/01-intro.md\n  - modules/02-lag.md\n", "modules: []\n");
  CHECK(p.check() == Lines{"materials/courses/grund.yaml:3:10: error: a course needs at least one module"});
}

TEST_CASE("a file whose top level is not a mapping") {
  TempProject p;
  p.write(kProject, "- title\n- organisation\n");
  CHECK(p.check() ==
        Lines{"materials/project.yaml:1:1: error: expected a mapping (key: value lines) at the top of the file"});
}

// ---------------------------------------------------------------- dates, times, codes, words

TEST_CASE("a date that is not on the calendar") {
  TempProject p;
  p.replace(kEksjo, "date: 2023-03-14", "date: 2023-02-30");
  CHECK(p.check() ==
        Lines{"materials/municipalities/eksjo.yaml:4:11: error: '2023-02-30' is not a calendar date (YYYY-MM-DD)"});
}

TEST_CASE("a time that is not HH:MM") {
  TempProject p;
  p.replace(kEksjo, "start: \"09:00\"", "start: \"9.30\"");
  CHECK(p.check() == Lines{"materials/municipalities/eksjo.yaml:5:12: error: '9.30' is not a time (HH:MM)"});
}

TEST_CASE("a start that is not before the end") {
  TempProject p;
  p.replace(kEksjo, "end: \"12:00\"", "end: \"08:30\"");
  CHECK(p.check() == Lines{"materials/municipalities/eksjo.yaml:6:10: error: end 08:30 is not after start 09:00"});
}

TEST_CASE("a municipality code that is not 4 digits") {
  TempProject p;
  p.replace(kEksjo, "code: \"0686\"", "code: \"06a6\"");
  CHECK(p.check() == Lines{"materials/municipalities/eksjo.yaml:2:7: error: municipality code '06a6' is not 4 digits"});
}

TEST_CASE("an unquoted municipality code that lost its leading zero") {
  TempProject p;
  p.replace(kEksjo, "code: \"0686\"", "code: 686");
  CHECK(p.check() == Lines{"materials/municipalities/eksjo.yaml:2:7: error: municipality code '686' is not 4 digits\n"
                           "  hint: write it in quotes with its leading zero: \"0686\""});
}

TEST_CASE("two municipalities with the same code") {
  TempProject p;
  p.replace("materials/municipalities/aneby.yaml", "code: \"0604\"", "code: \"0686\"");
  CHECK(p.check() == Lines{"materials/municipalities/eksjo.yaml:2:7: error: municipality code '0686' is also used "
                           "by materials/municipalities/aneby.yaml"});
}

TEST_CASE("an unknown visit status") {
  TempProject p;
  p.replace(kEksjo, "status: held", "status: done");
  CHECK(p.check() == Lines{"materials/municipalities/eksjo.yaml:10:13: error: unknown status 'done'\n"
                           "  hint: use planned, held or cancelled"});
}

TEST_CASE("a misspelt visit status gets a did-you-mean") {
  TempProject p;
  p.replace(kEksjo, "status: held", "status: hled");
  CHECK(p.check() == Lines{"materials/municipalities/eksjo.yaml:10:13: error: unknown status 'hled'\n"
                           "  hint: did you mean 'held'?"});
}

TEST_CASE("a cancelled visit: its attendance marks are not used and no one is certified") {
  TempProject p;
  p.replace(kEksjo, "status: held", "status: cancelled");
  CHECK(p.check() == Lines{"materials/municipalities/eksjo.yaml:14:19: warning: attendance is marked for 2 of 2 "
                           "participants, but the visit on 2023-03-14 is cancelled; it is not used until the visit "
                           "has 'status: held'"});
  cp::Diagnostics diags;
  const auto programme = cp::validate::load_programme(p.root(), diags);
  REQUIRE(programme);
  const auto& visit = programme->municipalities[1].visits[0];
  CHECK(visit.status == cp::model::VisitStatus::Cancelled);
  CHECK(visit.participants.size() == 2);
  CHECK(visit.certified().empty());
}

TEST_CASE("the US spelling of cancelled gets a did-you-mean") {
  TempProject p;
  p.replace(kEksjo, "status: held", "status: canceled");
  CHECK(p.check() == Lines{"materials/municipalities/eksjo.yaml:10:13: error: unknown status 'canceled'\n"
                           "  hint: did you mean 'cancelled'?"});
}

TEST_CASE("an inline attended that is not a boolean") {
  TempProject p;
  p.replace(kEksjo, "attended: true", "attended: maybe");
  CHECK(p.check() == Lines{"materials/municipalities/eksjo.yaml:14:19: error: 'attended' must be ja or nej, "
                           "not 'maybe'\n  hint: write ja (or x, 1, true, närvarande) for present and nej (or 0, "
                           "false, frånvarande) for absent"});
}

TEST_CASE("a visit naming a course that does not exist") {
  TempProject p;
  p.replace(kEksjo, "    course: grund\n    seats", "    course: grnud\n    seats");
  CHECK(p.check() == Lines{"materials/municipalities/eksjo.yaml:8:13: error: unknown course 'grnud'\n"
                           "  hint: did you mean 'grund'?"});
}

TEST_CASE("seats below the registered count") {
  TempProject p;
  p.replace(kEksjo, "seats: 10", "seats: 1");
  CHECK(p.check() ==
        Lines{"materials/municipalities/eksjo.yaml:9:12: error: seats 1 is below the 2 registered participants\n"
              "  hint: the attendance sheet has a row per seat: raise 'seats' to 2 or more, or move 1 of the "
              "participants to another visit"});
}

TEST_CASE("two visits with the same date and course") {
  TempProject p;
  p.replace(kEksjo, "date: 2023-06-13", "date: 2023-03-14");
  CHECK(p.check() == Lines{"materials/municipalities/eksjo.yaml:17:5: error: another visit on 2023-03-14 has "
                           "course 'grund'\n  hint: it is at line 4; each visit needs its own date or course"});
}

TEST_CASE("verify_url without {code}") {
  TempProject p;
  p.replace(kProject, "intyg/{code}", "intyg/");
  CHECK(p.check() == Lines{"materials/project.yaml:10:13: error: 'verify_url' must contain {code}\n"
                           "  hint: {code} is replaced by each certificate's verification code"});
}

// ---------------------------------------------------------------- files and paths

TEST_CASE("a module file that does not exist, with a near miss") {
  TempProject p;
  p.replace(kCourse, "modules/02-lag.md", "modules/02-lagg.md");
  CHECK(p.check() == Lines{"materials/courses/grund.yaml:5:5: error: file 'modules/02-lagg.md' does not exist\n"
                           "  hint: did you mean 'modules/02-lag.md'?"});
}

TEST_CASE("a participants file that does not exist") {
  TempProject p;
  p.remove(kCsv);
  CHECK(p.check() == Lines{"materials/municipalities/eksjo.yaml:19:19: error: file "
                           "'participants/eksjo-2023-06-13.csv' does not exist"});
}

TEST_CASE("a path that leaves materials/ by ..") {
  TempProject p;
  p.replace(kCourse, "modules/02-lag.md", "../layouts/handout.yaml");
  CHECK(p.check() ==
        Lines{"materials/courses/grund.yaml:5:5: error: path '../layouts/handout.yaml' leaves materials/"});
}

TEST_CASE("an absolute path") {
  TempProject p;
  p.replace(kEksjo, "participants/eksjo-2023-06-13.csv", "/etc/passwd");
  CHECK(p.check() == Lines{"materials/municipalities/eksjo.yaml:19:19: error: path '/etc/passwd' is absolute; "
                           "write it relative to materials/"});
}

TEST_CASE("a symlink that points out of materials/") {
  TempProject p;
  TempProject outside(true);
  outside.write("secret.csv", "name\nEva\n");
  std::filesystem::create_symlink(outside.path("secret.csv"), p.path("materials/participants/link.csv"));
  p.replace(kEksjo, "participants/eksjo-2023-06-13.csv", "participants/link.csv");
  CHECK(p.check() ==
        Lines{"materials/municipalities/eksjo.yaml:19:19: error: path 'participants/link.csv' leaves materials/"});
}

TEST_CASE("a signature that is not a png or jpeg image") {
  TempProject p;
  p.write("materials/signatures/annika.png", "GIF89a...");
  CHECK(p.check() ==
        Lines{"materials/project.yaml:9:16: error: image 'signatures/annika.png' is not a png or jpeg file"});
}

TEST_CASE("a layout image outside layouts/assets/") {
  TempProject p;
  p.write("layouts/logo.png", cp::testing::tiny_png());
  p.replace(kHandout, "logos: [assets/logo.png]", "logos: [logo.png]");
  CHECK(p.check() == Lines{"layouts/handout.yaml:7:9: error: image 'logo.png' is not under assets/\n"
                           "  hint: layouts may use images in layouts/assets/ only"});
}

// ---------------------------------------------------------------- placeholders

TEST_CASE("an unknown placeholder in a module, at its line and column") {
  TempProject p;
  p.replace(kModule, "{{municipality.name}}", "{{ municipality.nmae }}");
  CHECK(p.check() == Lines{"materials/modules/01-intro.md:7:16: error: unknown placeholder '{{municipality.nmae}}'\n"
                           "  hint: did you mean '{{municipality.name}}'?"});
}

TEST_CASE("page numbers are not placeholders of a module") {
  TempProject p;
  p.write("materials/modules/02-lag.md", "# Lag\n\nSida {{page}}.\n");
  CHECK(p.check() == Lines{"materials/modules/02-lag.md:3:6: error: unknown placeholder '{{page}}'\n"
                           "  hint: page numbers are only for layout headers and footers"});
}

TEST_CASE("an unknown placeholder in a certificate text") {
  TempProject p;
  p.replace(kCertificate, "{{participant.name}}", "{{participant.nam}}");
  CHECK(p.check() == Lines{"layouts/certificate.yaml:4:71: error: unknown placeholder '{{participant.nam}}'\n"
                           "  hint: did you mean '{{participant.name}}'?"});
}

TEST_CASE("participant placeholders are not allowed in a handout header") {
  TempProject p;
  p.replace(kHandout, "{{municipality.name}}", "{{participant.name}}");
  CHECK(p.check() == Lines{"layouts/handout.yaml:5:45: error: unknown placeholder '{{participant.name}}'\n"
                           "  hint: participant placeholders are only for certificate texts"});
}

// ---------------------------------------------------------------- warnings

TEST_CASE("a visit with no participants yet is a warning") {
  TempProject p;
  p.replace(kEksjo, "    participants: participants/eksjo-2023-06-13.csv\n", "");
  CHECK(p.check() == Lines{"materials/municipalities/eksjo.yaml:17:5: warning: visit has no participants yet"});
}

TEST_CASE("a front matter syntax error is at its line in the module") {
  TempProject p;
  p.replace(kModule, "title: Inledning\n", "title: Inledning\nauthor: a: b\n");
  CHECK(p.check() == Lines{"materials/modules/01-intro.md:3:10: error: yaml syntax error: illegal map value\n"
                           "  hint: a value holding ': ' must be in quotes, e.g. venue: \"Stadshuset: sal 2\""});
}

TEST_CASE("front matter without its closing fence") {
  TempProject p;
  p.write(kModule, "---\ntitle: Inledning\n\n# Inledning\n");
  CHECK(p.check() == Lines{"materials/modules/01-intro.md:1:1: error: front matter has no closing '---'"});
}

TEST_CASE("a file that is not .yaml in a data folder is warned about") {
  TempProject p;
  p.write("materials/municipalities/habo.yml", "name: Habo\n");
  CHECK(p.check() == Lines{"materials/municipalities/habo.yml:1:1: warning: file ignored: not a .yaml file\n"
                           "  hint: rename it to end in .yaml"});
}

// ---------------------------------------------------------------- YAML

TEST_CASE("a yaml syntax error is at its line and column") {
  TempProject p;
  p.replace(kEksjo, "    venue: Stadshuset", "    venue: Stadshuset: sal 2");
  CHECK(p.check() == Lines{"materials/municipalities/eksjo.yaml:7:22: error: yaml syntax error: illegal map value\n"
                           "  hint: a value holding ': ' must be in quotes, e.g. venue: \"Stadshuset: sal 2\""});
}

TEST_CASE("a duplicate key is an error at the second one") {
  TempProject p;
  p.replace(kEksjo, "    venue: Stadshuset\n", "    venue: Stadshuset\n    venue: Rådhuset\n");
  CHECK(p.check() == Lines{"materials/municipalities/eksjo.yaml:8:5: error: duplicate key 'venue'\n"
                           "  hint: the first 'venue' is at line 7"});
}

// ---------------------------------------------------------------- CSV

TEST_CASE("a CSV attended value that is not understood") {
  TempProject p;
  p.write(kCsv, "name,attended\nCecilia Berg,ja\nDavid Lind,kanske\n");
  CHECK(p.check() ==
        Lines{"materials/participants/eksjo-2023-06-13.csv:3:12: error: 'attended' must be ja or nej, not 'kanske'\n"
              "  hint: write ja (or x, 1, true, närvarande) for present and nej (or 0, false, frånvarande) for "
              "absent",
              "materials/participants/eksjo-2023-06-13.csv:2:14: warning: attendance is marked for 1 of 1 "
              "participants, but the visit on 2023-06-13 is planned; it is not used until the visit has "
              "'status: held'"});
}

TEST_CASE("a CSV file with förnamn and efternamn columns") {
  TempProject p;
  p.write(kCsv, "\nFörnamn;Efternamn\nCecilia;Berg\n");
  CHECK(p.check() == Lines{});
  cp::Diagnostics diags;
  const auto programme = cp::validate::load_programme(p.root(), diags);
  REQUIRE(programme);
  CHECK(programme->municipalities[1].visits[1].participants.at(0).name == "Cecilia Berg");
}

TEST_CASE("a CSV unknown column is an error with a did-you-mean and the known columns") {
  TempProject p;
  p.replace(kCsv, "name,title,unit,email", "name,title,unit,emial");
  CHECK(p.check() == Lines{"materials/participants/eksjo-2023-06-13.csv:1:17: error: unknown column 'emial'\n"
                           "  hint: did you mean 'e-mail'? The columns are namn (or förnamn and efternamn), titel, "
                           "enhet, e-post and närvaro, or in English name, title, unit, email and attended; "
                           "docs/deltagarlistor.md lists every spelling; delete a column that is not needed"});
}

TEST_CASE("a CSV row with too many fields") {
  TempProject p;
  p.replace(kCsv, "david.lind@eksjo.se", "david.lind@eksjo.se,extra");
  CHECK(p.check() ==
        Lines{"materials/participants/eksjo-2023-06-13.csv:3:56: error: row has 5 fields; the header has 4"});
}

TEST_CASE("a CSV unterminated quote is at its line") {
  TempProject p;
  p.replace(kCsv, "David Lind,Enhetschef", "David Lind,\"Enhetschef");
  CHECK(p.check() == Lines{"materials/participants/eksjo-2023-06-13.csv:3:12: error: unterminated quoted field\n"
                           "  hint: a field that starts with \" must end with \"; write \"\" for a quote inside it"});
}

TEST_CASE("a CSV row without a name") {
  TempProject p;
  p.replace(kCsv, "David Lind,", " ,");
  CHECK(p.check() == Lines{"materials/participants/eksjo-2023-06-13.csv:3:1: error: participant has no name"});
}

// ---------------------------------------------------------------- layouts

TEST_CASE("an invalid colour") {
  TempProject p;
  p.replace(kHandout, "accent: \"#00528c\"", "accent: blue");
  CHECK(p.check() == Lines{"layouts/handout.yaml:4:18: error: invalid colour 'blue'\n"
                           "  hint: write \"#rrggbb\" in quotes, e.g. \"#00528c\""});
}

TEST_CASE("an unquoted colour is a comment, so the value is empty") {
  TempProject p;
  p.write(kHandout, "colors:\n  accent: #00528c\n");
  CHECK(p.check() == Lines{"layouts/handout.yaml:2:3: error: 'accent' has no value\n"
                           "  hint: write the colour in quotes, e.g. \"#00528c\"; an unquoted # starts a comment"});
}

TEST_CASE("an invalid length") {
  TempProject p;
  p.replace(kHandout, "margins: 20mm", "margins: 20 px");
  CHECK(p.check() == Lines{"layouts/handout.yaml:1:27: error: invalid length '20 px'\n"
                           "  hint: write points (12) or a number with mm, cm, pt or in (20mm)"});
}

TEST_CASE("margins that leave no room") {
  TempProject p;
  p.replace(kHandout, "margins: 20mm", "margins: 12cm");
  CHECK(p.check() == Lines{"layouts/handout.yaml:1:27: error: margins leave no room on the page"});
}

TEST_CASE("an unknown page size") {
  TempProject p;
  p.replace(kHandout, "size: A4", "size: A6");
  CHECK(p.check() == Lines{"layouts/handout.yaml:1:14: error: unknown page size 'A6'\n"
                           "  hint: did you mean 'A4'?"});
}

TEST_CASE("an unknown certificate element type") {
  TempProject p;
  p.replace(kCertificate, "type: qr", "type: barcode");
  CHECK(p.check() == Lines{"layouts/certificate.yaml:6:12: error: unknown element type 'barcode'\n"
                           "  hint: use text, image, line, qr, goals or signatures"});
}

TEST_CASE("a certificate element that does not fit on the page") {
  TempProject p;
  p.replace(kCertificate, "x: 250mm", "x: 280mm");
  CHECK(p.check() == Lines{"layouts/certificate.yaml:6:5: error: element does not fit on the page"});
}

TEST_CASE("min_size larger than size") {
  TempProject p;
  p.replace(kCertificate, "min_size: 16", "min_size: 32");
  CHECK(p.check() == Lines{"layouts/certificate.yaml:4:126: error: 'min_size' is larger than 'size'"});
}

TEST_CASE("heading sizes of the wrong count") {
  TempProject p;
  p.replace(kHandout, "body_size: 10.5", "heading_sizes: [20, 14]");
  CHECK(p.check() == Lines{"layouts/handout.yaml:3:16: error: 'heading_sizes' must be a list of 3 sizes"});
}

TEST_CASE("a font file that does not exist") {
  TempProject p;
  p.replace(kCertificate, "font: \"Noto Sans\"", "font: {regular: assets/fonts/Sans.ttf}");
  CHECK(p.check() == Lines{"layouts/certificate.yaml:2:17: error: file 'assets/fonts/Sans.ttf' does not exist"});
}

TEST_CASE("font files resolve to absolute paths, missing styles fall back") {
  TempProject p;
  p.write("layouts/assets/fonts/Sans.ttf", "not really a font");
  p.replace(kCertificate, "font: \"Noto Sans\"", "font: {regular: assets/fonts/Sans.ttf}");
  CHECK(p.check() == Lines{});
  cp::Diagnostics diags;
  const auto programme = cp::validate::load_programme(p.root(), diags);
  REQUIRE(programme);
  const auto& font = programme->layouts.certificate.font;
  CHECK(font.family.empty());
  CHECK(font.regular == std::filesystem::canonical(p.path("layouts/assets/fonts/Sans.ttf")).string());
  CHECK(font.bold_italic == font.regular);
}

TEST_CASE("missing layout files keep the defaults silently") {
  TempProject p;
  p.remove("layouts");
  CHECK(p.check() == Lines{});
  cp::Diagnostics diags;
  const auto programme = cp::validate::load_programme(p.root(), diags);
  REQUIRE(programme);
  CHECK(programme->layouts.certificate.page.width > programme->layouts.certificate.page.height);
  CHECK(programme->layouts.handout.body_font.family == "Noto Serif");
}

// ---------------------------------------------------------------- hostile files

TEST_CASE("an empty file") {
  TempProject p;
  p.write(kProject, "");
  CHECK(p.check() == Lines{"materials/project.yaml:1:1: error: file is empty"});
}

TEST_CASE("a file of comments only") {
  TempProject p;
  p.write(kProject, "# nothing yet\n");
  CHECK(p.check() ==
        Lines{"materials/project.yaml:1:1: error: expected a mapping (key: value lines) at the top of the file"});
}

TEST_CASE("a binary module file") {
  TempProject p;
  p.write("materials/modules/02-lag.md", std::string("# Lag\n\x89PNG\0\0", 12));
  CHECK(p.check() == Lines{"materials/modules/02-lag.md:2:5: error: file is not text"});
}

TEST_CASE("invalid UTF-8 in YAML is at the line of the bad byte") {
  TempProject p;
  p.replace(kEksjo, "venue: Stadshuset",
            "venue: R\xE5"
            "dhuset");
  CHECK(p.check() == Lines{"materials/municipalities/eksjo.yaml:7:13: error: file is not valid utf-8 (byte 0xe5)\n"
                           "  hint: save the file as utf-8"});
}

TEST_CASE("a UTF-16 file") {
  TempProject p;
  p.write(kProject, std::string("\xFF\xFEt\0i\0", 6));
  CHECK(p.check() == Lines{"materials/project.yaml:1:1: error: file is utf-16; save it as utf-8"});
}

TEST_CASE("YAML nested thousands deep is refused before parsing") {
  TempProject p;
  p.write(kProject, "title: x\norganisation: " + std::string(5000, '[') + std::string(5000, ']') + "\n");
  CHECK(p.check() == Lines{"materials/project.yaml:2:78: error: yaml nesting is too deep (more than 64 levels)"});
}

TEST_CASE("a YAML alias bomb is refused") {
  TempProject p;
  std::string yaml = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n";
  for (int i = 1; i < 9; ++i) {
    // Appended piece by piece: g++ 12 at -O3 warns (-Wrestrict) about "lit" + std::string&&.
    yaml.append("a").append(std::to_string(i)).append(": &a").append(std::to_string(i)).append(" [");
    for (int k = 0; k < 10; ++k) yaml.append(k ? ", *a" : "*a").append(std::to_string(i - 1));
    yaml += "]\n";
  }
  p.write(kProject, yaml);
  CHECK(p.check() == Lines{"materials/project.yaml:5:45: error: yaml aliases expand to more than 100000 nodes"});
}

TEST_CASE("a file over the size limit") {
  TempProject p;
  {
    std::ofstream out(p.path(kCsv), std::ios::binary | std::ios::trunc);
    out << "name\n";
  }
  std::filesystem::resize_file(p.path(kCsv), cp::files::kMaxInputBytes + 1);  // sparse: cheap to write
  CHECK(p.check() == Lines{"materials/participants/eksjo-2023-06-13.csv:1:1: error: file is too large (16.1 MB; "
                           "the limit is 16 MB)"});
}

// ---------------------------------------------------------------- all at once

TEST_CASE("errors in several files are all reported in one run") {
  TempProject p;
  p.replace(kProject, "organisation: Region Jönköpings län\n", "");
  p.replace(kCourse, "hours: 3.5", "hours: -1");
  p.replace(kModule, "{{visit.date}}", "{{visit.datum}}");
  p.replace(kEksjo, "date: 2023-03-14", "date: 2023-13-01");
  p.replace(kEksjo, "status: held", "status: klar");
  p.replace(kCsv, "david.lind@eksjo.se", "david.lind@eksjo.se,extra");
  p.replace(kCertificate, "font: bold", "font: heavy");
  CHECK(p.errors() ==
        Lines{"materials/project.yaml:1:1: error: missing required key 'organisation'",
              "materials/courses/grund.yaml:2:8: error: 'hours' must be a positive number",
              "materials/modules/01-intro.md:7:42: error: unknown placeholder '{{visit.datum}}'\n"
              "  hint: did you mean '{{visit.date}}'?",
              "materials/municipalities/eksjo.yaml:4:11: error: '2023-13-01' is not a calendar date (YYYY-MM-DD)",
              "materials/municipalities/eksjo.yaml:10:13: error: unknown status 'klar'\n  hint: use planned, held or cancelled",
              "materials/participants/eksjo-2023-06-13.csv:3:56: error: row has 5 fields; the header has 4",
              "layouts/certificate.yaml:4:100: error: unknown font style 'heavy'\n"
              "  hint: use regular, bold, italic or bold_italic"});
}

TEST_CASE("a root without materials/") {
  TempProject p(true);
  cp::Diagnostics diags;
  CHECK_FALSE(cp::validate::load_programme(p.root(), diags));
  REQUIRE(diags.all().size() == 1);
  CHECK(cp::format_diagnostic(diags.all()[0]).starts_with("coursepack: error: no materials/ folder in "));
}

TEST_CASE("a missing project.yaml") {
  TempProject p;
  p.remove(kProject);
  CHECK(p.check() == Lines{"materials/project.yaml:1:1: error: file not found"});
}

TEST_CASE("participants that are neither a list nor a path") {
  TempProject p;
  p.replace(kEksjo, "participants: participants/eksjo-2023-06-13.csv", "participants: {name: Eva}");
  CHECK(p.check() ==
        Lines{"materials/municipalities/eksjo.yaml:19:19: error: 'participants' must be a list or the path "
              "of a csv or xlsx file"});
}

// ---------------------------------------------------------------- the real data

TEST_CASE("the bundled county data validates without errors") {
  const std::filesystem::path root = COURSEPACK_SOURCE_DIR;
  if (!std::filesystem::exists(root / "materials")) {
    WARN("no bundled materials/ yet");
    return;
  }
  cp::Diagnostics diags;
  const auto programme = cp::validate::load_programme(root, diags);
  std::string printed;
  for (const auto& d : diags.all()) printed += cp::format_diagnostic(d) + "\n";
  INFO(printed);
  CHECK(diags.error_count() == 0);
  REQUIRE(programme);
  CHECK(programme->municipalities.size() == 13);
}

TEST_CASE("the synthetic data generator writes a valid project") {
  TempProject out(true);
  const std::string command = std::string(COURSEPACK_PYTHON " ") + COURSEPACK_SOURCE_DIR +
                              "/tests/gen/make_data.py --scale 2 --out " + out.root().string() + " 2>/dev/null";
  REQUIRE(std::system(command.c_str()) == 0);
  cp::Diagnostics diags;
  const auto programme = cp::validate::load_programme(out.root(), diags);
  std::string printed;
  for (const auto& d : diags.all()) printed += cp::format_diagnostic(d) + "\n";
  INFO(printed);
  CHECK(diags.all().empty());
  REQUIRE(programme);
  // The county's 13 municipalities with 2 x scale visits each.
  CHECK(programme->municipalities.size() == 13);
  for (const auto& m : programme->municipalities) CHECK(m.visits.size() == 4);
}

TEST_CASE("more participants in one visit than the limit") {
  TempProject p;
  std::string csv = "namn\n";
  for (int i = 0; i < 1001; ++i) csv += "Person " + std::to_string(i) + "\n";
  p.write(kCsv, csv);
  const auto lines = p.check();
  REQUIRE(lines.size() >= 1);
  CHECK(lines.back().find("error: 1001 participants registered for one visit; the limit is 1000\n"
                          "  hint: split the group into several visits") != std::string::npos);
}

// ---------------------------------------------------------------- evaluation results

namespace {
constexpr const char* kResults = "materials/evaluations/eksjo-2023-03-14.csv";

// Gives the course three rated statements and the held Eksjö visit (two
// registered, one attending) an evaluation_results file with `csv` in it.
void with_results(const TempProject& p, std::string_view csv) {
  p.replace(kCourse, "  - Känna till begreppen\n",
            "  - Känna till begreppen\nevaluation:\n  statements: [Ett, Två, Tre]\n");
  p.replace(kEksjo, "    status: held\n",
            "    status: held\n    evaluation_results: evaluations/eksjo-2023-03-14.csv\n");
  p.write(kResults, csv);
}
}  // namespace

TEST_CASE("evaluation results fill the visit") {
  TempProject p;
  with_results(p, "fråga;1;2;3;4;5\nföre;0;1;0;0;0\nefter;0;0;0;1;0\n3;;;;;1\n");
  CHECK(p.check() == Lines{});
  cp::Diagnostics diags;
  const auto programme = cp::validate::load_programme(p.root(), diags);
  REQUIRE(programme);
  const auto& held = programme->municipalities[1].visits[0];
  REQUIRE(held.evaluation_results);
  CHECK(held.evaluation_results->before == cp::model::AnswerCounts{0, 1, 0, 0, 0});
  CHECK(held.evaluation_results->after == cp::model::AnswerCounts{0, 0, 0, 1, 0});
  REQUIRE(held.evaluation_results->statements.size() == 1);
  CHECK(held.evaluation_results->statements.at(3) == cp::model::AnswerCounts{0, 0, 0, 0, 1});
  CHECK(held.evaluation_results->file == "evaluations/eksjo-2023-03-14.csv");
  CHECK_FALSE(programme->municipalities[1].visits[1].evaluation_results);
}

TEST_CASE("evaluation results from Excel: Windows-1252, CRLF, capitals and English words") {
  TempProject p;
  with_results(p, "Fr\xE5ga;1;2;3;4;5\r\nF\xF6re;1;0;0;0;0\r\nafter;0;0;0;0;1\r\n");
  CHECK(p.check() == Lines{});
}

TEST_CASE("evaluation results: an unknown question gets a did-you-mean or the list of rows") {
  TempProject p;
  with_results(p, "fråga;1;2;3;4;5\nfore;0;1;0;0;0\nefter;0;0;0;1;0\n4;0;0;0;1;0\nlunch;1;0;0;0;0\n");
  CHECK(p.check() ==
        Lines{"materials/evaluations/eksjo-2023-03-14.csv:2:1: error: unknown question 'fore'\n"
              "  hint: did you mean 'före'?",
              "materials/evaluations/eksjo-2023-03-14.csv:4:1: error: unknown question '4'\n"
              "  hint: the rows are 'före', 'efter' and the statements 1 to 3 of course 'grund'",
              "materials/evaluations/eksjo-2023-03-14.csv:5:1: error: unknown question 'lunch'\n"
              "  hint: the rows are 'före', 'efter' and the statements 1 to 3 of course 'grund'",
              "materials/evaluations/eksjo-2023-03-14.csv:1:1: error: no 'före' row\n"
              "  hint: the report's before/after chart needs both rows, 'före' and 'efter'"});
}

TEST_CASE("evaluation results: counts that are not whole numbers, or negative, all reported") {
  TempProject p;
  with_results(p, "fråga;1;2;3;4;5\nföre;0;0,5;0;0;0\nefter;-1;0;ett;0;0\n");
  CHECK(p.check() ==
        Lines{"materials/evaluations/eksjo-2023-03-14.csv:2:8: error: the count under '2' must be a whole number, "
              "not '0,5'\n  hint: write how many forms have this answer ticked; 0 or an empty cell for none",
              "materials/evaluations/eksjo-2023-03-14.csv:3:7: error: the count under '1' must be zero or more, "
              "not '-1'",
              "materials/evaluations/eksjo-2023-03-14.csv:3:12: error: the count under '3' must be a whole number, "
              "not 'ett'\n  hint: write how many forms have this answer ticked; 0 or an empty cell for none"});
}

TEST_CASE("evaluation results: more forms on a row than participants attended") {
  TempProject p;
  with_results(p, "fråga;1;2;3;4;5\nföre;0;1;0;0;0\nefter;0;0;1;1;0\n");
  CHECK(p.check() == Lines{"materials/evaluations/eksjo-2023-03-14.csv:3:1: error: 2 forms counted for 'efter', "
                           "more than the visit's 1 attending participant\n"
                           "  hint: each form is counted once per row; add anyone who came without registering to "
                           "the participants"});
}

TEST_CASE("evaluation results: without attendance marks the registered count is the limit") {
  TempProject p;
  with_results(p, "fråga;1;2;3;4;5\nföre;1;1;1;0;0\nefter;0;0;1;1;0\n");
  p.replace(kEksjo, "        attended: true\n", "");
  p.replace(kEksjo, "        attended: false\n", "");
  CHECK(p.check() == Lines{"materials/municipalities/eksjo.yaml:13:9: error: attendance of 'Anna Svensson' is not "
                           "marked, but the visit on 2023-03-14 is held\n"
                           "  hint: add 'attended: ja' or 'attended: nej'; a missing value is not taken as absent",
                           "materials/municipalities/eksjo.yaml:15:9: error: attendance of 'Björn Ek' is not "
                           "marked, but the visit on 2023-03-14 is held\n"
                           "  hint: add 'attended: ja' or 'attended: nej'; a missing value is not taken as absent",
                           "materials/evaluations/eksjo-2023-03-14.csv:2:1: error: 3 forms counted for 'före', "
                           "more than the visit's 2 registered participants\n"
                           "  hint: each form is counted once per row; add anyone who came without registering to "
                           "the participants"});
}

TEST_CASE("evaluation results: missing columns") {
  TempProject p;
  with_results(p, "fråga;1;2;3\nföre;0;1;0\nefter;0;0;1\n");
  CHECK(p.check() == Lines{"materials/evaluations/eksjo-2023-03-14.csv:1:1: error: missing answer columns '4' and '5'\n"
                           "  hint: the first row must be: fråga;1;2;3;4;5"});
  p.write(kResults, "svar;1;2;3;4;5;6\nföre;0;1;0;0;0;0\n");
  CHECK(p.check() == Lines{"materials/evaluations/eksjo-2023-03-14.csv:1:1: warning: unknown column 'svar'",
                           "materials/evaluations/eksjo-2023-03-14.csv:1:16: warning: unknown column '6'",
                           "materials/evaluations/eksjo-2023-03-14.csv:1:1: error: missing 'fråga' column\n"
                           "  hint: the first row must be: fråga;1;2;3;4;5"});
}

TEST_CASE("evaluation results: a row given twice, and a row without a question") {
  TempProject p;
  with_results(p, "fråga;1;2;3;4;5\nföre;0;1;0;0;0\nefter;0;0;0;1;0\nFöre;1;0;0;0;0\n;0;0;1;0;0\n");
  CHECK(p.check() == Lines{"materials/evaluations/eksjo-2023-03-14.csv:4:1: error: row 'före' appears twice\n"
                           "  hint: the first is at line 2; add the counts up into one row",
                           "materials/evaluations/eksjo-2023-03-14.csv:5:1: error: row without a question\n"
                           "  hint: start the row with the statement's number on the form, or 'före' or 'efter'"});
}

TEST_CASE("evaluation results for a visit that has not been held") {
  TempProject p;
  with_results(p, "fråga;1;2;3;4;5\nföre;0;1;0;0;0\nefter;0;0;0;1;0\n");
  p.replace(kEksjo, "    participants: participants/eksjo-2023-06-13.csv\n",
            "    participants: participants/eksjo-2023-06-13.csv\n"
            "    evaluation_results: evaluations/eksjo-2023-03-14.csv\n");
  CHECK(p.check() == Lines{"materials/municipalities/eksjo.yaml:21:25: error: evaluation results for a visit that "
                           "has not been held\n  hint: write 'status: held' on the visit once it has taken place"});
}

TEST_CASE("evaluation results for a cancelled visit") {
  TempProject p;
  with_results(p, "fråga;1;2;3;4;5\nföre;0;1;0;0;0\nefter;0;0;0;1;0\n");
  p.replace(kEksjo, "status: held", "status: cancelled");
  const auto lines = p.check();
  CHECK(std::count(lines.begin(), lines.end(),
                   "materials/municipalities/eksjo.yaml:11:25: error: evaluation results for a visit that has not "
                   "been held\n  hint: write 'status: held' on the visit once it has taken place") == 1);
}

TEST_CASE("evaluation results on a visit whose status is misspelt: only the status is reported") {
  TempProject p;
  with_results(p, "fråga;1;2;3;4;5\nföre;0;1;0;0;0\nefter;0;0;0;1;0\n");
  p.replace(kEksjo, "status: held", "status: hled");
  CHECK(p.check() == Lines{"materials/municipalities/eksjo.yaml:10:13: error: unknown status 'hled'\n"
                           "  hint: did you mean 'held'?"});
}

TEST_CASE("evaluation results file that does not exist") {
  TempProject p;
  with_results(p, "fråga;1;2;3;4;5\nföre;0;1;0;0;0\nefter;0;0;0;1;0\n");
  p.replace(kEksjo, "evaluations/eksjo-2023-03-14.csv", "evaluations/eksjo-2023-03-15.csv");
  const auto lines = p.check();
  REQUIRE(lines.size() == 1);
  CHECK(lines[0].starts_with("materials/municipalities/eksjo.yaml:11:25: error: "));
  CHECK(lines[0].find("hint: did you mean 'evaluations/eksjo-2023-03-14.csv'?") != std::string::npos);
}

TEST_CASE("contacts and the coordinator are read alike, each with its own keys") {
  TempProject p;
  p.replace(kEksjo, "code: \"0686\"\n", "code: \"0686\"\ncontacts:\n  - name: Åsa Engström\n    rol: Enhetschef\n");
  p.replace(kProject, "  email: annika.hedlund@example.se", "  role: FoU-ledare");
  CHECK(p.check() == Lines{"materials/project.yaml:5:3: error: unknown key 'role'\n"
                           "  hint: the keys allowed here are name, title, email, phone",
                           "materials/municipalities/eksjo.yaml:5:5: error: unknown key 'rol'\n"
                           "  hint: did you mean 'role'? The keys allowed here are name, role, email, phone"});
}
