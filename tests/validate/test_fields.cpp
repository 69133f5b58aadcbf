// validate/fields.h as the user meets it: a key the tool does not know is an
// error at the key, with a did-you-mean and the keys allowed in that place,
// in every YAML file (it would otherwise drop what it holds from the outputs).
#include "validate/fields.h"

#include <catch2/catch.hpp>

#include "project_fixture.h"

using cp::testing::TempProject;
using Lines = std::vector<std::string>;

namespace {
constexpr const char* kEksjo = "materials/municipalities/eksjo.yaml";
constexpr const char* kCourse = "materials/courses/grund.yaml";
constexpr const char* kProject = "materials/project.yaml";
constexpr const char* kModule = "materials/modules/01-intro.md";
constexpr const char* kCertificate = "layouts/certificate.yaml";
constexpr const char* kHandout = "layouts/handout.yaml";

constexpr const char* kVisitKeys =
    "The keys allowed here are date, start, end, venue, address, course, trainers, seats, status, participants, "
    "evaluation_results";
}  // namespace

TEST_CASE("a misspelled 'signatories' is an error, not certificates without signatures") {
  TempProject p;
  p.replace(kProject, "signatories:\n", "signatores:\n");
  CHECK(p.check() == Lines{"materials/project.yaml:6:1: error: unknown key 'signatores'\n"
                           "  hint: did you mean 'signatories'? The keys allowed here are title, organisation, "
                           "partners, coordinator, signatories, language, verify_url, privacy_notice, "
                           "retention"});
}

TEST_CASE("a misspelled 'learning_goals' is an error, not an empty list on the certificate") {
  TempProject p;
  p.replace(kCourse, "learning_goals:\n", "learning_goal:\n");
  CHECK(p.check() == Lines{"materials/courses/grund.yaml:6:1: error: unknown key 'learning_goal'\n"
                           "  hint: did you mean 'learning_goals'? The keys allowed here are title, subtitle, "
                           "hours, modules, learning_goals, evaluation"});
}

TEST_CASE("a misspelled 'venue' is an error, not a sheet and brief without the venue") {
  TempProject p;
  p.replace(kEksjo, "    venue: Stadshuset", "    venu: Stadshuset");
  CHECK(p.check() == Lines{std::string("materials/municipalities/eksjo.yaml:7:5: error: unknown key 'venu'\n"
                                       "  hint: did you mean 'venue'? ") +
                           kVisitKeys});
}

TEST_CASE("a misspelled 'status' is an error, not a held visit turned planned") {
  TempProject p;
  p.replace(kEksjo, "    status: held", "    staus: held");
  // The visit then counts as planned, so its marked attendance is said to be unused too.
  CHECK(p.check() == Lines{std::string("materials/municipalities/eksjo.yaml:10:5: error: unknown key 'staus'\n"
                                       "  hint: did you mean 'status'? ") +
                               kVisitKeys,
                           "materials/municipalities/eksjo.yaml:14:19: warning: attendance is marked for 2 of 2 "
                           "participants, but the visit on 2023-03-14 is planned; it is not used until the visit has "
                           "'status: held'"});
}

TEST_CASE("an unknown key far from any known one lists the keys allowed") {
  TempProject p;
  p.replace(kProject, "title: Kunskapshöjning om SPoM\n", "title: Kunskapshöjning om SPoM\nbudget: 100\n");
  CHECK(p.check() == Lines{"materials/project.yaml:2:1: error: unknown key 'budget'\n"
                           "  hint: the keys allowed here are title, organisation, partners, coordinator, "
                           "signatories, language, verify_url, privacy_notice, retention"});
}

TEST_CASE("an unknown key in a nested mapping lists that mapping's keys") {
  TempProject p;
  p.replace(kProject, "  email: annika.hedlund@example.se", "  emial: annika.hedlund@example.se");
  CHECK(p.check() == Lines{"materials/project.yaml:5:3: error: unknown key 'emial'\n"
                           "  hint: did you mean 'email'? The keys allowed here are name, title, email, phone"});
}

TEST_CASE("an unknown key of a signatory, a participant and the evaluation form") {
  TempProject p;
  p.replace(kProject, "    signature: signatures/annika.png", "    signatur: signatures/annika.png");
  p.replace(kEksjo, "        title: Socialsekreterare", "        titel: Socialsekreterare");
  p.replace(kCourse, "learning_goals:\n", "evaluation:\n  statement:\n    - Bra\nlearning_goals:\n");
  CHECK(p.check() ==
        Lines{"materials/project.yaml:9:5: error: unknown key 'signatur'\n"
              "  hint: did you mean 'signature'? The keys allowed here are name, title, signature",
              "materials/courses/grund.yaml:7:3: error: unknown key 'statement'\n"
              "  hint: did you mean 'statements'? The keys allowed here are statements, questions",
              "materials/municipalities/eksjo.yaml:13:9: error: unknown key 'titel'\n"
              "  hint: did you mean 'title'? The keys allowed here are name, title, unit, email, attended"});
}

TEST_CASE("an unknown front matter key is an error at its line in the module") {
  TempProject p;
  p.replace(kModule, "title: Inledning\n", "title: Inledning\ntitel: Inledning\n");
  CHECK(p.check() == Lines{"materials/modules/01-intro.md:3:1: error: unknown key 'titel'\n"
                           "  hint: did you mean 'title'? The keys allowed here are title, subtitle, author, date, "
                           "lang"});
}

TEST_CASE("an unknown key in a layout, at the top and inside a flow mapping") {
  TempProject p;
  p.replace(kHandout, "body_size: 10.5\n", "bodysize: 10.5\n");
  p.replace(kCertificate, "min_size: 16", "minsize: 16");
  const auto lines = p.errors();
  REQUIRE(lines.size() == 2);
  CHECK(lines[0].starts_with("layouts/handout.yaml:3:1: error: unknown key 'bodysize'\n"
                             "  hint: did you mean 'body_size'? The keys allowed here are "));
  CHECK(lines[1] == "layouts/certificate.yaml:4:116: error: unknown key 'minsize'\n"
                    "  hint: did you mean 'min_size'? The keys allowed here are type, x, y, width, height, text, font, "
                    "size, min_size, leading, align, color, image, line_width");
}

TEST_CASE("every unknown key is reported, in one run") {
  TempProject p;
  p.replace(kEksjo, "    venue: Stadshuset", "    venu: Stadshuset");
  p.replace(kEksjo, "    seats: 10", "    seat: 10");
  const auto lines = p.errors();
  REQUIRE(lines.size() == 2);
  CHECK(lines[0].starts_with("materials/municipalities/eksjo.yaml:7:5: error: unknown key 'venu'"));
  CHECK(lines[1].starts_with("materials/municipalities/eksjo.yaml:9:5: error: unknown key 'seat'\n"
                             "  hint: did you mean 'seats'?"));
}

TEST_CASE("unknown_key_hint without a near key") {
  constexpr std::string_view keys[] = {"name", "phone"};
  CHECK(cp::validate::unknown_key_hint("budget", keys) == "the keys allowed here are name, phone");
  CHECK(cp::validate::unknown_key_hint("nam", keys) == "did you mean 'name'? The keys allowed here are name, phone");
}
