#include "documents/brief.h"

#include <catch2/catch.hpp>

#include "documents/attendance.h"
#include "fixtures.h"
#include "pdf_tools.h"
#include "structure_check.h"

using namespace cp;

namespace {

documents::BriefInput input_for(const model::Programme& p, int attendance_pages = 2) {
  documents::BriefInput in;
  in.programme = &p;
  in.municipality = &p.municipalities.front();
  in.visit = &p.municipalities.front().visits.front();
  in.course = &p.courses.at("grundutbildning");
  in.attendance_pages = attendance_pages;
  return in;
}

model::Programme programme_with(int registered, model::VisitStatus status = model::VisitStatus::Planned,
                                int absent = 0) {
  auto p = test::sample_programme();
  auto& v = test::sample_visit(p);
  v.status = status;
  for (int i = 0; i < registered; ++i)
    v.participants.push_back(test::person("Deltagare " + std::to_string(i + 1), "Socialsekreterare", "Barn och familj",
                                          status == model::VisitStatus::Held ? std::optional<bool>(i >= absent)
                                                                             : std::nullopt));
  return p;
}

}  // namespace

TEST_CASE("the print list", "[brief]") {
  SECTION("handouts are the registered plus the spare share, rounded up") {
    auto p = programme_with(20);
    auto pl = documents::print_list(input_for(p));
    CHECK(pl.registered == 20);
    CHECK(pl.handouts == 22);  // not 23: 20 × 1.1 is 22.000000000000004 in binary
    CHECK(pl.evaluation_forms == 22);
    CHECK(pl.certificates == 20);
    CHECK(pl.attendance_pages == 2);
    p = programme_with(7);
    CHECK(documents::print_list(input_for(p)).handouts == 8);
    p = programme_with(10);
    CHECK(documents::print_list(input_for(p)).handouts == 11);
    p = programme_with(0);
    CHECK(documents::print_list(input_for(p)).handouts == 0);
    p = programme_with(23);
    p.layouts.brief.spare_share = 0;
    CHECK(documents::print_list(input_for(p)).handouts == 23);
  }
  SECTION("a held visit certifies those who attended") {
    auto p = programme_with(12, model::VisitStatus::Held, 3);
    const auto pl = documents::print_list(input_for(p));
    CHECK(pl.registered == 12);
    CHECK(pl.attended == 9);
    CHECK(pl.certificates == 9);
  }
}

TEST_CASE("the brief is one page with contacts, counts and the checklist", "[brief]") {
  auto p = programme_with(20);
  Diagnostics diags;
  const auto doc = documents::compose_brief(input_for(p), diags);
  REQUIRE(doc.pages.size() == 1);
  CHECK(diags.warning_count() == 0);
  // One tick box per checklist item.
  std::size_t boxes = 0;
  for (const auto& item : doc.pages[0].items)
    if (const auto* r = std::get_if<layout::Rect>(&item); r && r->stroke) ++boxes;
  CHECK(boxes == p.layouts.brief.checklist.size());

  const auto pdf = test::write_pdf(doc, "brief.pdf");
  const std::string text = test::squeeze(test::pdf_text(pdf));
  INFO(text);
  for (const char* s : {"Utbildarens brief", "tisdag 14 mars 2023", "09:00–12:30", "Stadshuset, sammanträdesrum Ljuset",
                        "Stadshusgatan 1, 575 80 Eksjö", "Annika Hedlund, Lina Thorsén", "Åsa Engström",
                        "070-174 06 98", "asa.engstrom@eksjo.se", "Marcus Dahlberg", "marcus.dahlberg@eksjo.se",
                        "Anmälda", "22 ex.", "2 sidor", "20 st.", "annika.hedlund@rjl.se"})
    CHECK(text.find(s) != std::string::npos);
  for (const auto& item : p.layouts.brief.checklist) CHECK(text.find(item) != std::string::npos);
}

TEST_CASE("a held visit's brief gives the attended count", "[brief]") {
  auto p = programme_with(12, model::VisitStatus::Held, 3);
  Diagnostics diags;
  const auto doc = documents::compose_brief(input_for(p, 1), diags);
  const std::string text = test::squeeze(test::pdf_text(test::write_pdf(doc, "brief-held.pdf")));
  INFO(text);
  CHECK(text.find("9 av 12") != std::string::npos);
  CHECK(text.find("9 st.") != std::string::npos);
  CHECK(text.find("1 sida") != std::string::npos);
}

TEST_CASE("a brief with many contacts and a long checklist still fits one page", "[brief]") {
  auto p = programme_with(30);
  auto& m = test::sample_municipality(p);
  for (int i = 0; i < 8; ++i)
    m.contacts.push_back({"Kontakt " + std::to_string(i), "Enhetschef, individ- och familjeomsorgen, vuxenenheten",
                          "kontakt" + std::to_string(i) + "@eksjo.se", "070-000 00 0" + std::to_string(i)});
  for (int i = 0; i < 6; ++i) p.layouts.brief.checklist.push_back("Ytterligare en punkt att komma ihåg före besöket");
  Diagnostics diags;
  const auto doc = documents::compose_brief(input_for(p), diags);
  CHECK(doc.pages.size() == 1);
  const std::string text = test::squeeze(test::pdf_text(test::write_pdf(doc, "brief-crowded.pdf")));
  CHECK(text.find("kontakt7@eksjo.se") != std::string::npos);
}

TEST_CASE("the brief's structure: headings, paragraphs, contacts with links, the print table, the checklist",
          "[brief][structure]") {
  auto p = programme_with(20);
  Diagnostics diags;
  const auto doc = documents::compose_brief(input_for(p), diags);
  const auto problems = test::structure_problems(doc);
  for (const auto& pr : problems) INFO(pr);
  CHECK(problems.empty());

  const auto top = test::kid_nodes(doc, 0);
  std::vector<std::string> headings;
  for (int n : top) {
    const auto& role = doc.structure[static_cast<std::size_t>(n)].role;
    if (role == "H1" || role == "H2") headings.push_back(role + " " + test::node_text(doc, n));
  }
  CHECK(headings == std::vector<std::string>{"H1 Utbildarens brief", "H2 När och var",
                                             "H2 Kontaktpersoner i kommunen", "H2 Deltagare", "H2 Att skriva ut",
                                             "H2 Checklista"});
  CHECK(test::kid_roles(doc, 0) == "H1 P H2 P P P P P H2 P P H2 P P H2 Table H2 L P");
  CHECK(test::node_text(doc, top[3]) == "Datum tisdag 14 mars 2023");

  // Contacts left to right, each with its e-mail address a Link.
  CHECK(test::node_text(doc, top[9]).starts_with("Åsa Engström"));
  CHECK(test::node_text(doc, top[10]).starts_with("Marcus Dahlberg"));
  CHECK(test::kid_roles(doc, top[9]) == "Link");
  CHECK(test::node_text(doc, test::kid_nodes(doc, top[9])[0]) == "asa.engstrom@eksjo.se");

  // The print list: each row its item (a row header) and how many.
  const auto rows = test::kid_nodes(doc, top[15]);
  REQUIRE(rows.size() == 4);
  for (int tr : rows) {
    CHECK(test::kid_roles(doc, tr) == "TH TD");
    CHECK(doc.structure[static_cast<std::size_t>(test::kid_nodes(doc, tr)[0])].scope == "Row");
  }
  CHECK(test::node_text(doc, test::kid_nodes(doc, rows[0])[1]).starts_with("22"));
  CHECK(test::node_text(doc, test::kid_nodes(doc, rows[0])[1]).ends_with("ex."));

  // The checklist: one item each, the square to tick an artifact.
  const auto items = test::kid_nodes(doc, top[17]);
  REQUIRE(items.size() == p.layouts.brief.checklist.size());
  for (std::size_t i = 0; i < items.size(); ++i) {
    CHECK(test::kid_roles(doc, items[i]) == "LBody");
    CHECK(test::squeeze(test::node_text(doc, items[i])) == p.layouts.brief.checklist[i]);
  }
  for (const auto& item : doc.pages[0].items)
    if (const auto* r = std::get_if<layout::Rect>(&item)) CHECK(r->node == -1);

  // The coordinator's line last, its address a Link; the running texts are
  // Pagination artifacts and not read.
  CHECK(test::node_text(doc, top[18]).starts_with("Frågor om programmet:"));
  CHECK(test::kid_roles(doc, top[18]) == "Link");
  const std::string text = test::reading_text(doc);
  CHECK(text.find("Utbildarens brief – ") == std::string::npos);
  for (const auto& item : doc.pages[0].items)
    if (const auto* g = std::get_if<layout::GlyphRun>(&item); g && g->node < 0)
      CHECK(g->artifact == layout::Artifact::Pagination);
}
