#include "documents/brief.h"

#include <catch2/catch.hpp>

#include "documents/attendance.h"
#include "fixtures.h"
#include "pdf_tools.h"

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
