#include "core/text.h"

#include <algorithm>
#include <clocale>
#include <cstdio>

#include <cmath>
#include <catch2/catch.hpp>
#include <vector>
#include "support/requirements.h"

using namespace cp::text;

TEST_CASE("utf8 validation rejects malformed sequences") {
  CHECK(is_valid_utf8("Åsa Öberg"));
  CHECK_FALSE(is_valid_utf8("\xC3"));          // truncated
  CHECK_FALSE(is_valid_utf8("\xC0\xAF"));      // overlong
  CHECK_FALSE(is_valid_utf8("\xED\xA0\x80"));  // surrogate
  CHECK_FALSE(is_valid_utf8("\xE5sa"));        // Latin-1 å
}

TEST_CASE("windows-1252 converts Swedish letters and the euro sign") {
  CHECK(windows1252_to_utf8("\xC5\x62\x65rg;\xD6stlund \x80") == "Åberg;Östlund €");
}

TEST_CASE("NFC joins combining accents") {
  CHECK(to_nfc("A\xCC\x8A") == "Å");
  CHECK(to_nfc("Nguye\xCC\x82\xCC\x83n") == "Nguyễn");
}

TEST_CASE("Swedish collation puts å ä ö after z") {
  std::vector<std::string> names{"Östlund", "Zetterlund", "Åberg", "Andersson", "Ärlig", "Öberg"};
  std::sort(names.begin(), names.end(), [](auto& a, auto& b) { return compare_swedish(a, b) < 0; });
  CHECK(names == std::vector<std::string>{"Andersson", "Zetterlund", "Åberg", "Ärlig", "Öberg", "Östlund"});
  CHECK(swedish_sort_key("Zetterlund") < swedish_sort_key("Åberg"));
}

TEST_CASE("ascii slugs are safe for hostile names") {
  CHECK(ascii_slug("Åsa Öberg-Nguyễn") == "asa-oberg-nguyen");
  CHECK(ascii_slug("../../x") == "x");
  CHECK(ascii_slug("\x01\x02") == "x");
  CHECK(ascii_slug("Γιώργος Παπαδόπουλος") == "giorgos-papadopoulos");
  CHECK(ascii_slug(std::string(300, 'a')).size() == 60);
}

TEST_CASE("the direct Latin-1 folding gives what ICU gives") {
  // Every printable Latin-1 character, alone and inside a name.
  for (char32_t c = 0x20; c <= 0xFF; ++c) {
    if (c >= 0x7F && c < 0xA0) continue;
    const std::string ch = encode_utf8(std::u32string(1, c));
    INFO("U+" << std::hex << static_cast<unsigned>(c));
    CHECK(to_ascii(ch) == to_ascii_icu(ch));
    CHECK(to_ascii("Ann" + ch + "-Sofi") == to_ascii_icu("Ann" + ch + "-Sofi"));
  }
  for (const char* name : {"Åsa Öberg", "Jörg Müller-Lüdenscheidt", "Ærøskøbing Þór Ðuro", "François Señor",
                           "Łukasz Wąsik", "Nguyễn Thị Hằng", "Ольга", "a\xcc\x88r"}) {
    INFO(name);
    CHECK(to_ascii(name) == to_ascii_icu(name));
  }
}

TEST_CASE("edit distance counts code points") {
  CHECK(edit_distance("venue", "venu") == 1);
  CHECK(edit_distance("närvarande", "narvarande") == 1);
}

namespace {
std::string decimal(double v, int places) {
  std::string s;
  append_decimal(s, v, places);
  return s;
}
}  // namespace

TEST_CASE("append_decimal rounds half away from zero and drops trailing zeros") {
  CHECK(decimal(0, 3) == "0");
  CHECK(decimal(-0.0004, 3) == "0");  // no "-0"
  CHECK(decimal(1.5, 3) == "1.5");
  CHECK(decimal(1.2345, 3) == "1.235");
  CHECK(decimal(-1.2345, 3) == "-1.235");
  CHECK(decimal(595.2756, 3) == "595.276");
  CHECK(decimal(0.0005, 3) == "0.001");
  CHECK(decimal(0.05, 3) == "0.05");
  CHECK(decimal(14400, 3) == "14400");
  CHECK(decimal(-0.001, 3) == "-0.001");
  CHECK(decimal(0.12, 1) == "0.1");
  CHECK(decimal(2.5, 0) == "3");
  CHECK(decimal(0.000001, 6) == "0.000001");
  CHECK(decimal(1e6 + 0.1, 2) == "1000000.1");
  CHECK(decimal(1e300, 2) == "inf");
  CHECK(decimal(-1e300, 2) == "-inf");
  std::string s = "x=";
  append_decimal(s, 10.25, 2);
  CHECK(s == "x=10.25");  // appends
}

TEST_CASE("append_decimal does not depend on the locale") {
  cp::test::in_decimal_comma_locales([] { CHECK(decimal(10.5, 3) == "10.5"); });
}

TEST_CASE("swedish_number: the one way the tool writes a number in Swedish") {
  using cp::text::swedish_number;
  CHECK(swedish_number(3.5, 2) == "3,5");
  CHECK(swedish_number(2.999, 2) == "3");  // not "3,"
  CHECK(swedish_number(2.994, 2) == "2,99");
  CHECK(swedish_number(4, 2) == "4");
  CHECK(swedish_number(4, 1, true) == "4,0");
  CHECK(swedish_number(1.25, 1, true) == "1,3");  // half away from zero, as people round
  CHECK(swedish_number(3.06, 1, true) == "3,1");
  CHECK(swedish_number(0.04, 1, true) == "0,0");
  CHECK(swedish_number(999) == "999");
  CHECK(swedish_number(1000) == "1\u00A0000");
  CHECK(swedish_number(17750) == "17\u00A0750");
  CHECK(swedish_number(145000) == "145\u00A0000");
  CHECK(swedish_number(1234567.5, 1) == "1\u00A0234\u00A0567,5");
  CHECK(swedish_number(-2.5, 1) == "\u22122,5");
  CHECK(swedish_number(-0.01, 1) == "0");
  CHECK(swedish_number(std::nan(""), 1) == "\u2013");
}

TEST_CASE("html_escape writes the characters HTML gives meaning to as references") {
  CHECK(cp::text::html_escape("Kurs & \"samverkan\" <i>Eksjö</i>") ==
        "Kurs &amp; &quot;samverkan&quot; &lt;i&gt;Eksjö&lt;/i&gt;");
  CHECK(cp::text::html_escape("") == "");
  CHECK(cp::text::html_escape("'åäö'") == "'åäö'");
}
