#include "layout/hyphenate.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <string>
#include <thread>
#include <vector>

using cp::layout::breaks_after_hyphens;
using cp::layout::Hyphenator;
using cp::layout::WordBreak;

namespace {

const Hyphenator& swedish() {
  static const auto h = Hyphenator::swedish();
  REQUIRE(h);
  return *h;
}

// The word with '-' at its hyphenation points (min_left 2, min_right 3).
std::string hyphenated(std::string_view word, int left = 2, int right = 3) {
  std::string out;
  std::size_t from = 0;
  for (std::size_t p : swedish().points(word, left, right)) {
    out.append(word.substr(from, p - from));
    out += '-';
    from = p;
  }
  out.append(word.substr(from));
  return out;
}

bool breaks_inside_ng(std::string_view word) {
  for (std::size_t p : swedish().points(word, 1, 1))
    if (p > 0 && p < word.size() && word[p - 1] == 'n' && word[p] == 'g') return true;
  return false;
}

}  // namespace

TEST_CASE("Swedish compounds break at their word-part boundary among other points") {
  // What hyph_sv_SE.dic gives, checked by hand: the compound boundary is
  // always among the points (ordledsprincipen), the rest follow
  // enkonsonantprincipen; min_right 3 drops "lis-ta".
  CHECK(hyphenated("människohandel") == "män-ni-sko-han-del");
  CHECK(hyphenated("socialtjänsten") == "so-ci-al-tjäns-ten");
  CHECK(hyphenated("kontaktperson") == "kon-takt-per-son");
  CHECK(hyphenated("länsgemensam") == "läns-ge-men-sam");
  CHECK(hyphenated("regionkoordinator") == "re-gi-on-ko-or-di-na-tor");
  CHECK(hyphenated("närvarolista") == "när-va-ro-lista");
  CHECK(hyphenated("kursintyg") == "kurs-in-tyg");
  CHECK(hyphenated("stödtelefon") == "stöd-te-le-fon");

  // The byte offset of the boundary in UTF-8 (ä is two bytes).
  const auto points = swedish().points("människohandel");
  CHECK(std::find(points.begin(), points.end(), std::string("människo").size()) != points.end());
  CHECK(points == std::vector<std::size_t>{4, 6, 9, 12});
}

TEST_CASE("no misleading breaks the style guides warn about") {
  CHECK(hyphenated("hundratal") == "hun-dra-tal");        // not hund-ratal
  CHECK(hyphenated("medarbetare") == "med-ar-be-tare");   // not medar-betare
  CHECK(hyphenated("myndigheter") == "myn-dig-he-ter");   // not myndighe-ter
  CHECK(hyphenated("strömmingsflundra") == "ström-mings-flundra");  // the fog-s stays
  CHECK(hyphenated("människa") == "män-ni-ska");          // the sje-sound "sk" stays together
  CHECK(hyphenated("maximal") == "max-i-mal");            // x stays with the first part
  CHECK(hyphenated("pension") == "pen-sion");
  for (const char* w : {"utbildning", "kungakrona", "strömmingsflundra", "ungdomar", "anmälningsplikt",
                        "regionkoordinatorn", "hedersrelaterat", "tvångsäktenskap"})
    CHECK_FALSE(breaks_inside_ng(w));
}

TEST_CASE("built-in exceptions fix domain words the patterns get wrong") {
  CHECK(hyphenated("sexköpslagen") == "sex-köps-la-gen");  // patterns: sexköp-slagen
  CHECK(hyphenated("tvångsäktenskap") == "tvångs-äk-ten-skap");  // patterns: tvång-säktenskap
  CHECK(hyphenated("barnäktenskap") == "barn-äk-ten-skap");      // patterns: bar-näktenskap
  CHECK(hyphenated("stödinsatser") == "stöd-in-sat-ser");        // patterns: stö-dinsatser
  CHECK(hyphenated("Sexköpslagen") == "Sex-köps-la-gen");        // matched lower-cased

  auto h = Hyphenator::load("/usr/share/hyphen/hyph_sv_SE.dic");
  REQUIRE(h);
  CHECK(h->points("sexköpslagen") == std::vector<std::size_t>{3, 7, 10});  // sex-köp-sla-gen
  h->add_exception("sexköps-lagen");
  CHECK(h->points("sexköpslagen") == std::vector<std::size_t>{8});
}

TEST_CASE("Latin-1 mapping: capitals, å ä ö and byte offsets") {
  CHECK(hyphenated("Socialtjänsten") == "So-ci-al-tjäns-ten");
  CHECK(hyphenated("Ärendehantering") == hyphenated("ärendehantering").replace(0, 2, "Ä"));
  CHECK(hyphenated("ärendehantering") == "ären-de-han-te-ring");
  // Offsets land on character boundaries of the UTF-8 word.
  const std::string w = "överenskommelsen";
  for (std::size_t p : swedish().points(w)) CHECK((static_cast<unsigned char>(w[p]) & 0xC0) != 0x80);
  CHECK(hyphenated(w) == "över-ens-kom-mel-sen");
}

TEST_CASE("words the dictionary cannot or must not hyphenate get no points") {
  CHECK(swedish().points("smörgåsbordœ").empty());          // œ is not Latin-1
  CHECK(swedish().points("Łódźkommunen").empty());
  CHECK(swedish().points("SOCIALTJÄNSTEN").empty());        // capitals after the first letter
  CHECK(swedish().points("socialTjänsten").empty());
  CHECK(swedish().points("covid19vaccinet").empty());       // digits
  CHECK(swedish().points("www.socialstyrelsen.se").empty());
  CHECK(swedish().points("info@lansstyrelsen.se").empty());
  CHECK(swedish().points("socialtjänsten/polisen").empty());
  CHECK(swedish().points("kommunens:").empty());
  CHECK(swedish().points("sam").empty());                   // shorter than min_left + min_right
  CHECK(swedish().points("kommunens'").empty());            // not only letters
}

TEST_CASE("existing hyphens are break points without an added hyphen") {
  const auto bs = swedish().breaks("SPoM-utbildning");
  REQUIRE(bs.size() == 3);
  CHECK(bs[0].offset == 5);  // SPoM- / utbildning
  CHECK_FALSE(bs[0].hyphen);
  CHECK(bs[1].offset == 7);  // SPoM-ut-bildning
  CHECK(bs[1].hyphen);
  CHECK(bs[2].offset == 11);  // SPoM-utbild-ning
  CHECK(swedish().points("SPoM-utbildning") == std::vector<std::size_t>{7, 11});

  CHECK(breaks_after_hyphens("EU-direktiv").size() == 1);
  CHECK(breaks_after_hyphens("EU-direktiv")[0].offset == 3);
  CHECK(breaks_after_hyphens("e-post").empty());       // one letter before
  CHECK(breaks_after_hyphens("2023-01-15").empty());   // dates and numbers hold
  CHECK(breaks_after_hyphens("https://a-b.se/x-y").empty());
  CHECK(breaks_after_hyphens("Anna-Karin").size() == 1);
}

TEST_CASE("non-standard hyphenation becomes a replacement, never a wrong break") {
  // til1låta/ll=l,3,2: tillåta → till- / låta (FACTS: three identical consonants).
  auto h = Hyphenator::load(COURSEPACK_TEST_DATA "/hyph_nonstandard.dic");
  REQUIRE(h);
  const auto bs = h->breaks("tillåta", 2, 2);
  REQUIRE(bs.size() == 1);
  CHECK(bs[0].offset == 3);
  CHECK(bs[0].replace_begin == 2);
  CHECK(bs[0].replace_end == 4);
  CHECK(bs[0].pre == "ll");
  CHECK(bs[0].post == "l");
  CHECK(bs[0].hyphen);
  CHECK_FALSE(bs[0].standard());
  // points() only reports standard points, so callers that only insert
  // hyphens never produce "til-låta".
  CHECK(h->points("tillåta", 2, 2).empty());
  // The Swedish dictionary has no such patterns; its own answer is tillå-ta.
  CHECK(swedish().points("tillåta", 2, 2) == std::vector<std::size_t>{6});
}

TEST_CASE("a missing dictionary gives no hyphenator") {
  CHECK(Hyphenator::load("/nonexistent/hyph_xx.dic") == nullptr);
}

TEST_CASE("hyphenation is thread-safe") {
  const std::vector<std::string> ws{"människohandel", "socialtjänsten", "kontaktperson", "länsgemensam",
                                    "regionkoordinator", "närvarolista", "sexköpslagen", "överenskommelsen",
                                    "SPoM-utbildning", "hedersrelaterat"};
  std::vector<std::vector<std::size_t>> expected;
  for (const auto& w : ws) expected.push_back(swedish().points(w));
  std::vector<int> mismatches(8, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < 300; ++round)
        for (std::size_t i = 0; i < ws.size(); ++i)
          if (swedish().points(ws[i]) != expected[i]) ++mismatches[static_cast<std::size_t>(t)];
    });
  }
  for (auto& th : threads) th.join();
  for (int m : mismatches) CHECK(m == 0);
}

namespace {

// The word with '|' at the breaks marked as compound joins and '-' at the
// other standard points.
std::string joins_marked(std::string_view word) {
  std::string out;
  std::size_t from = 0;
  for (const WordBreak& b : swedish().breaks(word)) {
    if (!b.hyphen || !b.standard()) continue;
    out.append(word.substr(from, b.offset - from));
    out += b.compound ? '|' : '-';
    from = b.offset;
  }
  out.append(word.substr(from));
  return out;
}

}  // namespace

TEST_CASE("hunspell-sv's dictionary marks the breaks where compound parts join") {
  REQUIRE(swedish().has_compounds());
  // Parts as they stand in compounds: the linking -s (handels), -o for -a
  // (människo from människa).
  CHECK(joins_marked("människohandelsutredningen") == "män-ni-sko|han-dels|ut-red-ningen");
  CHECK(joins_marked("socialtjänsten") == "so-ci-al|tjäns-ten");
  CHECK(joins_marked("kvinnojouren") == "kvin-no|jou-ren");
  CHECK(joins_marked("uppehållstillstånd") == "uppe-hålls|till-stånd");
  // Not compounds, or parts too short to be taken for words: no joins.
  CHECK(joins_marked("kommunen") == "kom-mu-nen");
  CHECK(joins_marked("prostitution") == "pro-sti-tu-tion");
  CHECK(joins_marked("organisationer") == "or-ga-ni-sa-tio-ner");
  // Capitals and positions in characters.
  CHECK(swedish().compound_joins("Människohandel") == std::vector<std::size_t>{8});
  CHECK(swedish().compound_joins("kommunen").empty());
  CHECK(swedish().compound_joins("SPoM-utbildning").empty());  // not one word of letters
}

TEST_CASE("without a compound dictionary no break is marked as a join") {
  const auto plain = Hyphenator::load("/usr/share/hyphen/hyph_sv_SE.dic");
  REQUIRE(plain);
  CHECK_FALSE(plain->has_compounds());
  for (const WordBreak& b : plain->breaks("människohandelsutredningen")) CHECK_FALSE(b.compound);
  CHECK_FALSE(plain->set_compounds("/nonexistent/sv_SE.aff", "/nonexistent/sv_SE.dic"));
  CHECK_FALSE(plain->has_compounds());
}

TEST_CASE("breaks are marked as joins exactly where compound_joins finds them") {
  // A hyphenator of its own: breaks() asks first, before any answer of
  // compound_joins is remembered.
  const auto h = Hyphenator::swedish();
  REQUIRE(h);
  const char* words[] = {"människohandelsutredningen", "länsstyrelsesamordnade",  "utbildningsinsatser",
                         "socialtjänstmedarbetare",    "myndighetssamverkansrutiner", "stödinsatsuppföljning",
                         "kommunförbundsområdet",      "uppmärksamhetsbristen",   "Sexköpslagen",
                         "regionkoordinatorsuppdraget", "socialtjänstlagstiftningen", "kommunen",
                         "prostitution",               "Uppehållstillstånd",      "barnäktenskapet"};
  int joins = 0;
  for (const char* word : words) {
    INFO(word);
    const auto breaks = h->breaks(word);
    const auto at = h->compound_joins(word);
    // The character count before each byte offset.
    const std::string_view w(word);
    std::vector<std::size_t> offsets;
    for (std::size_t i = 0; i < w.size(); ++i)
      if ((static_cast<unsigned char>(w[i]) & 0xC0) != 0x80) offsets.push_back(i);
    for (const WordBreak& b : breaks) {
      if (!b.hyphen || !b.standard()) continue;
      const auto k = static_cast<std::size_t>(std::find(offsets.begin(), offsets.end(), b.offset) - offsets.begin());
      CHECK(b.compound == (std::find(at.begin(), at.end(), k) != at.end()));
      joins += b.compound;
    }
  }
  CHECK(joins >= 10);
}
