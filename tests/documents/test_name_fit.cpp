// documents::fit_name, the name rule of certificates and attendance sheets: the rule itself with a
// simple measure (every byte half an em), then with the bundled
// certificate's font (Noto Sans Bold) for names in other scripts, and the
// certificate that uses it.
#include "documents/name_fit.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "core/text.h"
#include "documents/certificate.h"
#include "fixtures.h"
#include "fonts/fonts.h"
#include "layout/paragraph.h"

using namespace cp;
using documents::fit_name;
using documents::kNameFitSafety;
using documents::NameFit;
using documents::NameFitSpec;
using documents::NameFitStatus;

namespace {

// Every byte half a point wide per point of size; a space too.
double half_em(const std::string& s) { return 0.5 * static_cast<double>(s.size()); }

NameFitSpec box(double width, double height = 100, double max_size = 28, double min_size = 16) {
  NameFitSpec spec;
  spec.width = width;
  spec.height = height;
  spec.max_size = max_size;
  spec.min_size = min_size;
  spec.leading = 1.2;
  spec.ascent = 1.0;
  spec.descent = 0.25;
  return spec;
}

// The bundled certificate's name element: 257 × 24 mm, bold, 28 pt down to 16.
struct BundledName {
  fonts::FontSet fonts;
  layout::TextStyle style;
  NameFitSpec spec;
  BundledName() {
    const auto path = fonts::find_family("Noto Sans", fonts::Style::Bold);
    REQUIRE(path);
    style.font = fonts.add(fonts::cached_face(*path));
    style.style = fonts::Style::Bold;
    style.hyphenate = false;
    const auto& face = fonts.face(style.font);
    spec = box(test::mm(257), test::mm(24));
    spec.ascent = face.ascender() / 1000.0;
    spec.descent = -face.descender() / 1000.0;
  }
  double width(const std::string& s, double size) {
    layout::TextStyle at = style;
    at.size = size;
    return layout::natural_width(s, at, fonts);
  }
  // The width the line has when the paragraph setter sets it, as on paper.
  double set_width(const std::string& s, double size) {
    layout::TextStyle at = style;
    at.size = size;
    layout::ParagraphSpec p;
    p.width = [](std::size_t) { return 1e6; };
    p.align = layout::LineAlign::Left;
    p.hyphenate = false;
    std::vector<layout::Piece> pieces;
    std::string word;
    for (char c : s + " ") {
      if (c != ' ') {
        word += c;
        continue;
      }
      if (!word.empty()) {
        if (!pieces.empty()) pieces.push_back({layout::PieceKind::Space, " ", at});
        pieces.push_back({layout::PieceKind::Text, word, at});
      }
      word.clear();
    }
    const auto lines = layout::set_paragraph(pieces, p, fonts, nullptr, {}, nullptr);
    REQUIRE(lines.size() == 1);
    return lines.front().width;
  }
  NameFit fit(const std::string& name) { return fit_name(name, spec, style, fonts); }
};

std::vector<std::string> words(const std::string& s) {
  std::vector<std::string> out;
  std::string w;
  for (char c : s + " ") {
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      if (!w.empty()) out.push_back(w);
      w.clear();
    } else {
      w += c;
    }
  }
  return out;
}

std::string joined(const NameFit& f) {
  std::string out;
  for (const auto& l : f.lines) out += (out.empty() ? "" : " ") + l;
  return out;
}

}  // namespace

TEST_CASE("name fit: a short name stays on one line at the layout's size", "[name_fit]") {
  const auto f = fit_name("Anna Andersson", box(400), half_em);
  CHECK(f.status == NameFitStatus::Fits);
  CHECK(f.placed());
  REQUIRE(f.lines == std::vector<std::string>{"Anna Andersson"});
  CHECK(f.size == Approx(28 * kNameFitSafety));

  BundledName b;
  const auto real = b.fit("Anna Andersson");
  CHECK(real.status == NameFitStatus::Fits);
  CHECK(real.lines == std::vector<std::string>{"Anna Andersson"});
  CHECK(real.size == Approx(28 * kNameFitSafety));
}

TEST_CASE("name fit: spaces are collapsed, never a gap or a lost word", "[name_fit]") {
  const auto f = fit_name("  Anna \t Maria\r\r Andersson ", box(400), half_em);
  CHECK(f.lines == std::vector<std::string>{"Anna Maria Andersson"});
  CHECK(documents::collapse_spaces(" a  b\t\tc ") == "a b c");
  CHECK(documents::collapse_spaces(" \t\r ").empty());
}

TEST_CASE("name fit: a longer name is shrunk on one line, down to min_size", "[name_fit]") {
  const std::string name(40, 'x');  // 20 pt per point of size
  const auto f = fit_name(name, box(400), half_em);
  CHECK(f.status == NameFitStatus::Fits);
  CHECK(f.lines.size() == 1);
  CHECK(f.size == Approx(400.0 / 20 * kNameFitSafety));
  CHECK(f.size < 28);
  CHECK(f.size >= 16 * kNameFitSafety);

  SECTION("the box's height limits the size too") {
    const auto low = fit_name("Anna", box(400, 20), half_em);
    CHECK(low.status == NameFitStatus::Fits);
    CHECK(low.size == Approx(20 / 1.25 * kNameFitSafety));
  }
}

TEST_CASE("name fit: a very long name goes on two balanced lines at min_size", "[name_fit]") {
  // 20 pt per point on one line: at 16 pt it needs 320 pt, the box has 200.
  const std::string name = "Aaaa Bbbbbbbbbb Cccc-Dddd Eeeeeee";
  const auto f = fit_name(name, box(200), half_em);
  CHECK(f.status == NameFitStatus::Fits);
  REQUIRE(f.lines.size() == 2);
  CHECK(f.lines[0] == "Aaaa Bbbbbbbbbb");  // 15 and 17 bytes: the most even split
  CHECK(f.lines[1] == "Cccc-Dddd Eeeeeee");
  CHECK(f.size == Approx(16 * kNameFitSafety));
  CHECK(joined(f) == name);

  SECTION("with the bundled font: the 120-character name, whole, in the box") {
    BundledName b;
    const auto r = b.fit(test::kLongName);
    CHECK(r.status == NameFitStatus::Fits);
    REQUIRE(r.lines.size() == 2);
    CHECK(joined(r) == test::kLongName);
    CHECK(r.size == Approx(16 * kNameFitSafety));
    const double widest = std::max(b.width(r.lines[0], r.size), b.width(r.lines[1], r.size));
    CHECK(widest <= b.spec.width);
    // No other space gives a narrower wider half.
    for (std::size_t i = test::kLongName.find(' '); i != std::string::npos; i = test::kLongName.find(' ', i + 1)) {
      const double other = std::max(b.width(test::kLongName.substr(0, i), r.size),
                                    b.width(test::kLongName.substr(i + 1), r.size));
      CHECK(other >= widest - 1e-9);
    }
  }
}

TEST_CASE("name fit: too long even on two lines at min_size: smaller still, reported", "[name_fit]") {
  SECTION("no space to break at: one line, below min_size, inside the box") {
    const std::string word(90, 'W');
    const auto f = fit_name(word, box(200), half_em);
    CHECK(f.status == NameFitStatus::BelowMinimum);
    CHECK(f.placed());
    REQUIRE(f.lines == std::vector<std::string>{word});
    CHECK(f.size == Approx(200.0 / 45 * kNameFitSafety));
    CHECK(f.size < 16);

    BundledName b;
    const auto r = b.fit(word);
    CHECK(r.status == NameFitStatus::BelowMinimum);
    REQUIRE(r.lines.size() == 1);
    CHECK(b.width(word, r.size) <= b.spec.width);
    CHECK(r.size > 0);
  }
  SECTION("with spaces: two lines when they allow the larger size") {
    const std::string name = std::string(40, 'a') + " " + std::string(40, 'b');
    const auto f = fit_name(name, box(200), half_em);
    CHECK(f.status == NameFitStatus::BelowMinimum);
    REQUIRE(f.lines.size() == 2);
    CHECK(f.size == Approx(200.0 / 20 * kNameFitSafety));
  }
  SECTION("with spaces but a low box: one line when it allows the larger size") {
    const std::string name = std::string(40, 'a') + " " + std::string(40, 'b');
    const auto f = fit_name(name, box(1000, 20), half_em);  // 2 lines: 20/2.45; 1 line: min(1000/40.5, 20/1.25)
    CHECK(f.status == NameFitStatus::Fits);
    CHECK(f.lines.size() == 1);
    const auto tight = fit_name(name, box(600, 19), half_em);  // one line 14.8, two lines 7.8
    CHECK(tight.status == NameFitStatus::BelowMinimum);
    CHECK(tight.lines.size() == 1);
    CHECK(tight.size == Approx(600 / 40.5 * kNameFitSafety));
  }
}

TEST_CASE("name fit: nothing to set, or no room to set it", "[name_fit]") {
  CHECK(fit_name("", box(200), half_em).status == NameFitStatus::Empty);
  const auto blank = fit_name(" \t ", box(200), half_em);
  CHECK(blank.status == NameFitStatus::Empty);
  CHECK(blank.lines.empty());
  CHECK_FALSE(blank.placed());
  for (const auto& spec : {box(0), box(200, 0), box(-5), box(200, 100, 0, 0)}) {
    const auto f = fit_name("Anna", spec, half_em);
    CHECK(f.status == NameFitStatus::NoRoom);
    CHECK(f.lines.empty());
    CHECK(f.size == 0);
  }
}

TEST_CASE("name fit: min_size above the size is taken as the size", "[name_fit]") {
  const auto f = fit_name(std::string(100, 'x'), box(200, 100, 12, 20), half_em);
  CHECK(f.size == Approx(4 * kNameFitSafety));
  CHECK(f.status == NameFitStatus::BelowMinimum);
  const auto ok = fit_name("Anna", box(200, 100, 12, 20), half_em);
  CHECK(ok.status == NameFitStatus::Fits);
  CHECK(ok.size == Approx(12 * kNameFitSafety));
}

TEST_CASE("name fit: lines written in the template are kept and shrunk together", "[name_fit]") {
  const auto f = fit_name("Härmed intygas\natt  Anna", box(100), half_em);
  REQUIRE(f.lines.size() == 2);
  CHECK(f.lines[0] == "Härmed intygas");
  CHECK(f.lines[1] == "att Anna");
  // 15 bytes wide per point on the wider line; not held at min_size.
  CHECK(f.size == Approx(100 / 7.5 * kNameFitSafety));
  CHECK(f.status == NameFitStatus::BelowMinimum);
}

TEST_CASE("name fit: invalid UTF-8 is measured, split and kept as it is", "[name_fit]") {
  BundledName b;
  const std::string name = "Ann\xc3 \xff\xfe" "Andersson \xe2\x82 Borg";
  b.spec.width = 60;
  const auto f = b.fit(name);
  REQUIRE(f.placed());
  CHECK(words(joined(f)) == words(name));
  for (const auto& l : f.lines) CHECK(b.width(l, f.size) <= b.spec.width);
}

TEST_CASE("name fit: accents, Vietnamese and Arabic are measured as they are set", "[name_fit][scripts]") {
  BundledName b;
  b.spec.width = 150;  // narrow: every one of these is shrunk

  SECTION("decomposed accents measure as the composed letters drawn") {
    const std::string nfc = "Nguyễn Thị Phương Thảo";
    const std::string nfd = "Nguye\xcc\x82\xcc\x83n Thi\xcc\xa3 Phu\xcc\x9bo\xcc\x9bng Tha\xcc\x89o";
    REQUIRE(text::to_nfc(nfd) == nfc);
    REQUIRE(nfd != nfc);
    const auto a = b.fit(nfc), d = b.fit(nfd);
    CHECK(a.size == Approx(d.size));
    CHECK(a.lines.size() == d.lines.size());
    CHECK(a.status == d.status);
    for (const auto& l : a.lines) CHECK(b.width(l, a.size) <= b.spec.width);
  }

  SECTION("a combining mark without a composed form adds no width") {
    // q + combining dot above has no precomposed letter; the mark is drawn
    // over the q.
    CHECK(b.width("Iq\xcc\x87", 20) == Approx(b.width("Iq", 20)));
  }

  for (const std::string& name : {std::string("Nguyễn Thị Phương Thảo"), std::string("Trần Đức Lương"),
                                  std::string("محمد عبد الرحمن الحسيني"), std::string("Zoë Jośé Ma\xcc\xa7"),
                                  test::kGreekName, test::kCyrillicName}) {
    DYNAMIC_SECTION("inside the box as set: " << name) {
      const auto f = b.fit(name);
      REQUIRE(f.placed());
      CHECK(words(joined(f)) == words(name));
      for (const auto& l : f.lines) {
        INFO(l);
        const double measured = b.width(l, f.size);
        CHECK(measured > 0);
        CHECK(measured <= b.spec.width);
        // The paragraph setter draws it exactly as wide as measured
        // (Arabic letters come from a fallback font, Noto Sans lacks them).
        CHECK(b.set_width(l, f.size) == Approx(measured).margin(1e-6));
      }
    }
  }
}

TEST_CASE("a certificate name set below min_size is reported as a warning", "[name_fit][certificate]") {
  auto p = test::sample_programme();
  test::sample_visit(p).participants = {test::person(std::string(90, 'W')), test::person("Anna Andersson")};
  const auto& m = p.municipalities.front();
  const documents::CertificateInput in{&p, &m, &m.visits.front(), &test::sample_course(p),
                                       documents::certificate_entries(p, m, m.visits.front(), test::sample_course(p))};
  Diagnostics diags;
  const auto doc = documents::compose_certificates(in, diags);
  CHECK(doc.pages.size() == 2);
  const auto all = diags.all();
  for (const auto& d : all) UNSCOPED_INFO(format_diagnostic(d));
  CHECK(diags.warning_count() == 1);
  REQUIRE(all.size() == 1);
  CHECK(all[0].message.find("min_size 16, not even on two lines; set at 8.4 pt") != std::string::npos);
  CHECK(all[0].message.find("WWW") == std::string::npos);  // no personal data in the log
}

// The sheet's form of the rule: a cell, sizes in half points, as many lines
// as the height allows, the largest size first.
namespace {

NameFitSpec cell(double width, double height, double max_size = 10, double min_size = 7) {
  NameFitSpec spec = box(width, height, max_size, min_size);
  spec.leading = spec.ascent = 1.2;
  spec.descent = 0;
  spec.max_lines = 10;
  spec.shrink_first = false;
  spec.step = 0.5;
  spec.safety = 1;
  return spec;
}

}  // namespace

TEST_CASE("name fit in a cell: more lines at the full size before a smaller size", "[name_fit][attendance]") {
  // "aaaa bbbb cccc": 7 per point on one line, 2 on each of three lines.
  const std::string name = "aaaa bbbb cccc";
  SECTION("three lines fit at 10 pt: three lines, not one line shrunk") {
    const auto f = fit_name(name, cell(20, 36), half_em);
    CHECK(f.status == NameFitStatus::Fits);
    CHECK(f.size == 10);
    CHECK(f.lines == std::vector<std::string>{"aaaa", "bbbb", "cccc"});
  }
  SECTION("the fewest lines at the largest size: two lines balanced") {
    // Two lines, 4.5 per point at the widest: fit 45 at 10 pt; of the two
    // breakings as narrow, the first.
    const auto f = fit_name(name, cell(45, 36), half_em);
    CHECK(f.size == 10);
    CHECK(f.lines == std::vector<std::string>{"aaaa", "bbbb cccc"});
  }
  SECTION("sizes go down in half points") {
    // One line only (height 12.5 allows one line up to 10.4 pt); 7 per
    // point in 66: 9.43 pt, so 9.0 on the steps, not 9.43.
    const auto f = fit_name(name, cell(66, 12.5), half_em);
    CHECK(f.status == NameFitStatus::Fits);
    CHECK(f.size == 9);
    CHECK(f.lines.size() == 1);
  }
  SECTION("not even a word fits at the smallest step: below the minimum") {
    const auto f = fit_name("wwwwwwwwww", cell(20, 36), half_em);  // 5 per point: 4 pt
    CHECK(f.status == NameFitStatus::BelowMinimum);
    CHECK(f.size == Approx(4));
  }
}

TEST_CASE("name fit: the certificate shrinks one line to min_size before breaking", "[name_fit]") {
  // The same name and box as the sheet's two-line case above: the
  // certificate's form keeps one line at the smaller size.
  NameFitSpec spec = cell(45, 36, 10, 6);
  spec.max_lines = 2;
  spec.shrink_first = true;
  spec.step = 0;
  const auto f = fit_name("aaaa bbbb cccc", spec, half_em);
  CHECK(f.status == NameFitStatus::Fits);
  CHECK(f.lines.size() == 1);
  CHECK(f.size == Approx(45.0 / 7));
  CHECK(f.size < 10);
}
