#include "verify/register.h"

#include <catch2/catch.hpp>

#include "documents/verification.h"
#include "fixtures.h"

using namespace cp;

namespace {

const verify::Issued* find(const verify::Register& r, const std::string& name) {
  for (const auto& e : r.entries)
    if (e.name == name) return &e;
  return nullptr;
}

auto everything = [](const std::string&, const std::string&) { return true; };

}  // namespace

TEST_CASE("the register: current certificates valid or planned, the ones no longer issued revoked", "[register]") {
  auto p = test::sample_programme();
  auto& v = test::sample_visit(p);
  v.participants = {test::person("Åsa Åberg"), test::person("Pär Berg"), test::person("Ola Ek")};
  v.status = model::VisitStatus::Planned;
  const auto first = verify::update_register({}, p, everything, true);
  REQUIRE(first.entries.size() == 3);
  for (const auto& e : first.entries) CHECK(e.status == verify::Status::Planned);

  // Held: Pär absent, Ola removed, Åsa's e-mail corrected.
  v.status = model::VisitStatus::Held;
  v.participants = {test::person("Åsa Åberg", "Socialsekreterare", "Barn och familj", true),
                    test::person("Pär Berg", "Socialsekreterare", "Barn och familj", false)};
  v.participants[0].email = "asa@eksjo.se";
  const auto second = verify::update_register(first, p, everything, true);
  REQUIRE(second.entries.size() == 3);
  CHECK(find(second, "Åsa Åberg")->status == verify::Status::Valid);
  CHECK(find(second, "Åsa Åberg")->code == find(first, "Åsa Åberg")->code);
  CHECK(find(second, "Pär Berg")->status == verify::Status::Revoked);
  CHECK(find(second, "Ola Ek")->status == verify::Status::Revoked);

  // Pär marked present after all: valid again.
  v.participants[1].attended = true;
  const auto third = verify::update_register(second, p, everything, true);
  CHECK(find(third, "Pär Berg")->status == verify::Status::Valid);

  // A visit no longer in the data: revoked by a full update only.
  auto q = p;
  test::sample_municipality(q).visits.clear();
  CHECK(find(verify::update_register(third, q, everything, false), "Åsa Åberg")->status == verify::Status::Valid);
  CHECK(find(verify::update_register(third, q, everything, true), "Åsa Åberg")->status == verify::Status::Revoked);

  // Out of scope (build --only another visit): left as it was.
  v.participants.clear();
  const auto none = [](const std::string&, const std::string&) { return false; };
  CHECK(find(verify::update_register(third, p, none, false), "Åsa Åberg")->status == verify::Status::Valid);
}

TEST_CASE("the register survives its JSON", "[register]") {
  auto p = test::sample_programme();
  test::sample_visit(p).participants = {test::person("Åsa Åberg"), test::person("Γεώργιος Παπαδόπουλος")};
  const auto r = verify::update_register({}, p, everything, true);
  std::string error;
  const auto back = verify::parse_register(verify::register_json(r), error);
  REQUIRE(back);
  REQUIRE(back->entries.size() == 2);
  CHECK(verify::register_json(*back) == verify::register_json(r));
  CHECK_FALSE(verify::parse_register("{\"certificates\": 3}", error));
  CHECK(error == "not a certificate register");
}

TEST_CASE("register.csv as Excel in a Swedish locale reads it", "[register]") {
  verify::Register r;
  r.entries.push_back({"ABCDE-FGHJK", "Åsa \"Åsan\" Åberg", "eksjo", "2023-03-14-grundutbildning", "Eksjö kommun",
                       "Grundutbildning; SPoM", "2023-03-14", verify::Status::Revoked});
  r.entries.push_back({"BCDEF-GHJKM", "=HYPERLINK(1)", "eksjo", "2023-03-14-grundutbildning", "Eksjö kommun", "Kurs",
                       "2023-03-14", verify::Status::Valid});
  const std::string csv = verify::register_csv(r);
  CHECK(csv == "\xEF\xBB\xBF"
               "Kod;Namn;Kommun;Datum;Kurs;Besök;Status\r\n"
               "ABCDE-FGHJK;\"Åsa \"\"Åsan\"\" Åberg\";Eksjö kommun;2023-03-14;\"Grundutbildning; SPoM\";"
               "eksjo/2023-03-14-grundutbildning;återkallat\r\n"
               "BCDEF-GHJKM;'=HYPERLINK(1);Eksjö kommun;2023-03-14;Kurs;eksjo/2023-03-14-grundutbildning;giltigt\r\n");
}
