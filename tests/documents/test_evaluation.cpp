#include "documents/evaluation.h"

#include <catch2/catch.hpp>

#include "fixtures.h"
#include "pdf_tools.h"
#include "structure_check.h"

using namespace cp;

namespace {

model::Programme programme_with_evaluation() {
  auto p = test::sample_programme();
  auto& c = p.courses.at("grundutbildning");
  c.evaluation.statements = {
      "Före utbildningen: Jag kände mig trygg i att känna igen tecken på människohandel",
      "Efter utbildningen: Jag känner mig trygg i att känna igen tecken på människohandel",
      "Efter utbildningen: Jag vet vart jag vänder mig vid misstanke om exploatering",
      "Jag känner mig tryggare i att fråga om sex mot ersättning i ett samtal",
      "Innehållet är användbart i mitt arbete",
      "Fallövningarna hjälpte mig att koppla kunskapen till praktiken",
  };
  c.evaluation.questions = {
      "Vad tar du med dig från dagens utbildning?",
      "Vad behöver du mer av för att kunna arbeta med de här frågorna i din kommun?",
      "Vad tycker du att en länsgemensam riktlinje ska innehålla?",
  };
  return p;
}

documents::EvaluationInput input_for(const model::Programme& p) {
  return {&p, &p.courses.at("grundutbildning"), &p.municipalities.front(), &p.municipalities.front().visits.front()};
}

std::size_t boxes(const layout::Page& page) {
  std::size_t n = 0;
  for (const auto& item : page.items)
    if (const auto* r = std::get_if<layout::Rect>(&item); r && r->stroke) ++n;
  return n;
}

}  // namespace

TEST_CASE("the evaluation form is one page with every statement and question", "[evaluation]") {
  const auto p = programme_with_evaluation();
  const auto& course = p.courses.at("grundutbildning");
  Diagnostics diags;
  const auto doc = documents::compose_evaluation(input_for(p), diags);
  REQUIRE(doc.pages.size() == 1);
  CHECK(diags.warning_count() == 0);
  // Five tick boxes per statement and per confidence row (before, after).
  CHECK(boxes(doc.pages[0]) == 5 * (course.evaluation.statements.size() + 2));
  // Everything inside the page's text area.
  const auto& margins = p.layouts.handout.page.margins;
  for (const auto& item : doc.pages[0].items) {
    if (const auto* r = std::get_if<layout::Rect>(&item)) {
      CHECK(r->y >= margins.bottom);
      CHECK(r->x + r->width <= p.layouts.handout.page.width - margins.right + 0.01);
    } else if (const auto* g = std::get_if<layout::GlyphRun>(&item)) {
      CHECK(g->y >= margins.bottom);
      CHECK(g->x + g->width <= p.layouts.handout.page.width - margins.right + 0.01);
    }
  }

  const auto pdf = test::write_pdf(doc, "evaluation.pdf");
  CHECK(test::squeeze(test::pdf_info(pdf)).find("Pages: 1 ") != std::string::npos);
  const std::string text = test::squeeze(test::pdf_text(pdf));
  INFO(text);
  for (const auto& s : course.evaluation.statements) CHECK(text.find(s) != std::string::npos);
  for (const auto& q : course.evaluation.questions) CHECK(text.find(q) != std::string::npos);
  for (const char* s : {"Utvärdering", documents::kConfidenceQuestion, documents::kConfidenceBefore,
                        documents::kConfidenceAfter, "1 = stämmer inte alls, 5 = stämmer helt",
                        "1 = inte alls trygg, 5 = mycket trygg", "tisdag 14 mars 2023", course.title.c_str()})
    CHECK(text.find(s) != std::string::npos);
  CHECK(text.find(p.municipalities.front().name) != std::string::npos);
}

TEST_CASE("a long evaluation still fits on one page", "[evaluation]") {
  auto p = programme_with_evaluation();
  auto& c = p.courses.at("grundutbildning");
  for (int i = 0; i < 8; ++i)
    c.evaluation.statements.push_back("Ett extra påstående nummer " + std::to_string(i + 1) +
                                      " som är ganska långt för att se att raderna bryts och att sidan räcker");
  Diagnostics diags;
  const auto doc = documents::compose_evaluation(input_for(p), diags);
  REQUIRE(doc.pages.size() == 1);
  CHECK(diags.warning_count() == 0);
  CHECK(boxes(doc.pages[0]) == 5 * (c.evaluation.statements.size() + 2));
  const auto pdf = test::write_pdf(doc, "evaluation-long.pdf");
  const std::string text = test::squeeze(test::pdf_text(pdf));
  for (const auto& s : c.evaluation.statements) CHECK(text.find(s) != std::string::npos);
  for (const auto& q : c.evaluation.questions) CHECK(text.find(q) != std::string::npos);
}

TEST_CASE("a course without an evaluation list still gets the confidence question", "[evaluation]") {
  auto p = test::sample_programme();
  p.courses.at("grundutbildning").evaluation = {};
  Diagnostics diags;
  const auto doc = documents::compose_evaluation(input_for(p), diags);
  REQUIRE(doc.pages.size() == 1);
  CHECK(boxes(doc.pages[0]) == 10);
  const std::string text = test::squeeze(test::pdf_text(test::write_pdf(doc, "evaluation-empty.pdf")));
  CHECK(text.find(documents::kConfidenceQuestion) != std::string::npos);
  CHECK(text.find("Påståenden") == std::string::npos);
}

TEST_CASE("the evaluation form's structure: its rating grids are tables with the scale and the statements as headers",
          "[evaluation][structure]") {
  const auto p = programme_with_evaluation();
  const auto& c = p.courses.at("grundutbildning");
  Diagnostics diags;
  const auto doc = documents::compose_evaluation(input_for(p), diags);
  const auto problems = test::structure_problems(doc);
  for (const auto& pr : problems) INFO(pr);
  CHECK(problems.empty());
  CHECK(test::kid_roles(doc, 0) == "H1 P P P H2 Table H2 P Table H2 P P P");

  const auto top = test::kid_nodes(doc, 0);
  CHECK(test::node_text(doc, top[0]) == "Utvärdering");
  auto check_grid = [&](int table, const std::string& legend, const std::vector<std::string>& rows) {
    CHECK(test::kid_roles(doc, table) == "THead TBody");
    const auto parts = test::kid_nodes(doc, table);
    const auto head = test::kid_nodes(doc, test::kid_nodes(doc, parts[0]).at(0));
    REQUIRE(head.size() == 6);
    CHECK(test::node_text(doc, head[0]) == legend);
    for (std::size_t i = 0; i < 6; ++i) {
      CHECK(doc.structure[static_cast<std::size_t>(head[i])].scope == "Column");
      if (i > 0) CHECK(test::node_text(doc, head[i]) == std::to_string(i));
    }
    const auto body = test::kid_nodes(doc, parts[1]);
    REQUIRE(body.size() == rows.size());
    for (std::size_t r = 0; r < rows.size(); ++r) {
      CHECK(test::kid_roles(doc, body[r]) == "TH TD TD TD TD TD");
      const int th = test::kid_nodes(doc, body[r])[0];
      CHECK(doc.structure[static_cast<std::size_t>(th)].scope == "Row");
      CHECK(test::squeeze(test::node_text(doc, th)) == rows[r]);
    }
  };
  std::vector<std::string> statements;
  for (std::size_t i = 0; i < c.evaluation.statements.size(); ++i)
    statements.push_back(std::to_string(i + 1) + ". " + c.evaluation.statements[i]);
  check_grid(top[5], "1 = stämmer inte alls, 5 = stämmer helt", statements);
  check_grid(top[8], "1 = inte alls trygg, 5 = mycket trygg",
             {documents::kConfidenceBefore, documents::kConfidenceAfter});
  CHECK(test::squeeze(test::node_text(doc, top[11])) == "2. " + c.evaluation.questions[1]);

  // The boxes to tick and the lines to write on are Layout artifacts, the
  // footer a Pagination artifact.
  for (const auto& item : doc.pages[0].items) {
    if (const auto* r = std::get_if<layout::Rect>(&item)) CHECK(r->node == -1);
    if (const auto* l = std::get_if<layout::Line>(&item)) CHECK(l->artifact == layout::Artifact::Layout);
    if (const auto* g = std::get_if<layout::GlyphRun>(&item); g && g->node < 0)
      CHECK(g->artifact == layout::Artifact::Pagination);
  }
  CHECK(test::reading_text(doc).find("Tack för dina svar!") == std::string::npos);
}
