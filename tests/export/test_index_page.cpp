#include "export/index_page.h"

#include <catch2/catch.hpp>

#include "fixtures.h"

using namespace cp;

namespace {

bool has(const std::string& page, const std::string& part) { return page.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("index.html lists a built pack's files by their Swedish labels, with its certificate count") {
  auto p = test::sample_programme();
  html::OutListing out;
  out.packs["eksjo/2023-03-14-grundutbildning"] = {{"handout.pdf", "manifest-extra.txt", "certificates.csv"}, 17, {}};
  const std::string page = html::index_page(p, out, 1790000000);
  CHECK(page.starts_with("<!DOCTYPE html>\n<html lang=\"sv\">"));
  CHECK(has(page, "<td>Eksjö kommun</td><td class=\"d\">2023-03-14</td>"));
  CHECK(has(page, "<a href=\"eksjo/2023-03-14-grundutbildning/handout.pdf\">Handout</a> "
                  "<a href=\"eksjo/2023-03-14-grundutbildning/certificates.csv\">Intygsregister</a> "));
  CHECK_FALSE(has(page, "manifest-extra.txt"));  // a file with no label is not linked
  CHECK(has(page, "<td class=\"n\">17</td>"));
  CHECK_FALSE(has(page, "inte byggd"));
  CHECK_FALSE(has(page, "report.pdf"));
  CHECK_FALSE(has(page, "calendar.ics"));
}

TEST_CASE("index.html says a pack is not built, and links report.pdf and calendar.ics when they exist") {
  auto p = test::sample_programme();
  html::OutListing out;
  out.report = true;
  out.calendar = true;
  const std::string page = html::index_page(p, out, 1790000000);
  CHECK(has(page, "<span class=\"missing\">inte byggd</span>"));
  CHECK(has(page, "<td class=\"n\">–</td>"));
  CHECK(has(page, "<a href=\"report.pdf\">Programöversikt (report.pdf)</a>"));
  CHECK(has(page, "<a href=\"calendar.ics\">Alla besök i kalendern (calendar.ics)</a>"));
}

TEST_CASE("index.html escapes what comes from the inputs") {
  auto p = test::sample_programme();
  p.project.title = "Kurs <&> \"citat\"";
  const std::string page = html::index_page(p, {}, 1790000000);
  CHECK(has(page, "<title>Kurs &lt;&amp;&gt; &quot;citat&quot;</title>"));
}

TEST_CASE("index.html lists kept packs of held visits apart, and a purged pack's recorded count") {
  auto p = test::sample_programme();
  html::OutListing out;
  out.packs["eksjo/2023-03-14-grundutbildning"] = {{"handout.pdf"}, 0, 15};
  out.kept["habo/2022-05-10-grundutbildning"] = {{"handout.pdf", "certificates.pdf"}, 12, {}};
  const std::string page = html::index_page(p, out, 1790000000);
  CHECK(has(page, "<span class=\"purged\">personuppgifterna raderade</span>"));
  CHECK(has(page, "<td class=\"n\">15</td>"));  // the purged pack's registered count
  CHECK(has(page, "<h2>Sparade besök</h2>"));
  CHECK(has(page, "<tr class=\"kept\"><td>habo</td><td class=\"d\">2022-05-10</td><td>grundutbildning</td>"
                  "<td>genomförd, sparad</td><td class=\"n\">12</td>"));
  CHECK(has(page, "<a href=\"habo/2022-05-10-grundutbildning/certificates.pdf\">Intyg</a>"));
}
