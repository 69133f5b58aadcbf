// The programme overview: every number in it checked against the data.
#include "documents/report.h"

#include <catch2/catch.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include "core/text.h"
#include "fixtures.h"
#include "pdf_tools.h"
#include "structure_check.h"
#include "documents/structure.h"
#ifdef COURSEPACK_HAVE_VALIDATE
#include "validate/validate.h"
#endif

using namespace cp;

namespace {

// No-break spaces (thousands in Swedish numbers) as plain spaces. Built up
// by appending: g++ 12 at -O3 warns (-Wrestrict) about std::string::replace here.
std::string no_nbsp(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s.compare(i, 2, "\u00A0") == 0) {
      out += ' ';
      ++i;
    } else {
      out += s[i];
    }
  }
  return out;
}

// The lines of `pdftotext -layout`, whitespace squeezed.
std::vector<std::string> layout_lines(const std::filesystem::path& pdf, int page) {
  const auto r = test::run(fmt::format("pdftotext -layout -enc UTF-8 -f {} -l {} {} -", page, page,
                                       test::quote(pdf.string())));
  REQUIRE(r.status == 0);
  std::vector<std::string> out;
  std::istringstream in(r.out);
  std::string line;
  while (std::getline(in, line)) out.push_back(test::squeeze(no_nbsp(line)));
  return out;
}

// Whether a line holds `cells` in order, single-space separated (a table
// row; empty cells skipped).
bool has_row(const std::vector<std::string>& lines, const std::vector<std::string>& cells) {
  std::string want;
  for (const auto& c : cells) {
    if (c.empty()) continue;
    want += (want.empty() ? "" : " ") + c;
  }
  want = no_nbsp(want);
  for (const auto& l : lines)
    if (l.starts_with(want) || l.find(" " + want) != std::string::npos) return true;
  return false;
}

std::string lines_text(const std::vector<std::string>& lines) {
  std::string s;
  for (const auto& l : lines) s += l + "\n";
  return s;
}

std::string status_word(const model::Municipality& m) {
  if (!m.guideline) return "uppgift saknas";
  switch (m.guideline->status) {
    case model::GuidelineStatus::None: return "ingen riktlinje";
    case model::GuidelineStatus::Draft: return "utkast";
    case model::GuidelineStatus::Adopted: return "antagen";
  }
  return {};
}

// Checks every table of report.pdf `pdf` against `p` and `data` (what the
// report should show), and the numbers on the before/after chart.
void check_report_pdf(const model::Programme& p, const documents::ReportData& data, const std::filesystem::path& pdf) {
  const std::vector<int> years = data.years.empty() ? std::vector<int>{data.year} : data.years;
  const int calendars = static_cast<int>(years.size());
  REQUIRE(std::regex_search(test::pdf_info(pdf), std::regex(fmt::format("Pages:\\s+{}\\n", calendars + 3))));

  // Pages 1..calendars: one calendar per year, each with its year's visits;
  // together they count every visit of the programme once.
  int visits_on_calendars = 0, visits = 0;
  for (const auto& m : p.municipalities) visits += static_cast<int>(m.visits.size());
  for (int c = 0; c < calendars; ++c) {
    const int year = years[static_cast<std::size_t>(c)];
    const auto lines = layout_lines(pdf, c + 1);
    INFO(lines_text(lines));
    CHECK(lines_text(lines).find(fmt::format("Kommunbesök {}", year)) != std::string::npos);
    int held_total = 0, planned_total = 0;
    for (const auto& m : p.municipalities) {
      int held = 0, planned = 0;
      std::string dates;
      for (const auto& v : m.visits) {
        if (v.date.year != year) continue;
        const bool h = v.status == model::VisitStatus::Held;
        (h ? held : planned)++;
        dates += (dates.empty() ? "" : ", ") + v.date.iso() + (h ? "" : " (planerat)");
      }
      held_total += held;
      planned_total += planned;
      CHECK(has_row(lines, {documents::short_municipality_name(m.name), std::to_string(held), std::to_string(planned), dates}));
    }
    CHECK(has_row(lines, {"Länet", std::to_string(held_total), std::to_string(planned_total)}));
    visits_on_calendars += held_total + planned_total;
  }
  if (!data.years.empty()) CHECK(visits_on_calendars == visits);
  const int shift = calendars - 1;  // the pages after the calendars
  // Page 2: registered and attended, absolute and per 1,000.
  {
    const auto lines = layout_lines(pdf, 2 + shift);
    INFO(lines_text(lines));
    int reg_total = 0, att_total = 0;
    long pop_total = 0;
    for (const auto& m : p.municipalities) {
      int reg = 0, att = 0;
      for (const auto& v : m.visits) {
        reg += static_cast<int>(v.participants.size());
        if (v.status == model::VisitStatus::Held)
          for (const auto& pt : v.participants) att += pt.attended.value_or(false) ? 1 : 0;
      }
      reg_total += reg;
      att_total += att;
      std::vector<std::string> row{documents::short_municipality_name(m.name)};
      if (m.population) {
        pop_total += *m.population;
        row.push_back(cp::text::swedish_number(static_cast<double>(*m.population)));
      } else {
        row.push_back("–");
      }
      row.push_back(std::to_string(reg));
      row.push_back(std::to_string(att));
      if (m.population) {
        row.push_back(fmt::format("{:.1f}", 1000.0 * reg / static_cast<double>(*m.population)));
        row.push_back(fmt::format("{:.1f}", 1000.0 * att / static_cast<double>(*m.population)));
        for (auto* s : {&row[4], &row[5]}) std::replace(s->begin(), s->end(), '.', ',');
      }
      CHECK(has_row(lines, row));
    }
    CHECK(has_row(lines, {"Länet", cp::text::swedish_number(static_cast<double>(pop_total)), std::to_string(reg_total),
                          std::to_string(att_total)}));
  }
  // Page 3: guideline and contact persons.
  {
    const auto lines = layout_lines(pdf, 3 + shift);
    INFO(lines_text(lines));
    int adopted = 0, draft = 0, with = 0, contacts = 0;
    for (const auto& m : p.municipalities) {
      std::string date;
      if (m.guideline && m.guideline->date) date = m.guideline->date->iso();
      if (m.guideline && m.guideline->status == model::GuidelineStatus::Adopted) ++adopted;
      if (m.guideline && m.guideline->status == model::GuidelineStatus::Draft) ++draft;
      with += m.contacts.empty() ? 0 : 1;
      contacts += static_cast<int>(m.contacts.size());
      CHECK(has_row(lines, {documents::short_municipality_name(m.name), status_word(m), date, std::to_string(m.contacts.size())}));
    }
    CHECK(has_row(lines, {"Länet", fmt::format("{} antagna, {} utkast", adopted, draft),
                          fmt::format("{} ({} kommuner)", contacts, with)}));
  }
  // Page 4: confidence before and after.
  {
    const auto lines = layout_lines(pdf, 4 + shift);
    INFO(lines_text(lines));
    if (data.evaluations.empty()) CHECK(has_row(lines, {"Inga utvärderingsresultat är inlagda ännu."}));
    std::array<int, 5> all_b{}, all_a{};
    auto mean = [](const std::array<int, 5>& c, int& n) {
      double s = 0;
      n = 0;
      for (int i = 0; i < 5; ++i) {
        n += c[static_cast<std::size_t>(i)];
        s += (i + 1) * c[static_cast<std::size_t>(i)];
      }
      return n ? s / n : 0.0;
    };
    auto dec = [](double v) {
      std::string s = fmt::format("{:.1f}", std::fabs(v));
      std::replace(s.begin(), s.end(), '.', ',');
      return s;
    };
    auto change = [&](double d) { return dec(d) == "0,0" ? "0,0" : (d < 0 ? "\u2212" : "+") + dec(d); };
    for (const auto& e : data.evaluations) {
      std::string name = e.municipality;
      for (const auto& m : p.municipalities)
        if (m.slug == e.municipality) name = documents::short_municipality_name(m.name);
      int nb = 0, na = 0;
      const double mb = mean(e.before, nb), ma = mean(e.after, na);
      for (std::size_t i = 0; i < 5; ++i) {
        all_b[i] += e.before[i];
        all_a[i] += e.after[i];
      }
      CHECK(has_row(lines, {name, e.date.iso(), std::to_string(nb), dec(mb), std::to_string(na), dec(ma),
                            change(ma - mb)}));
    }
    if (!data.evaluations.empty()) {
      int nb = 0, na = 0;
      const double mb = mean(all_b, nb), ma = mean(all_a, na);
      CHECK(has_row(lines, {"Alla besök", std::to_string(nb), dec(mb), std::to_string(na), dec(ma), change(ma - mb)}));
      CHECK_FALSE(has_row(lines, {"Inga utvärderingsresultat är inlagda ännu."}));
    }
    // The chart: its bar labels (the words above the table's header) are
    // exactly the means before and after, per visit and for all visits.
    std::multiset<std::string> want, got;
    for (const auto& e : data.evaluations) {
      int n = 0;
      want.insert(dec(mean(e.before, n)));
      want.insert(dec(mean(e.after, n)));
    }
    if (!data.evaluations.empty()) {
      int n = 0;
      want.insert(dec(mean(all_b, n)));
      want.insert(dec(mean(all_a, n)));
    }
    const auto words = test::pdf_words(pdf);
    double header_y = 1e9;
    for (const auto& w : words)
      if (w.page == 4 + shift && w.text == "Kommun") header_y = w.y_min;
    const std::regex decimal("[0-9]+,[0-9]");
    for (const auto& w : words)
      if (w.page == 4 + shift && w.y_max < header_y && std::regex_match(w.text, decimal)) got.insert(w.text);
    CHECK(got == want);
  }
}

// Composes the report of `p` with `data`, renders it and checks it.
void check_report(const model::Programme& p, const documents::ReportData& data, const std::string& file) {
  Diagnostics diags;
  const auto doc = documents::compose_report(p, data, diags);
  CHECK(diags.warning_count() == 0);
  REQUIRE(doc.pages.size() == 3 + std::max<std::size_t>(data.years.size(), 1));
  check_report_pdf(p, data, test::write_pdf(doc, file));
}

documents::ReportData sample_results() {
  documents::ReportData d;
  d.evaluations.push_back({"eksjo", {2023, 3, 14}, {3, 8, 6, 2, 0}, {0, 1, 5, 9, 4}});
  d.evaluations.push_back({"eksjo", {2023, 6, 13}, {1, 4, 7, 3, 1}, {0, 0, 4, 8, 4}});
  return d;
}

}  // namespace

TEST_CASE("numbers helpers", "[report]") {
  CHECK(documents::short_municipality_name("Jönköpings kommun") == "Jönköping");
  CHECK(documents::short_municipality_name("Vaggeryds kommun") == "Vaggeryd");
  CHECK(documents::short_municipality_name("Tranås kommun") == "Tranås");
  CHECK(documents::short_municipality_name("Värnamo kommun") == "Värnamo");
  CHECK(documents::short_municipality_name("Habo") == "Habo");
  CHECK(documents::mean_answer({0, 0, 0, 0, 0}) == 0);
  CHECK(documents::mean_answer({1, 0, 0, 0, 1}) == 3);
}

TEST_CASE("the report of the sample programme", "[report]") {
  auto p = test::sample_programme();
  auto& m = test::sample_municipality(p);
  m.population = 17750;
  m.guideline = model::Guideline{model::GuidelineStatus::Draft, model::Date{2023, 9, 1}};
  auto& v = test::sample_visit(p);
  v.status = model::VisitStatus::Held;
  for (int i = 0; i < 12; ++i) v.participants.push_back(test::person("Deltagare " + std::to_string(i), "", "", i % 4 != 0));
  check_report(p, sample_results(), "report-sample.pdf");
  check_report(p, documents::ReportData{}, "report-empty.pdf");
}

TEST_CASE("the report's structure: a heading per page, each chart a Figure stating its numbers, each table a Table",
          "[report][structure]") {
  auto p = test::sample_programme();
  auto& m = test::sample_municipality(p);
  m.population = 17750;
  m.guideline = model::Guideline{model::GuidelineStatus::Draft, model::Date{2023, 9, 1}};
  auto& v = test::sample_visit(p);
  v.status = model::VisitStatus::Held;
  for (int i = 0; i < 12; ++i) v.participants.push_back(test::person("Deltagare " + std::to_string(i), "", "", i % 4 != 0));
  Diagnostics diags;
  const auto doc = documents::compose_report(p, sample_results(), diags);
  const auto problems = test::structure_problems(doc);
  for (const auto& pr : problems) INFO(pr);
  CHECK(problems.empty());
  CHECK(test::kid_roles(doc, 0) == "H1 P Figure Table H1 P Figure Table H1 P Figure Table H1 P Figure Table");
  const auto top = test::kid_nodes(doc, 0);
  auto alt = [&](std::size_t k) { return doc.structure[static_cast<std::size_t>(top[k])].alt; };
  INFO(alt(2) << "\n" << alt(6) << "\n" << alt(10) << "\n" << alt(14));
  CHECK(test::node_text(doc, top[0]) == "Kommunbesök 2023");
  CHECK(alt(2).find("Eksjö: 2023-03-14.") != std::string::npos);
  CHECK(alt(2).find("Länet: 1 genomförda och 0 planerade besök.") != std::string::npos);
  CHECK(alt(6).find("Eksjö: 12 anmälda, 9 deltog; 0,7 och 0,5 per 1 000 invånare.") != std::string::npos);
  CHECK(alt(10).find("Eksjö: utkast, 2 kontaktpersoner.") != std::string::npos);
  CHECK(alt(14).find("Eksjö 2023-03-14: före 2,4, efter 3,8.") != std::string::npos);
  CHECK(alt(14).find("Eksjö 2023-06-13: före 2,9, efter 4,0.") != std::string::npos);

  // Tables: a header row of column headers, then rows headed by their
  // first cell, empty cells kept in their column.
  for (std::size_t k : {3u, 7u, 11u, 15u}) {
    const auto parts = test::kid_nodes(doc, top[k]);
    REQUIRE(parts.size() == 2);
    CHECK(test::kid_roles(doc, top[k]) == "THead TBody");
    const auto head = test::kid_nodes(doc, test::kid_nodes(doc, parts[0])[0]);
    for (int th : head) CHECK(doc.structure[static_cast<std::size_t>(th)].scope == "Column");
    for (int tr : test::kid_nodes(doc, parts[1])) {
      const auto cells = test::kid_nodes(doc, tr);
      CHECK(cells.size() == head.size());
      CHECK(doc.structure[static_cast<std::size_t>(cells[0])].scope == "Row");
    }
  }
  const auto calendar_rows = test::kid_nodes(doc, test::kid_nodes(doc, top[3])[1]);
  CHECK(test::node_text(doc, test::kid_nodes(doc, calendar_rows.back())[0]) == "Länet");
  CHECK(test::node_text(doc, test::kid_nodes(doc, calendar_rows.back())[3]).empty());

  // Everything a chart draws is the Figure's; the footers are Pagination.
  for (const auto& page : doc.pages)
    for (const auto& item : page.items) {
      const int n = documents::node_of(item);
      if (n < 0) {
        const auto* g = std::get_if<layout::GlyphRun>(&item);
        if (g) CHECK(g->artifact == layout::Artifact::Pagination);
      }
    }
  CHECK(test::reading_text(doc).find("sida 1 av 4") == std::string::npos);

  SECTION("without evaluation results the last page says so in a paragraph") {
    const auto empty = documents::compose_report(p, documents::ReportData{}, diags);
    CHECK(test::structure_problems(empty).empty());
    CHECK(test::kid_roles(empty, 0).ends_with("H1 P P"));
  }
}

TEST_CASE("a programme over two years has a calendar page per year, counting every visit once", "[report]") {
  auto p = test::sample_programme();
  auto& m = test::sample_municipality(p);
  model::Visit next = test::sample_visit(p);
  next.date = {2024, 2, 6};
  m.visits.push_back(next);
  auto data = sample_results();
  data.years = documents::calendar_years(p);
  REQUIRE(data.years == std::vector<int>{2023, 2024});
  check_report(p, data, "report-two-years.pdf");
  const auto pdf = test::output_dir() / "report-two-years.pdf";
  CHECK(test::pdf_text(pdf, 1).find("Kommunbesök 2023") != std::string::npos);
  CHECK(test::pdf_text(pdf, 2).find("2024-02-06 (planerat)") != std::string::npos);
  CHECK(test::pdf_text(pdf, 1).find("2024-02-06") == std::string::npos);
  CHECK(test::pdf_text(pdf, 2).find("programöversikt 2023\u20132024") != std::string::npos);
}

#if defined(COURSEPACK_HAVE_VALIDATE) && defined(COURSEPACK_BIN)
namespace {

// The text of an evaluation_results file as a spreadsheet saved it (UTF-8
// with or without BOM, or Windows-1252), read here without coursepack's
// reader: the counts the report must show come from the files themselves.
std::string file_text(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  std::string s = ss.str();
  if (s.starts_with("\xEF\xBB\xBF")) return s.substr(3);
  bool utf8 = true;
  for (std::size_t i = 0; i < s.size() && utf8;) {
    const auto c = static_cast<unsigned char>(s[i]);
    const std::size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    utf8 = n > 0 && i + n <= s.size();
    for (std::size_t k = 1; utf8 && k < n; ++k) utf8 = (static_cast<unsigned char>(s[i + k]) & 0xC0) == 0x80;
    i += n ? n : 1;
  }
  if (utf8) return s;
  std::string out;  // Latin-1 range of Windows-1252: enough for å, ä, ö
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (c < 0x80) {
      out += ch;
    } else {
      out += static_cast<char>(0xC0 | (c >> 6));
      out += static_cast<char>(0x80 | (c & 0x3F));
    }
  }
  return out;
}

// {före counts, efter counts} of one results file.
std::pair<std::array<int, 5>, std::array<int, 5>> results_from_csv(const std::filesystem::path& file) {
  std::istringstream in(file_text(file));
  std::string line;
  std::getline(in, line);
  const char sep = std::count(line.begin(), line.end(), ';') > std::count(line.begin(), line.end(), ',') ? ';' : ',';
  std::array<int, 5> before{}, after{};
  int found = 0;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    std::vector<std::string> cells;
    std::istringstream row(line);
    for (std::string cell; std::getline(row, cell, sep);) cells.push_back(test::squeeze(cell));
    if (cells.empty()) continue;
    std::string id = cells[0];
    for (auto& c : id) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (id.starts_with("\xC3\x96")) id.replace(0, 2, "\xC3\xB6");  // Ö → ö
    std::array<int, 5>* target = nullptr;
    if (id == "före" || id == "before") target = &before;
    if (id == "efter" || id == "after") target = &after;
    if (!target) continue;
    ++found;
    for (std::size_t i = 0; i < 5; ++i)
      (*target)[i] = i + 1 < cells.size() && !cells[i + 1].empty() ? std::stoi(cells[i + 1]) : 0;
  }
  CHECK(found == 2);
  return {before, after};
}

}  // namespace

// `coursepack report` on the bundled data; every number of report.pdf
// checked against the municipality files and the evaluation results CSVs.
TEST_CASE("the report of the bundled programme", "[report][bundled]") {
  Diagnostics diags;
  auto p = validate::load_programme(COURSEPACK_SOURCE_DIR, diags);
  REQUIRE(p);
  documents::ReportData want;
  std::set<int> years;
  for (const auto& m : p->municipalities)
    for (const auto& v : m.visits) {
      years.insert(v.date.year);
      if (!v.evaluation_results) continue;
      const auto [before, after] = results_from_csv(std::filesystem::path(COURSEPACK_SOURCE_DIR) / "materials" /
                                                    v.evaluation_results->file);
      want.evaluations.push_back({m.slug, v.date, before, after});
    }
  REQUIRE(want.evaluations.size() >= 3);
  want.years.assign(years.begin(), years.end());
  const auto out = test::output_dir() / "bundled-report";
  const auto r = test::run("SOURCE_DATE_EPOCH=1680000000 " + test::quote(COURSEPACK_BIN) + " report --root " +
                           test::quote(COURSEPACK_SOURCE_DIR) + " --out " + test::quote(out.string()) + " 2>&1");
  INFO(r.out);
  REQUIRE(r.status == 0);
  CHECK(r.out.find("warning") == std::string::npos);
  check_report_pdf(*p, want, out / "report.pdf");
}
#endif
