// The checks that need the visit or all its participants
// (validate/participant_checks.h), through load_programme: attendance on
// held and planned visits, one address for two people, a person registered
// twice, names over the length limit. Each test asserts the exact lines.
#include "validate/participant_checks.h"

#include <catch2/catch.hpp>

#include "participants_fixture.h"
#include "project_fixture.h"

using cp::testing::held_csv;
using cp::testing::kCsv;
using cp::testing::kEksjo;
using cp::testing::TempProject;
using Lines = std::vector<std::string>;

TEST_CASE("participants: a held visit whose file has no attendance column") {
  TempProject p;
  held_csv(p, "namn;enhet\nCecilia Berg;IFO\n");
  CHECK(p.check() == Lines{"materials/participants/eksjo-2023-06-13.csv:1:1: error: no attendance column, but the "
                           "visit on 2023-06-13 is held\n"
                           "  hint: add a column 'närvaro' with ja or nej for every participant; only those "
                           "marked present get a certificate"});
}

TEST_CASE("participants: the same address for two people is a warning") {
  TempProject p;
  p.write(kCsv, "namn;e-post\nCecilia Berg;ifo@eksjo.se\nDavid Lind;IFO@eksjo.se\n");
  CHECK(p.check() == Lines{"materials/participants/eksjo-2023-06-13.csv:3:12: warning: 'IFO@eksjo.se' is also the "
                           "e-mail address of 'Cecilia Berg'\n  hint: at line 2; each participant's certificate "
                           "goes to their own address"});
}

TEST_CASE("participants: a blank attendance on a held visit is an error at its cell") {
  TempProject p;
  held_csv(p, "namn;närvaro\nCecilia Berg;ja\nDavid Lind;\nEva Ek;nej\n");
  CHECK(p.check() == Lines{"materials/participants/eksjo-2023-06-13.csv:3:12: error: attendance of 'David Lind' is "
                           "not marked, but the visit on 2023-06-13 is held\n"
                           "  hint: write ja or nej (x for present works too); a blank is not taken as absent"});
}

TEST_CASE("participants: an inline participant of a held visit without attendance") {
  TempProject p;
  p.replace(kEksjo, "        attended: false\n", "");
  CHECK(p.check() == Lines{"materials/municipalities/eksjo.yaml:15:9: error: attendance of 'Björn Ek' is not "
                           "marked, but the visit on 2023-03-14 is held\n"
                           "  hint: add 'attended: ja' or 'attended: nej'; a missing value is not taken as absent"});
  p.replace(kEksjo, "      - name: Björn Ek\n", "      - name: Björn Ek\n        attended: nej\n");
  p.replace(kEksjo, "attended: true", "attended: x");
  CHECK(p.check() == Lines{});
}

TEST_CASE("participants: attendance on a planned visit is a warning that it is not used yet") {
  TempProject p;
  p.replace(kEksjo, "    status: held\n", "    status: planned\n");
  CHECK(p.check() == Lines{"materials/municipalities/eksjo.yaml:14:19: warning: attendance is marked for 2 of 2 "
                           "participants, but the visit on 2023-03-14 is planned; it is not used until the visit "
                           "has 'status: held'"});
}

TEST_CASE("the same person registered twice, in another case and spacing") {
  TempProject p;
  p.replace(kEksjo, "name: Björn Ek", "name: ANNA  svensson");
  CHECK(p.check() == Lines{"materials/municipalities/eksjo.yaml:15:9: error: 'ANNA  svensson' is registered twice "
                           "for this visit\n  hint: first registered at line 12"});
}

TEST_CASE("the same person twice in a CSV file, once with combining accents") {
  TempProject p;
  p.write(kCsv,
          "namn\nÅsa Ek\nA\xCC\x8A"
          "sa Ek\n");
  CHECK(p.check() == Lines{"materials/participants/eksjo-2023-06-13.csv:3:1: error: 'Åsa Ek' is registered twice "
                           "for this visit\n  hint: first registered at line 2"});
}

TEST_CASE("a participant name over the length limit") {
  TempProject p;
  p.replace(kEksjo, "name: Björn Ek", "name: " + std::string(201, 'x'));
  CHECK(p.check() == Lines{"materials/municipalities/eksjo.yaml:15:9: error: participant name is too long "
                           "(201 characters; the limit is 200)"});
}
