// Text as Pandoc's JSON holds it (content/pandoc_text.h): placeholders in
// URLs, percent escapes in paths, one-line excerpts for messages, NFC.
#include "content/pandoc_text.h"

#include <catch2/catch.hpp>

using namespace cp::content;
using namespace cp::content::detail;

TEST_CASE("pandoc text: placeholders in URLs get their braces back") {
  CHECK(restore_placeholders("https://example.se/%7B%7Bkod%7D%7D") == "https://example.se/{{kod}}");
  // Either case of hex digits; inside the braces escapes are decoded.
  CHECK(restore_placeholders("mailto:%7b%7bkontakt%20epost%7d%7d") == "mailto:{{kontakt epost}}");
  // The rest of the URL stays as Pandoc wrote it.
  CHECK(restore_placeholders("https://x.se/a%20b?q=%7B%7Bv%7D%7D&r=%26") == "https://x.se/a%20b?q={{v}}&r=%26");
  // An opening without a closing is left alone.
  CHECK(restore_placeholders("https://x.se/%7B%7Bv") == "https://x.se/%7B%7Bv");
}

TEST_CASE("pandoc text: percent escapes in a path are decoded unless the result is not UTF-8") {
  CHECK(percent_decode("bilder/min%20bild.png") == "bilder/min bild.png");
  CHECK(percent_decode("bilder/%C3%A5ska.png") == "bilder/åska.png");
  CHECK(percent_decode("100%") == "100%");
  CHECK(percent_decode("%zz") == "%zz");
  CHECK(percent_decode("a%FFb") == "a%FFb");
}

TEST_CASE("pandoc text: the first line of a text, cut for a message") {
  CHECK(first_line("  <div class=\"x\">\n  mer\n", 40) == "<div class=\"x\">");
  CHECK(first_line("abcdef", 3) == "abc…");
  CHECK(first_line("åäöå", 2) == "åä…");  // counted in characters, not bytes
  CHECK(first_line("kort", 4) == "kort");
}

TEST_CASE("pandoc text: raw formats and HTML comments") {
  CHECK(format_name("html5") == "HTML");
  CHECK(format_name("tex") == "LaTeX");
  CHECK(format_name("rtf") == "rtf");
  CHECK(is_html_comment("html", "  <!-- anteckning -->\n"));
  CHECK_FALSE(is_html_comment("latex", "<!-- x -->"));
  CHECK_FALSE(is_html_comment("html", "<!-- x --> <b>"));
}

TEST_CASE("pandoc text: adjacent texts are one word, and text is NFC") {
  cp::doc::Inlines v{make_text("sam"), make_text(""), make_text("verkan"), make_kind(cp::doc::InlineKind::Space),
                     make_text("x")};
  merge_texts(v);
  REQUIRE(v.size() == 3);
  CHECK(v[0].text == "samverkan");
  CHECK(v[1].kind == cp::doc::InlineKind::Space);
  CHECK(v[2].text == "x");
  CHECK(nfc("A\xCC\x8A") == "Å");
  CHECK(nfc("plain") == "plain");
}
