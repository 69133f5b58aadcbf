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
                       "Grundutbildning; SPoM", "2023-03-14", verify::Status::Revoked, "asa@eksjo.se",
                       "certificates/01-asa-asan-aberg.pdf"});
  r.entries.push_back({"BCDEF-GHJKM", "=HYPERLINK(1)", "eksjo", "2023-03-14-grundutbildning", "Eksjö kommun", "Kurs",
                       "2023-03-14", verify::Status::Valid, "", "certificates/02-hyperlink-1.pdf"});
  const std::string csv = verify::register_csv(r);
  CHECK(csv == "\xEF\xBB\xBF"
               "Kommun;Datum;Kurs;Namn;E-post;Kod;Besök;Fil;Status\r\n"
               "Eksjö kommun;2023-03-14;\"Grundutbildning; SPoM\";\"Åsa \"\"Åsan\"\" Åberg\";asa@eksjo.se;ABCDE-FGHJK;"
               "eksjo/2023-03-14-grundutbildning;certificates/01-asa-asan-aberg.pdf;återkallat\r\n"
               "Eksjö kommun;2023-03-14;Kurs;'=HYPERLINK(1);;BCDEF-GHJKM;eksjo/2023-03-14-grundutbildning;"
               "certificates/02-hyperlink-1.pdf;giltigt\r\n");
  // A pack's certificates.csv: the same without the pack.
  CHECK(verify::pack_certificates_csv({r.entries[0]}) ==
        "\xEF\xBB\xBF"
        "Kommun;Datum;Kurs;Namn;E-post;Kod;Fil;Status\r\n"
        "Eksjö kommun;2023-03-14;\"Grundutbildning; SPoM\";\"Åsa \"\"Åsan\"\" Åberg\";asa@eksjo.se;ABCDE-FGHJK;"
        "certificates/01-asa-asan-aberg.pdf;återkallat\r\n");
  CHECK(verify::excel_csv({{"a\r\nb", "c"}}) == "\xEF\xBB\xBF\"a\r\nb\";c\r\n");
}

TEST_CASE("the register keeps each certificate's e-mail address and file in the pack", "[register]") {
  auto p = test::sample_programme();
  auto& v = test::sample_visit(p);
  v.participants = {test::person("Åsa Åberg"), test::person("Pär Berg")};
  v.participants[1].email = "par.berg@eksjo.se";
  const auto r = verify::update_register({}, p, everything, true);
  REQUIRE(r.entries.size() == 2);
  CHECK(find(r, "Pär Berg")->email == "par.berg@eksjo.se");
  // Numbered as in the pack, in the attendance sheet's Swedish order (B before Å).
  CHECK(find(r, "Pär Berg")->file == "certificates/01-par-berg.pdf");
  CHECK(find(r, "Åsa Åberg")->file == "certificates/02-asa-aberg.pdf");
  std::string error;
  const auto back = verify::parse_register(verify::register_json(r), error);
  REQUIRE(back);
  CHECK(find(*back, "Pär Berg")->email == "par.berg@eksjo.se");
  CHECK(find(*back, "Pär Berg")->file == "certificates/01-par-berg.pdf");
  // A record written before these were kept still reads.
  const auto old = verify::parse_register(
      R"({"certificates":[{"code":"ABCDE-FGHJK","name":"Åsa","slug":"eksjo","visit":"v","status":"valid"}]})", error);
  REQUIRE(old);
  CHECK(old->entries[0].email.empty());
}

TEST_CASE("erase_visit: a visit's rows become one anonymous count, kept through JSON and updates", "[register]") {
  auto p = test::sample_programme();
  auto& v = test::sample_visit(p);
  v.status = model::VisitStatus::Held;
  v.participants = {test::person("Åsa Åberg", "", "", true), test::person("Pär Berg", "", "", true),
                    test::person("Ola Ek", "", "", false)};
  auto reg = verify::update_register({}, p, everything, true);
  REQUIRE(reg.entries.size() == 2);
  const std::string slug = reg.entries[0].slug, visit = reg.entries[0].visit;
  CHECK(verify::erase_visit(reg, slug, visit, "2026-01-31"));
  CHECK(reg.entries.empty());
  REQUIRE(reg.erased.size() == 1);
  CHECK(reg.erased[0].valid == 2);
  CHECK(reg.erased[0].planned == 0);
  CHECK_FALSE(verify::erase_visit(reg, slug, visit, "2026-02-01"));  // nothing left to erase
  std::string error;
  const auto back = verify::parse_register(verify::register_json(reg), error);
  REQUIRE(back);
  REQUIRE(back->erased.size() == 1);
  CHECK(back->erased[0].valid == 2);
  CHECK(back->erased[0].erased_on == "2026-01-31");
  const std::string csv = verify::register_csv(*back);
  CHECK(csv.find("2 intyg (2 giltiga); personuppgifterna raderade 2026-01-31") != std::string::npos);
  CHECK(csv.find("Åberg") == std::string::npos);
  CHECK(verify::register_json(reg).find("Åberg") == std::string::npos);
  // A later update (the visit out of scope) keeps the count.
  auto none = [](const std::string&, const std::string&) { return false; };
  CHECK(verify::update_register(*back, p, none, true).erased.size() == 1);
}
