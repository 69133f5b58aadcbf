// The content stream writer: the exact operators for text, state and paths,
// and that a line of runs set in one TJ array lands every run where layout
// put it.
#include "render/content_stream.h"

#include <catch2/catch.hpp>

#include <cmath>
#include <cstdlib>
#include <regex>
#include <sstream>
#include <vector>

using cp::render::ContentStream;
using namespace std::string_literals;  // the strings hold NUL bytes
using cp::render::Rgb;

namespace {

const Rgb kBlack{0, 0, 0};

}  // namespace

TEST_CASE("runs on one baseline share a TJ array, the gap as a number", "[render][content]") {
  ContentStream c;
  // 10 pt, first run 500/1000 wide: it ends at 105; the next starts at 108,
  // 3 pt further: -300 thousandths of the size.
  c.show_text("F1", 10, kBlack, 100, 700, u"A", 500);
  c.show_text("F1", 10, kBlack, 108, 700, u"\u00C5", 250);
  c.end_text();
  CHECK(c.bytes() ==
        "BT\n/F1 10 Tf\n0 0 0 rg\n1 0 0 1 100 700 Tm\n[(\0A)-300(\0\xC5)]TJ\nET\n"s);
}

TEST_CASE("a run right where the previous ended needs no number", "[render][content]") {
  ContentStream c;
  c.show_text("F1", 12, kBlack, 50, 600, u"ab", 1000);
  c.show_text("F1", 12, kBlack, 62, 600, u"c", 500);
  c.end_text();
  CHECK(c.bytes() == "BT\n/F1 12 Tf\n0 0 0 rg\n1 0 0 1 50 600 Tm\n[(\0a\0b)(\0c)]TJ\nET\n"s);
}

TEST_CASE("a new baseline, font, size or colour starts a new text matrix", "[render][content]") {
  ContentStream c;
  c.show_text("F1", 10, kBlack, 100, 700, u"a", 500);
  c.show_text("F1", 10, kBlack, 100, 688, u"b", 500);         // next line
  c.show_text("F2", 10, kBlack, 110, 688, u"c", 500);         // bold
  c.show_text("F2", 10, Rgb{0, 0.322, 0.549}, 120, 688, u"d", 500);  // coloured
  c.end_text();
  CHECK(c.bytes() ==
        "BT\n/F1 10 Tf\n0 0 0 rg\n"
        "1 0 0 1 100 700 Tm\n[(\0a)]TJ\n"s
        "1 0 0 1 100 688 Tm\n[(\0b)]TJ\n"s
        "/F2 10 Tf\n1 0 0 1 110 688 Tm\n[(\0c)]TJ\n"s
        "0 0.322 0.549 rg\n1 0 0 1 120 688 Tm\n[(\0d)]TJ\nET\n"s);
}

TEST_CASE("state is written only when it changes, paths end the text object", "[render][content]") {
  ContentStream c;
  c.show_text("F1", 9, kBlack, 10, 20, u"x", 600);
  c.set_fill(kBlack);  // unchanged: nothing
  c.set_stroke(Rgb{1, 0, 0});
  c.set_line_width(0.75);
  c.set_dash(true);
  c.line(0, 0, 100, 0.5);
  c.set_line_width(0.75);
  c.set_dash(true);
  c.rect(1, 2, 3, 4, 'f');
  c.set_dash(false);
  c.rect(1, 2, 3, 4, 'B');
  c.show_text("F1", 9, kBlack, 10, 40, u"y", 600);  // font still set: no Tf
  c.end_text();
  CHECK(c.bytes() ==
        // colour, width and dash are allowed in a text object; the path is not
        "BT\n/F1 9 Tf\n0 0 0 rg\n1 0 0 1 10 20 Tm\n[(\0x)]TJ\n1 0 0 RG\n0.75 w\n[3 2] 0 d\nET\n"s
        "0 0 m\n100 0.5 l\nS\n"
        "1 2 3 4 re\nf\n[] 0 d\n1 2 3 4 re\nB\n"
        "BT\n1 0 0 1 10 40 Tm\n[(\0y)]TJ\nET\n"s);
  c.reset();
  CHECK(c.bytes().empty());
  c.set_fill(kBlack);  // a new page: state unknown again
  CHECK(c.bytes() == "0 0 0 rg\n");
}

TEST_CASE("string delimiters, backslash, CR and LF are escaped", "[render][content]") {
  ContentStream c;
  // U+280D is the bytes '(' CR; U+295C ')' '\\'; U+0A29 LF ')'.
  c.show_text("F1", 10, kBlack, 0, 0, u"\u280D\u295C\u0A29", 1500);
  c.end_text();
  CHECK(c.bytes() == "BT\n/F1 10 Tf\n0 0 0 rg\n1 0 0 1 0 0 Tm\n[(\\(\\r\\)\\\\\\n\\))]TJ\nET\n"s);
}

TEST_CASE("clear_bytes keeps the state", "[render][content]") {
  ContentStream c;
  c.set_fill(kBlack);
  c.clear_bytes();
  c.set_fill(kBlack);
  CHECK(c.bytes().empty());
}

TEST_CASE("along a long justified line, rounding never accumulates", "[render][content]") {
  // 200 words with awkward widths and gaps; read the TJ array back as a
  // viewer does and compare each word's start with where it was put.
  ContentStream c;
  const double size = 10.5;
  std::vector<double> starts;
  std::vector<long long> advances;
  double x = 56.6929;
  for (int i = 0; i < 200; ++i) {
    const long long advance = 1234 + (i * 37) % 900;
    starts.push_back(x);
    advances.push_back(advance);
    c.show_text("F1", size, kBlack, x, 500.25, u"w", advance);
    x += static_cast<double>(advance) * size / 1000 + 2.6133 + (i % 7) * 0.0917;
  }
  c.end_text();
  const std::string& s = c.bytes();
  const auto open = s.find('[');
  const auto close = s.find("]TJ");
  REQUIRE(open != std::string::npos);
  REQUIRE(close != std::string::npos);
  CHECK(s.find("Tm", close) == std::string::npos);  // one text matrix for the line
  const std::string array = s.substr(open + 1, close - open - 1);
  double pen = 56.693;  // the Tm's x as written
  std::size_t word = 0, i = 0;
  double worst = 0;
  while (i < array.size()) {
    if (array[i] == '(') {
      REQUIRE(word < starts.size());
      worst = std::max(worst, std::fabs(pen - starts[word]));
      pen += static_cast<double>(advances[word]) * size / 1000;
      ++word;
      ++i;
      while (array[i] != ')') i += array[i] == '\\' ? 2 : 1;
      ++i;
    } else {
      char* end = nullptr;
      const double n = std::strtod(array.c_str() + i, &end);
      REQUIRE(end != array.c_str() + i);
      pen -= n * size / 1000;
      i = static_cast<std::size_t>(end - array.c_str());
    }
  }
  CHECK(word == starts.size());
  CHECK(worst < 0.001);
}

TEST_CASE("marked content closes the text object around it; the font stays set", "[render][content]") {
  ContentStream c;
  c.begin_tagged("P", 0);
  c.show_text("F1", 10, kBlack, 100, 700, u"A", 500);
  c.end_marked();
  c.begin_tagged("Link", 1);
  c.show_text("F1", 10, kBlack, 108, 700, u"B", 500);
  c.end_marked();
  const double box[4] = {50, 600, 540.5, 720};
  c.begin_artifact("Background", box);
  c.rect(50, 600, 490.5, 120, 'f');
  c.end_marked();
  c.begin_artifact("Pagination");
  c.show_text("F1", 10, kBlack, 290, 30, u"1", 500);
  c.end_marked();
  CHECK(c.bytes() ==
        "/P<</MCID 0>>BDC\nBT\n/F1 10 Tf\n0 0 0 rg\n1 0 0 1 100 700 Tm\n[(\0A)]TJ\nET\nEMC\n"
        "/Link<</MCID 1>>BDC\nBT\n1 0 0 1 108 700 Tm\n[(\0B)]TJ\nET\nEMC\n"
        "/Artifact<</Type/Background/BBox[50 600 540.5 720]>>BDC\n50 600 490.5 120 re\nf\nEMC\n"
        "/Artifact<</Type/Pagination>>BDC\nBT\n1 0 0 1 290 30 Tm\n[(\0001)]TJ\nET\nEMC\n"s);
}
