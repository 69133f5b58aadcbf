#include "documents/attendance.h"

#include <catch2/catch.hpp>
#include <algorithm>
#include <regex>
#include <set>

#include "fixtures.h"
#include "layout/hyphenate.h"
#include "pdf_tools.h"
#include "structure_check.h"

using namespace cp;

namespace {

documents::AttendanceInput input_for(const model::Programme& p) {
  documents::AttendanceInput in;
  in.programme = &p;
  in.municipality = &p.municipalities.front();
  in.visit = &p.municipalities.front().visits.front();
  in.course = &p.courses.at("grundutbildning");
  return in;
}

const std::vector<std::string> kNames = {
    "Zara Zetterlund", "Åke Åberg", "Anna Andersson", "Örjan Ödman", "Ärla Ähr", "Eva-Lena Hägg",
    "Małgorzata Wiśniewska", "Hülya Öztürk", "Yonas Ghebremedhin", "Lejla Delić", "Päivi Väisänen",
    "Birgitta Bengtsson", "Camilla Ekdahl", "Kristoffer Hjalmarsson", "Satu Nieminen", "Pär Pettersson",
    "Rania Saleh", "Johanna Blomqvist", "Ebba Thörn", "Amanda Lundberg", "Linda Fredriksson", "Pia Berg",
    "Ольга Смирнова", "Γεώργιος Παπαδόπουλος", "Vincent van der Berg", "Lars Åkesson", "Tove Lövgren"};

model::Programme programme_with(const std::vector<std::string>& names, int seats) {
  auto p = test::sample_programme();
  auto& v = test::sample_visit(p);
  for (const auto& n : names) v.participants.push_back(test::person(n, "Samordnare våld i nära relationer",
                                                                    "Integration och arbetsmarknad"));
  v.seats = seats;
  return p;
}

}  // namespace

TEST_CASE("the sheet order is Swedish alphabetical by the full name", "[attendance]") {
  auto p = programme_with(kNames, 0);
  const auto order = documents::sheet_order(test::sample_visit(p));
  REQUIRE(order.size() == kNames.size());
  std::vector<std::string> names;
  for (const auto* who : order) names.push_back(who->name);
  auto at = [&](const std::string& n) { return std::find(names.begin(), names.end(), n) - names.begin(); };
  CHECK(names.front() == "Amanda Lundberg");
  CHECK(at("Zara Zetterlund") < at("Åke Åberg"));
  CHECK(at("Åke Åberg") < at("Ärla Ähr"));
  CHECK(at("Ärla Ähr") < at("Örjan Ödman"));
  CHECK(at("Vincent van der Berg") < at("Zara Zetterlund"));
  CHECK(at("Lars Åkesson") < at("Lejla Delić"));
  // Latin before Greek before Cyrillic (ICU's script order).
  CHECK(at("Örjan Ödman") < at("Γεώργιος Παπαδόπουλος"));
  CHECK(at("Γεώργιος Παπαδόπουλος") < at("Ольга Смирнова"));
}

TEST_CASE("sheet rows: registered, blank up to the seats, then walk-ins", "[attendance]") {
  auto p = programme_with({"Anna Andersson", "Bo Berg"}, 10);
  auto rows = documents::sheet_rows(test::sample_visit(p), p.layouts.attendance);
  CHECK(rows.registered == 2);
  CHECK(rows.seats == 10);
  CHECK(rows.total == 15);
  test::sample_visit(p).seats = 0;  // not given: the registered count
  rows = documents::sheet_rows(test::sample_visit(p), p.layouts.attendance);
  CHECK(rows.seats == 2);
  CHECK(rows.total == 7);
}

TEST_CASE("every registered name appears once on the sheet, in Swedish order", "[attendance]") {
  const auto p = programme_with(kNames, 32);
  Diagnostics diags;
  const auto doc = documents::compose_attendance(input_for(p), diags);
  CHECK(diags.warning_count() == 0);
  // 27 registered + 5 blank + 5 walk-in rows of 10 mm: two pages.
  REQUIRE(doc.pages.size() == 2);
  const auto pdf = test::write_pdf(doc, "attendance.pdf");
  const std::string text = test::pdf_text(pdf);
  // The name column holds each name once, in the sheet's order, and no
  // name appears anywhere else.
  const std::string column = test::table_column(test::pdf_words(pdf), "Namn", "Befattning", test::mm(5));
  std::string expected;
  for (const auto* who : documents::sheet_order(p.municipalities.front().visits.front())) {
    if (!expected.empty()) expected += ' ';
    expected += who->name;
  }
  // ... then the header of the rows for those not registered.
  CHECK(column == expected + " Namn");
  for (const auto& n : kNames) {
    INFO(n);
    CHECK(test::count(column, n) == 1);
    CHECK(test::count(test::squeeze(text), n) <= 1);
  }
  CHECK(column.find("Zara Zetterlund") < column.find("Åke Åberg"));
  CHECK(column.find("Anna Andersson") < column.find("Zara Zetterlund"));

  SECTION("the header row repeats and pages are numbered") {
    // Every page has a header; the blank rows' own comes once, after the names.
    CHECK(test::count(text, "Befattning och enhet") == 1);
    for (int page = 1; page <= 2; ++page) {
      const std::string t = test::pdf_text(pdf, page);
      INFO(t);
      CHECK(test::count(t, "Underskrift") >= 1);
      CHECK(test::count(t, "Befattning") == test::count(t, "Underskrift"));
      CHECK(t.find("sida " + std::to_string(page) + " av 2") != std::string::npos);
    }
  }
  SECTION("rows are numbered 1 to seats + walk-ins") {
    const auto words = test::pdf_words(pdf);
    std::set<int> numbers;
    for (const auto& w : words)
      if (std::regex_match(w.text, std::regex("[0-9]{1,2}")) && w.x_min < 80) numbers.insert(std::stoi(w.text));
    for (int n = 1; n <= 37; ++n) CHECK(numbers.count(n) == 1);
    CHECK(numbers.count(38) == 0);
  }
  SECTION("the heading block and the personal-data notice") {
    const std::string flat = test::squeeze(text);
    CHECK(flat.find("Närvarolista") != std::string::npos);
    CHECK(flat.find("tisdag 14 mars 2023") != std::string::npos);
    CHECK(flat.find("09:00–12:30") != std::string::npos);
    CHECK(flat.find("Stadshuset, sammanträdesrum Ljuset, Stadshusgatan 1, 575 80 Eksjö") != std::string::npos);
    CHECK(flat.find("Annika Hedlund, Lina Thorsén") != std::string::npos);
    CHECK(flat.find("Region Jönköpings län är personuppgiftsansvarig") != std::string::npos);
    CHECK(flat.find("Integritetsskyddsmyndigheten (IMY).") != std::string::npos);
  }
  SECTION("no participant names in the metadata") {
    const auto info = test::pdf_info(pdf);
    for (const auto& n : kNames) CHECK(info.find(n) == std::string::npos);
  }
}

TEST_CASE("long names are wrapped or shrunk inside their cell, never clipped", "[attendance][bbox]") {
  const auto p = programme_with({test::kLongName, "Anna Andersson", std::string(60, 'M')}, 0);
  Diagnostics diags;
  const auto doc = documents::compose_attendance(input_for(p), diags);
  const auto pdf = test::write_pdf(doc, "attendance-long.pdf");
  CHECK(test::squeeze(test::pdf_text(pdf)).find(test::kLongName) != std::string::npos);
  // Every glyph run stays inside the text area.
  const auto& spec = p.layouts.attendance.page;
  for (const auto& page : doc.pages)
    for (const auto& item : page.items)
      if (const auto* r = std::get_if<layout::GlyphRun>(&item)) {
        INFO(r->text);
        CHECK(r->x >= spec.margins.left - 0.01);
        CHECK(r->x + r->width <= spec.width - spec.margins.right + 0.01);
      }
  // The name column: the words of the long name lie left of the
  // "Befattning" column's start.
  double title_left = 0;
  const auto words = test::pdf_words(pdf);
  for (const auto& w : words)
    if (w.text == "Befattning") title_left = w.x_min;
  REQUIRE(title_left > 0);
  for (const auto& w : words)
    if (w.text == "Konstantinopoulou-Andersson" || w.text == "Ekö" || w.text == std::string(60, 'M')) {
      INFO(w.text);
      CHECK(w.x_max < title_left - 2);
    }
}

TEST_CASE("long titles and units are hyphenated rather than set smaller", "[attendance]") {
  auto p = test::sample_programme();
  auto& v = test::sample_visit(p);
  v.participants.push_back(test::person("Anna Andersson", "Familjerättssekreterare", "Mottagningsenheten"));
  v.participants.push_back(test::person("Bo Berg", "Biståndshandläggare", "Integration och arbetsmarknad"));
  const auto hyphenator = layout::Hyphenator::swedish();
  REQUIRE(hyphenator);
  auto in = input_for(p);
  in.hyphenator = hyphenator.get();
  Diagnostics diags;
  const auto doc = documents::compose_attendance(in, diags);
  // Every run of the table body is at the sheet's sizes: 10 pt names,
  // 9 pt titles and units (the numbers are 9 pt too).
  for (const auto& item : doc.pages[0].items)
    if (const auto* r = std::get_if<layout::GlyphRun>(&item)) {
      for (const char* word : {"Familjerätts", "sekreterare", "Mottagningsenheten", "Biståndshandläggare"})
        if (r->text.find(word) != std::string::npos) {
          INFO(r->text);
          CHECK(r->size == Approx(9));
        }
    }
  const auto text = test::squeeze(test::pdf_text(test::write_pdf(doc, "attendance-hyphenated.pdf")));
  CHECK(test::count(text, "Familjerättssekreterare") == 1);
  CHECK(test::count(text, "Biståndshandläggare") == 1);
  // Names are never hyphenated, even when a hyphenator is given.
  CHECK(test::count(text, "Anna Andersson") == 1);
}

TEST_CASE("the rows of those not registered ask for their e-mail address", "[attendance]") {
  auto p = programme_with({"Anna Andersson", "Bo Berg"}, 3);
  Diagnostics diags;
  const auto doc = documents::compose_attendance(input_for(p), diags);
  REQUIRE(doc.pages.size() == 1);
  const auto pdf = test::write_pdf(doc, "attendance-email.pdf");
  const std::string text = test::squeeze(test::pdf_text(pdf));
  CHECK(text.find("Står du inte på listan: skriv namn, befattning och enhet och e-post (intyget skickas med "
                  "e-post) på en tom rad och skriv under.") != std::string::npos);
  // The registered rows' header, then the blank rows' own, with an e-mail column.
  CHECK(test::count(text, "Underskrift") == 2);
  CHECK(test::count(text, "Befattning och enhet") == 1);
  CHECK(test::count(text, "E-post") == 1);
  const auto words = test::pdf_words(pdf);
  double registered_header = 0, blank_header = 0, bo = 0;
  for (const auto& w : words) {
    if (w.text == "Enhet") registered_header = w.y_min;
    if (w.text == "E-post") blank_header = w.y_min;
    if (w.text == "Berg") bo = w.y_min;
  }
  CHECK(registered_header < bo);
  CHECK(bo < blank_header);  // after the last registered name
  // Three seats and five walk-in rows: rows 1 to 8, rows 3 to 8 blank.
  CHECK(documents::sheet_rows(test::sample_visit(p), p.layouts.attendance).total == 8);
}

TEST_CASE("with nobody registered yet the sheet has only the blank rows' header", "[attendance]") {
  auto p = programme_with({}, 4);
  Diagnostics diags;
  const auto doc = documents::compose_attendance(input_for(p), diags);
  const std::string text = test::squeeze(test::pdf_text(test::write_pdf(doc, "attendance-empty.pdf")));
  CHECK(test::count(text, "Underskrift") == 1);
  CHECK(test::count(text, "E-post") == 1);
}

TEST_CASE("the sheet's structure: heading, details, a real table per header, running texts as artifacts",
          "[attendance][structure]") {
  // 27 registered and more seats: the table runs over pages.
  const auto p = programme_with(kNames, 30);
  const auto in = input_for(p);
  Diagnostics diags;
  const auto doc = documents::compose_attendance(in, diags);
  REQUIRE(doc.pages.size() >= 2);
  const auto problems = test::structure_problems(doc);
  for (const auto& pr : problems) INFO(pr);
  CHECK(problems.empty());

  const auto top = test::kid_nodes(doc, 0);
  const std::string roles = test::kid_roles(doc, 0);
  INFO(roles);
  // Närvarolista, the course, Kommun, Datum, Tid, Plats, Utbildare, the
  // instruction; a table for the registered, one for walk-ins; the notice.
  CHECK(roles.starts_with("H1 P P P P P"));
  CHECK(roles.ends_with("P Table Table H2 P"));
  CHECK(test::node_text(doc, top[0]) == "Närvarolista");
  CHECK(test::node_text(doc, top[2]).starts_with("Kommun "));

  const auto tables = test::nodes_with_role(doc, "Table");
  REQUIRE(tables.size() == 2);
  const auto rows = documents::sheet_rows(*in.visit, p.layouts.attendance);
  auto check_table = [&](int table, const std::vector<std::string>& heads, std::size_t body_rows) {
    CHECK(test::kid_roles(doc, table) == "THead TBody");
    const auto parts = test::kid_nodes(doc, table);
    const auto head_rows = test::kid_nodes(doc, parts[0]);
    REQUIRE(head_rows.size() == 1);
    const auto ths = test::kid_nodes(doc, head_rows[0]);
    REQUIRE(ths.size() == heads.size());
    for (std::size_t c = 0; c < ths.size(); ++c) {
      CHECK(doc.structure[static_cast<std::size_t>(ths[c])].role == "TH");
      CHECK(doc.structure[static_cast<std::size_t>(ths[c])].scope == "Column");
      CHECK(test::node_text(doc, ths[c]) == heads[c]);
    }
    const auto body = test::kid_nodes(doc, parts[1]);
    CHECK(body.size() == body_rows);
    for (int tr : body) CHECK(test::kid_roles(doc, tr) == "TD TD TD TD TD");
    return body;
  };
  const auto registered = check_table(tables[0], {"Nr", "Namn", "Befattning", "Enhet", "Underskrift"},
                                      static_cast<std::size_t>(rows.registered));
  const auto walk_ins = check_table(tables[1], {"Nr", "Namn", "Befattning och enhet", "E-post", "Underskrift"},
                                    static_cast<std::size_t>(rows.total - rows.registered));
  // Participant rows in sheet order; the cells read across.
  const auto order = documents::sheet_order(*in.visit);
  for (std::size_t r = 0; r < order.size(); ++r) {
    const auto cells = test::kid_nodes(doc, registered[r]);
    CHECK(test::node_text(doc, cells[0]) == std::to_string(r + 1));
    CHECK(test::squeeze(test::node_text(doc, cells[1])) == order[r]->name);
    CHECK(test::node_text(doc, cells[4]).empty());
  }
  // Empty rows are rows: their number and four empty cells.
  const auto blank = test::kid_nodes(doc, walk_ins.back());
  CHECK(test::node_text(doc, blank[0]) == std::to_string(rows.total));
  for (std::size_t c = 1; c < 5; ++c) CHECK(test::node_text(doc, blank[c]).empty());

  // The header row repeated on the next page is a Pagination artifact there;
  // headers, footers and page numbers are Pagination artifacts.
  int repeated = 0, pagination_numbers = 0;
  for (std::size_t pg = 0; pg < doc.pages.size(); ++pg)
    for (const auto& item : doc.pages[pg].items) {
      const auto* g = std::get_if<layout::GlyphRun>(&item);
      if (!g) continue;
      if (g->node < 0) {
        CHECK(g->artifact == layout::Artifact::Pagination);
        if (g->text == "Underskrift") ++repeated;
        if (g->text.find("av") != std::string::npos || g->text == std::to_string(pg + 1)) ++pagination_numbers;
      }
    }
  CHECK(repeated >= 1);
  CHECK(pagination_numbers >= 1);
  // The header's text is read once per table.
  const std::string text = test::reading_text(doc);
  CHECK(test::count(text, "Underskrift") == 2);
  CHECK(test::count(text, "sida") == 0);
  CHECK(text.find("Personuppgifter") > text.rfind(std::to_string(rows.total)));
}

TEST_CASE("with nobody registered the sheet's one table holds the blank rows", "[attendance][structure]") {
  const auto p = programme_with({}, 6);
  Diagnostics diags;
  const auto doc = documents::compose_attendance(input_for(p), diags);
  CHECK(test::structure_problems(doc).empty());
  const auto tables = test::nodes_with_role(doc, "Table");
  REQUIRE(tables.size() == 1);
  const auto body = test::kid_nodes(doc, test::kid_nodes(doc, tables[0])[1]);
  CHECK(body.size() == 11);
}

TEST_CASE("an empty cell keeps its column, in the frame and in the tagged PDF", "[attendance][structure]") {
  auto p = programme_with({}, 2);
  test::sample_visit(p).participants = {test::person("Anna Andersson", "", "Barn och familj")};
  Diagnostics diags;
  const auto doc = documents::compose_attendance(input_for(p), diags);
  const auto tables = test::nodes_with_role(doc, "Table");
  REQUIRE_FALSE(tables.empty());
  const auto row = test::kid_nodes(doc, test::kid_nodes(doc, tables[0])[1]).at(0);
  const auto cells = test::kid_nodes(doc, row);
  REQUIRE(cells.size() == 5);
  CHECK(test::node_text(doc, cells[1]) == "Anna Andersson");
  CHECK(test::node_text(doc, cells[2]).empty());
  CHECK(test::node_text(doc, cells[3]) == "Barn och familj");

  const auto pdf = test::write_pdf(doc, "attendance-empty-title.pdf");
  const auto tree = test::run("pdfinfo -struct-text " + test::quote(pdf.string()));
  REQUIRE(tree.status == 0);
  INFO(tree.out);
  // The row as a reader walks it: number, name, (no title), unit, signature.
  CHECK(tree.out.find("      TR\n"
                      "        TD\n"
                      "          \"1\"\n"
                      "        TD\n"
                      "          \"Anna Andersson\"\n"
                      "        TD\n"
                      "        TD\n"
                      "          \"Barn och familj\"\n"
                      "        TD\n") != std::string::npos);
}
