#include "verify/page.h"

#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "fixtures.h"

using namespace cp;

namespace {

verify::Issued entry(const std::string& name, const std::string& code) {
  return {code, name, "eksjo", "2023-03-14-grundutbildning", "Eksjö kommun", "Grundutbildning", "2023-03-14",
          verify::Status::Valid, "", "certificates/01-" + code + ".pdf"};
}

}  // namespace

TEST_CASE("PBKDF2-HMAC-SHA256 as RFC 7914 §11 gives it", "[page]") {
  // RFC 7914, section 11: P = "passwd", S = "salt", c = 1 (first 32 bytes).
  CHECK(verify::derive_master("passwd", "salt", 1) ==
        "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc");
}

TEST_CASE("an entry opens with its code's key only", "[page]") {
  const auto salt = verify::programme_salt(test::sample_programme().project);
  CHECK(salt.size() == 16);
  const auto right = verify::derive_master("KQ3MX-W2HDP", salt, 1000);
  const auto wrong = verify::derive_master("KQ3MX-W2HDR", salt, 1000);
  const auto sealed = verify::seal(entry("Åsa Åberg", "KQ3MX-W2HDP"), right);
  CHECK(sealed.id.size() == 32);
  const auto j = nlohmann::json::parse(verify::unseal(sealed, right));
  CHECK(j["name"] == "Åsa Åberg");
  CHECK(j["date"] == "14 mars 2023");
  CHECK(j["status"] == "valid");
  CHECK(verify::unseal(sealed, wrong).empty());
  // Deterministic: the same details give the same bytes.
  CHECK(verify::seal(entry("Åsa Åberg", "KQ3MX-W2HDP"), right).ciphertext == sealed.ciphertext);
  // Padding: a short and a long name give ciphertexts of one length.
  CHECK(verify::seal(entry("Ek", "KQ3MX-W2HDP"), right).ciphertext.size() ==
        verify::seal(entry("Maria-Josefina Alexandra Konstantinopoulou", "KQ3MX-W2HDP"), right).ciphertext.size());
}

TEST_CASE("the page: no name in its files, keys derived once", "[page]") {
  verify::Register reg;
  reg.entries = {entry("Åsa Åberg", "KQ3MX-W2HDP"), entry("Pär Berg", "BCDEF-GHJKM")};
  const auto project = test::sample_programme().project;
  verify::KeyCache cache;
  const auto files = verify::verification_page(reg, project, cache, 2, 1000);
  REQUIRE(files.size() == 3);
  for (const auto& f : files) {
    CHECK(f.bytes.find("Åsa") == std::string::npos);
    CHECK(f.bytes.find("Berg") == std::string::npos);
    CHECK(f.bytes.find("KQ3MX") == std::string::npos);
  }
  CHECK(cache.size() == 3);  // two codes and the parameters they were derived with
  const auto again = verify::verification_page(reg, project, cache, 2, 1000);
  for (std::size_t i = 0; i < files.size(); ++i) CHECK(files[i].bytes == again[i].bytes);
  // Other parameters: the cache starts again.
  cache["KQ3MX-W2HDP"] = std::string(64, '0');
  verify::verification_page(reg, project, cache, 1, 1001);
  CHECK(cache["KQ3MX-W2HDP"] == verify::derive_master("KQ3MX-W2HDP", verify::programme_salt(project), 1001));
  CHECK(verify::parse_key_cache(verify::key_cache_json(cache)) == cache);
}
