#include "documents/typeset.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <variant>
#include <vector>

#include "fixtures.h"
#include "layout/paragraph.h"

using namespace cp;

namespace {

std::vector<layout::PieceKind> kinds(const std::vector<layout::Piece>& pieces) {
  std::vector<layout::PieceKind> out;
  for (const auto& p : pieces) out.push_back(p.kind);
  return out;
}

std::string texts(const std::vector<layout::Piece>& pieces) {
  std::string out;
  for (const auto& p : pieces) out += p.text + "|";
  return out;
}

struct SansSet {
  fonts::FontSet fonts;
  layout::TextStyle style;
  SansSet() {
    const auto path = fonts::find_family("Noto Sans", fonts::Style::Regular);
    REQUIRE(path);
    style = documents::make_style(fonts.add(fonts::cached_face(*path)), 10, documents::kText);
  }
};

// The runs a page holds, in order.
std::vector<layout::GlyphRun> runs(const layout::Page& page) {
  std::vector<layout::GlyphRun> out;
  for (const auto& item : page.items)
    if (const auto* r = std::get_if<layout::GlyphRun>(&item)) out.push_back(*r);
  return out;
}

}  // namespace

TEST_CASE("text pieces: words, one space for any run of blanks, line breaks, both no-break spaces, no trailing space") {
  const layout::TextStyle style;
  using K = layout::PieceKind;
  const auto p = documents::text_pieces("Åsa  Berg\t\r\nkl.\u00A09\u202F00 ", style);
  CHECK(kinds(p) == std::vector<K>{K::Text, K::Space, K::Text, K::Space, K::LineBreak, K::Text, K::NbSpace, K::Text,
                                   K::NbSpace, K::Text});
  CHECK(texts(p) == "Åsa| |Berg| ||kl.|\u00A0|9|\u00A0|00|");
  CHECK(documents::text_pieces("", style).empty());
}

TEST_CASE("text area and body area: the margins, then the bands of the running header and footer") {
  model::PageSpec page;  // A4, 20 mm margins
  page.margins = {50, 40, 60, 30};
  const auto a = documents::text_area(page);
  CHECK(a.left == 30);
  CHECK(a.bottom == 60);
  CHECK(a.width == Approx(595.276 - 70));
  CHECK(a.height == Approx(841.890 - 110));
  const auto b = documents::body_area(a);
  CHECK(b.left == a.left);
  CHECK(b.width == a.width);
  CHECK(b.bottom == a.bottom + documents::kFooterBand);
  CHECK(b.top() == Approx(a.top() - documents::kHeaderBand));
}

TEST_CASE("a date with its Swedish weekday") {
  CHECK(documents::swedish_date_with_weekday({2023, 3, 14}) == "tisdag 14 mars 2023");
  CHECK(documents::swedish_date_with_weekday({2024, 2, 29}) == "torsdag 29 februari 2024");
  CHECK(documents::swedish_date_with_weekday({2023, 1, 1}) == "söndag 1 januari 2023");
  CHECK(documents::swedish_date_with_weekday({2000, 12, 31}) == "söndag 31 december 2000");
}

TEST_CASE("a family that is not installed is an environment error naming it") {
  fonts::FontSet set;
  const model::FontFamily missing{"No Such Family Coursepack", {}, {}, {}, {}};
  try {
    documents::resolve_family(missing, set);
    FAIL("no error");
  } catch (const documents::EnvironmentError& e) {
    CHECK(e.message.find("No Such Family Coursepack") != std::string::npos);
  }
}

TEST_CASE("place_text aligns at x and shrinks a text too wide for its room") {
  SansSet s;
  const std::string text = "Kunskapshöjning om sexuell exploatering";
  const double natural = layout::natural_width(text, s.style, s.fonts);
  REQUIRE(natural > 100);

  layout::Page left;
  CHECK(documents::place_text(left, text, s.style, 50, 700, model::Align::Left, s.fonts) == Approx(natural));
  REQUIRE_FALSE(runs(left).empty());
  CHECK(runs(left).front().x == Approx(50));
  CHECK(runs(left).front().y == 700);
  CHECK(runs(left).front().size == 10);

  layout::Page right;
  documents::place_text(right, text, s.style, 500, 700, model::Align::Right, s.fonts);
  const auto r = runs(right);
  CHECK(r.back().x + r.back().width == Approx(500).margin(0.01));

  layout::Page narrow;
  const double w = documents::place_text(narrow, text, s.style, 300, 700, model::Align::Center, s.fonts, 100);
  CHECK(w <= 100.01);
  CHECK(runs(narrow).front().size < 10);
  CHECK(runs(narrow).front().x == Approx(300 - w / 2).margin(0.01));
}

using cp::documents::shrink_to_fit;

TEST_CASE("shrink_to_fit tries sizes largest first down to the floor and stops at the first that fits",
          "[documents][typeset]") {
  std::vector<double> tried;
  std::vector<bool> last;
  const auto size = shrink_to_fit(10, 8, 0.5, [&](double s, bool l) {
    tried.push_back(s);
    last.push_back(l);
    return s <= 9;
  });
  REQUIRE(size);
  CHECK(*size == 9);
  CHECK(tried == std::vector<double>{10, 9.5, 9});
  CHECK(last == std::vector<bool>{false, false, false});

  tried.clear();
  last.clear();
  CHECK_FALSE(shrink_to_fit(10, 8, 0.5, [&](double s, bool l) {
    tried.push_back(s);
    last.push_back(l);
    return false;
  }));
  CHECK(tried == std::vector<double>{10, 9.5, 9, 8.5, 8});  // the floor itself is tried
  CHECK(last.back());
  CHECK(std::count(last.begin(), last.end(), true) == 1);
  // A start below the floor is still tried, once.
  int calls = 0;
  CHECK_FALSE(shrink_to_fit(5, 8, 0.5, [&](double, bool l) {
    ++calls;
    CHECK(l);
    return false;
  }));
  CHECK(calls == 1);
}

TEST_CASE("shrink_to_fit with diagnostics reports only the accepted try's, and accepts the smallest",
          "[documents][typeset]") {
  cp::Diagnostics diags;
  const double size = shrink_to_fit(10, 9, 0.5, diags, [&](double s, cp::Diagnostics& d, bool) {
    d.warning({}, "at " + std::to_string(static_cast<int>(s * 10)));
    return s <= 9.5;
  });
  CHECK(size == 9.5);
  REQUIRE(diags.all().size() == 1);
  CHECK(diags.all().front().message == "at 95");

  cp::Diagnostics none_fit;
  const double smallest = shrink_to_fit(10, 9, 0.5, none_fit, [&](double s, cp::Diagnostics& d, bool last) {
    d.warning({}, last ? "last" : "trial " + std::to_string(s));
    return false;
  });
  CHECK(smallest == 9);
  REQUIRE(none_fit.all().size() == 1);
  CHECK(none_fit.all().front().message == "last");
}

TEST_CASE("running headers, footers and their rule are pagination artifacts") {
  SansSet s;
  layout::Document doc;
  doc.fonts = std::shared_ptr<fonts::FontSet>(&s.fonts, [](fonts::FontSet*) {});
  layout::Page page;
  layout::GlyphRun body;
  body.text = "Brödtext";
  body.node = 1;
  page.items.emplace_back(body);
  doc.pages = {page, page};
  layout::TextArea area{50, 50, 495, 740};
  documents::RunningTexts texts{"Eksjö kommun", "Kursen", "", "Sida {{page}} av {{pages}}"};
  documents::add_running_texts(doc, 1, texts, model::PlaceholderContext{}, area, s.style, documents::kMuted);
  // The first page is left alone; the second gets a header, a rule and a footer.
  REQUIRE(doc.pages[0].items.size() == 1);
  const auto& items = doc.pages[1].items;
  REQUIRE(items.size() > 4);
  CHECK(std::get<layout::GlyphRun>(items[0]).node == 1);
  bool rule = false;
  for (std::size_t i = 1; i < items.size(); ++i) {
    std::visit(
        [&](const auto& item) {
          CHECK(item.node == -1);
          CHECK(item.artifact == layout::Artifact::Pagination);
        },
        items[i]);
    rule = rule || std::holds_alternative<layout::Line>(items[i]);
  }
  CHECK(rule);
}

TEST_CASE("one_line sets a text from x = 0, shrunk to its room, its width the text's") {
  SansSet s;
  const std::string text = "Kunskapshöjning om sexuell exploatering";
  const double natural = layout::natural_width(text, s.style, s.fonts);
  const auto free = documents::one_line(text, s.style, s.fonts);
  CHECK(free.width == Approx(natural));
  REQUIRE_FALSE(free.runs.empty());
  CHECK(free.runs.front().x == Approx(0));
  CHECK(free.runs.front().size == 10);
  const auto narrow = documents::one_line(text, s.style, s.fonts, 100);
  CHECK(narrow.width <= 100.01);
  CHECK(narrow.runs.front().size < 10);
  CHECK(documents::one_line("", s.style, s.fonts).runs.empty());
}

TEST_CASE("a document's metadata: the project's organisation as author, in Swedish") {
  model::Project project;
  project.organisation = "Länsstyrelsen i Jönköpings län";
  const auto meta = documents::document_metadata(project, "Kursintyg – Grundkurs", "SPoM", "SPoM, kursintyg");
  CHECK(meta.title == "Kursintyg – Grundkurs");
  CHECK(meta.author == "Länsstyrelsen i Jönköpings län");
  CHECK(meta.subject == "SPoM");
  CHECK(meta.keywords == "SPoM, kursintyg");
  CHECK(meta.language == "sv-SE");
  CHECK(meta.creator == "coursepack");
}
