// The composers on the bundled programme (materials/ and layouts/ of the
// repository), when the validate stage is built.
#ifdef COURSEPACK_HAVE_VALIDATE

#include <catch2/catch.hpp>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <set>
#include <sstream>

#include "documents/attendance.h"
#include "documents/brief.h"
#include "documents/certificate.h"
#include "documents/verification.h"
#include "layout/hyphenate.h"
#include "pdf_tools.h"
#include "render/pdf.h"
#include "render/pdf_split.h"
#include "validate/validate.h"

using namespace cp;

namespace {

const model::Programme& bundled() {
  static const model::Programme p = [] {
    Diagnostics diags;
    auto loaded = validate::load_programme(COURSEPACK_SOURCE_DIR, diags);
    if (!loaded) {
      std::ostringstream out;
      diags.print(out);
      FAIL("the bundled programme does not load:\n" << out.str());
    }
    return *loaded;
  }();
  return p;
}

}  // namespace

TEST_CASE("every bundled visit gets its sheet, certificates and brief", "[bundled]") {
  const auto& p = bundled();
  const auto hyphenator = layout::Hyphenator::swedish();
  REQUIRE(hyphenator);
  std::size_t visits = 0, certificates = 0;
  for (const auto& m : p.municipalities)
    for (const auto& v : m.visits) {
      ++visits;
      INFO(m.slug << " " << v.key());
      const auto& course = p.courses.at(v.course);
      Diagnostics diags;
      const auto sheet = documents::compose_attendance({&p, &m, &v, &course, hyphenator.get()}, diags);
      documents::CertificateInput cin{&p, &m, &v, &course, documents::certificate_entries(p, m, v, course)};
      const auto certs = documents::compose_certificates(cin, diags);
      const auto brief =
          documents::compose_brief({&p, &m, &v, &course, static_cast<int>(sheet.pages.size())}, diags);
      CHECK(diags.error_count() == 0);
      CHECK(diags.warning_count() == 0);
      CHECK(certs.pages.size() == v.certified().size());
      CHECK(brief.pages.size() == 1);
      certificates += certs.pages.size();

      // Each certificate names its participant once, with its code (pages
      // are separated by form feeds in pdftotext's output).
      const auto cert_pdf = test::write_pdf(certs, "bundled-certificates-" + m.slug + "-" + v.key() + ".pdf");
      const std::string all_pages = test::pdf_text(cert_pdf);
      std::vector<std::string> pages;
      for (std::size_t start = 0; start < all_pages.size();) {
        auto ff = all_pages.find('\f', start);
        if (ff == std::string::npos) ff = all_pages.size();
        pages.push_back(test::squeeze(all_pages.substr(start, ff - start)));
        start = ff + 1;
      }
      REQUIRE(pages.size() >= cin.participants.size());
      for (std::size_t i = 0; i < cin.participants.size(); ++i) {
        INFO(cin.participants[i].participant->name);
        CHECK(test::count(pages[i], test::squeeze(cin.participants[i].participant->name)) == 1);
        CHECK(test::count(pages[i], cin.participants[i].code) == 1);
      }
      test::write_pdf(brief, "bundled-brief-" + m.slug + "-" + v.key() + ".pdf");

      // Every registered name once on the sheet, in the sheet's order: the
      // name column holds exactly the names, and no name appears elsewhere.
      const auto pdf = test::write_pdf(sheet, "bundled-" + m.slug + "-" + v.key() + ".pdf");
      const auto text = test::squeeze(test::pdf_text(pdf));
      std::string expected;
      for (const auto* who : documents::sheet_order(v)) {
        INFO(who->name);
        CHECK(test::count(text, who->name) <= 1);
        if (!expected.empty()) expected += ' ';
        expected += test::squeeze(who->name);
      }
      // The names (then, on the same page, the header of the rows for those
      // not registered: its "Namn" is in the column too).
      std::string column =
          test::table_column(test::pdf_words(pdf), "Namn", "Befattning", p.layouts.attendance.row_height / 2);
      if (column.ends_with(" Namn")) column.resize(column.size() - 5);
      CHECK(column == expected);
      CHECK(test::count(text, "Befattning och enhet") >= 1);  // repeated when the blank rows go on
    }
  CHECK(visits == 26);
  WARN(visits << " visits, " << certificates << " certificates");
}

// Timing for the closing note; run with
// `test_documents "[.timing]"`.
TEST_CASE("time to compose and render every certificate of the county", "[.timing]") {
  using clock = std::chrono::steady_clock;
  const auto& p = bundled();
  render::PdfOptions opts;
  opts.creation_time = 1700000000;
  double compose_s = 0, combined_s = 0, single_s = 0;
  std::size_t pages = 0, bytes_combined = 0, bytes_single = 0;
  for (const auto& m : p.municipalities)
    for (const auto& v : m.visits) {
      const auto& course = p.courses.at(v.course);
      Diagnostics diags;
      auto t0 = clock::now();
      documents::CertificateInput cin{&p, &m, &v, &course, documents::certificate_entries(p, m, v, course)};
      const auto certs = documents::compose_certificates(cin, diags);
      auto t1 = clock::now();
      const auto all = render::render_pdf(certs, opts);
      auto t2 = clock::now();
      const auto split = render::split_pages(all.bytes);
      REQUIRE(split.ok);
      for (const auto& one : split.pages) bytes_single += one.size();
      auto t3 = clock::now();
      compose_s += std::chrono::duration<double>(t1 - t0).count();
      combined_s += std::chrono::duration<double>(t2 - t1).count();
      single_s += std::chrono::duration<double>(t3 - t2).count();
      pages += certs.pages.size();
      bytes_combined += all.bytes.size();
    }
  WARN(pages << " certificates: compose " << compose_s << " s, 26 combined PDFs " << combined_s << " s ("
             << bytes_combined / 1024 << " KiB), " << pages << " single PDFs split off " << single_s << " s ("
             << bytes_single / 1024 << " KiB)");
}

#endif
