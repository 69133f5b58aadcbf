#include "documents/verification.h"

#include <catch2/catch.hpp>
#include <set>

#include "core/text.h"
#include "fixtures.h"

#ifdef COURSEPACK_HAVE_VALIDATE
#include "validate/validate.h"
#endif

using namespace cp;
using documents::participant_slug;
using documents::verification_code;

namespace {

bool safe_slug(const std::string& s) {
  if (s.empty() || s.front() == '-' || s.front() == '.' || s.back() == '-') return false;
  for (char c : s)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
  return s.find("..") == std::string::npos;
}

}  // namespace

TEST_CASE("verification codes are short and use only unambiguous characters", "[verification]") {
  auto p = test::sample_programme();
  const auto who = test::person("Åsa Åberg");
  const auto code = verification_code(p.project, test::sample_course(p), test::sample_municipality(p),
                                      test::sample_visit(p), who);
  CHECK(code.size() == 11);
  CHECK(code[5] == '-');
  CHECK(documents::is_verification_code(code));
  CHECK(code.find_first_of("01OIL") == std::string::npos);
  CHECK_FALSE(documents::is_verification_code("ABCDE-FGHI0"));
  CHECK_FALSE(documents::is_verification_code("ABCDEFGHJKM"));
}

TEST_CASE("verification codes are deterministic and depend on every field", "[verification]") {
  auto p = test::sample_programme();
  const auto& course = test::sample_course(p);
  auto& m = test::sample_municipality(p);
  auto& v = test::sample_visit(p);
  auto who = test::person("Åsa Åberg");
  const auto code = verification_code(p.project, course, m, v, who);
  CHECK(verification_code(p.project, course, m, v, who) == code);

  SECTION("NFC and NFD spellings of a name give the same code") {
    auto nfd = who;
    nfd.name = "A\u030Asa A\u030Aberg";
    CHECK(verification_code(p.project, course, m, v, nfd) == code);
  }
  SECTION("correcting the e-mail, title or unit keeps the code") {
    auto fixed = who;
    fixed.email = "asa.aberg2@eksjo.se";
    fixed.title = "Enhetschef";
    fixed.unit = "Vuxenenheten";
    CHECK(verification_code(p.project, course, m, v, fixed) == code);
  }
  SECTION("two participants of one name in a visit get different codes") {
    auto v2 = v;
    v2.participants = {who, who};
    v2.participants[1].email = "asa.aberg2@eksjo.se";
    const auto a = verification_code(p.project, course, m, v2, v2.participants[0]);
    const auto b = verification_code(p.project, course, m, v2, v2.participants[1]);
    CHECK(a != b);
    CHECK(a == code);
  }
  SECTION("each field changes the code") {
    auto other = who;
    other.name = "Åsa Åbergh";
    CHECK(verification_code(p.project, course, m, v, other) != code);
    auto v2 = v;
    v2.date.day += 1;
    CHECK(verification_code(p.project, course, m, v2, who) != code);
    auto m2 = m;
    m2.code = "0687";
    CHECK(verification_code(p.project, course, m2, v, who) != code);
    auto c2 = course;
    c2.id = "fordjupning";
    CHECK(verification_code(p.project, c2, m, v, who) != code);
    auto pr2 = p.project;
    pr2.title += " 2024";
    CHECK(verification_code(pr2, course, m, v, who) != code);
  }
}

TEST_CASE("verification codes are unique across 553 synthetic registrations", "[verification]") {
  // 13 municipalities × 2 visits with 21–22 participants each; the same
  // names recur across visits and municipalities, as real people do.
  static const char* first[] = {"Anna", "Eva", "Maria", "Karin", "Sara", "Lars", "Johan", "Erik", "Åsa", "Örjan", "Päivi"};
  static const char* last[] = {"Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Åberg",
                               "Öztürk", "Zetterlund", "Smirnova"};
  auto p = test::sample_programme();
  const auto& course = test::sample_course(p);
  std::set<std::string> codes;
  std::size_t registrations = 0;
  for (int mi = 0; mi < 13; ++mi) {
    model::Municipality m = test::sample_municipality(p);
    m.code = "06" + std::to_string(10 + mi * 5);
    for (int vi = 0; vi < 2; ++vi) {
      model::Visit v = test::sample_visit(p);
      v.date = {2023, 2 + vi * 5 + mi % 5, 1 + mi};
      const int n = (mi * 2 + vi) < 7 ? 22 : 21;
      for (int k = 0; k < n && registrations < 553; ++k) {
        const auto name = std::string(first[(k + mi) % 11]) + " " + last[(k * 7 + vi) % 10];
        auto who = test::person(name);
        codes.insert(verification_code(p.project, course, m, v, who));
        ++registrations;
      }
    }
  }
  CHECK(registrations == 553);
  CHECK(codes.size() == registrations);
}

TEST_CASE("verification codes do not collide in a hundred thousand", "[verification]") {
  auto p = test::sample_programme();
  const auto& course = test::sample_course(p);
  const auto& m = test::sample_municipality(p);
  const auto& v = test::sample_visit(p);
  std::set<std::string> codes;
  model::Participant who;
  for (int i = 0; i < 100000; ++i) {
    who.name = "Deltagare " + std::to_string(i);
    codes.insert(verification_code(p.project, course, m, v, who));
  }
  CHECK(codes.size() == 100000);
}

#ifdef COURSEPACK_HAVE_VALIDATE
TEST_CASE("verification codes are unique across every bundled registration", "[verification][bundled]") {
  Diagnostics diags;
  const auto programme = validate::load_programme(COURSEPACK_SOURCE_DIR, diags);
  REQUIRE(programme);
  std::set<std::string> codes;
  std::size_t registrations = 0;
  for (const auto& m : programme->municipalities)
    for (const auto& v : m.visits)
      for (const auto& who : v.participants) {
        codes.insert(verification_code(programme->project, programme->courses.at(v.course), m, v, who));
        ++registrations;
      }
  INFO(registrations << " registrations");
  CHECK(registrations > 500);
  CHECK(codes.size() == registrations);
}
#endif

TEST_CASE("participant slugs are numbered ASCII file names, never paths", "[verification][slug]") {
  CHECK(participant_slug(1, "Åsa Åberg") == "01-asa-aberg");
  CHECK(participant_slug(12, "Małgorzata Wiśniewska") == "12-malgorzata-wisniewska");
  CHECK(participant_slug(100, "Anna") == "100-anna");
  const auto cyrillic = participant_slug(3, "Ольга Смирнова");
  CHECK(cyrillic.rfind("03-ol", 0) == 0);
  CHECK(cyrillic.ends_with("-smirnova"));

  for (const std::string& hostile : {std::string("../../x"), std::string("../../etc/passwd"), std::string("/etc/passwd"),
                                    std::string(".hidden"), std::string("a\\b"), std::string("con"),
                                    std::string("x\ny\tz\x01\x7f"), std::string("\x1b[31mred"), std::string(""),
                                    std::string("   "), std::string("..."), std::string(300, 'a'),
                                    std::string("Å") + std::string(299, 'x'), test::kLongName}) {
    const auto s = participant_slug(7, hostile);
    INFO(s);
    CHECK(safe_slug(s));
    CHECK(s.rfind("07-", 0) == 0);
    CHECK(s.size() <= 3 + 60);
    CHECK(s.find('/') == std::string::npos);
  }
  CHECK(participant_slug(1, "../../x") == "01-x");
  CHECK(participant_slug(1, "") == "01-deltagare");
  CHECK(participant_slug(1, "\x01\x02") == "01-deltagare");
  CHECK(participant_slug(1, std::string("\xff\xfe", 2)) == "01-deltagare");
}

TEST_CASE("the verification address and its QR modules", "[verification][qr]") {
  model::Project pr;
  CHECK(documents::verify_address(pr, "ABCDE-FGHJK").empty());
  pr.verify_url = "https://example.se/intyg/{code}?k={code}";
  CHECK(documents::verify_address(pr, "ABCDE-FGHJK") == "https://example.se/intyg/ABCDE-FGHJK?k=ABCDE-FGHJK");
  const auto qr = documents::qr_matrix("https://kommunalutveckling.se/intyg/ABCDE-FGHJK");
  REQUIRE(qr);
  CHECK(qr->size >= 21);
  CHECK((qr->size - 17) % 4 == 0);
  // The finder pattern's corner modules are dark.
  CHECK(qr->at(0, 0));
  CHECK(qr->at(0, qr->size - 1));
  CHECK(qr->at(qr->size - 1, 0));
  CHECK_FALSE(documents::qr_matrix(std::string(8000, 'x')));
}
