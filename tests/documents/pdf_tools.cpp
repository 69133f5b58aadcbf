#include "pdf_tools.h"

#include <catch2/catch.hpp>
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <map>
#include <regex>

#include "render/pdf.h"

namespace cp::test {

namespace fs = std::filesystem;

fs::path output_dir() {
  static const fs::path dir = [] {
    if (const char* keep = std::getenv("COURSEPACK_TEST_KEEP"); keep && *keep) {
      fs::create_directories(keep);
      return fs::path(keep);
    }
    return make_temp_dir("coursepack-documents-test");
  }();
  return dir;
}

fs::path write_pdf(const layout::Document& doc, const std::string& name) {
  render::PdfOptions opts;
  opts.creation_time = 1700000000;
  const auto r = render::render_pdf(doc, opts);
  INFO(r.error);
  REQUIRE(r.ok);
  for (const auto& w : r.warnings) WARN(w);
  const fs::path path = output_dir() / name;
  write_file(path, r.bytes);
  return path;
}

std::string pdf_text(const fs::path& pdf, int page) {
  std::string cmd = "pdftotext -enc UTF-8 ";
  if (page > 0) cmd += "-f " + std::to_string(page) + " -l " + std::to_string(page) + " ";
  const auto r = run(cmd + quote(pdf.string()) + " - 2>/dev/null");
  REQUIRE(r.status == 0);
  return r.out;
}

std::string pdf_info(const fs::path& pdf) {
  const auto r = run("pdfinfo -enc UTF-8 " + quote(pdf.string()) + " 2>/dev/null");
  REQUIRE(r.status == 0);
  return r.out;
}

namespace {

std::string unescape(const std::string& s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '&') {
      out += s[i];
      continue;
    }
    const auto end = s.find(';', i);
    const std::string ent = s.substr(i, end - i + 1);
    if (ent == "&amp;") out += '&';
    else if (ent == "&lt;") out += '<';
    else if (ent == "&gt;") out += '>';
    else if (ent == "&quot;") out += '"';
    else if (ent == "&apos;") out += '\'';
    else out += ent;
    i = end;
  }
  return out;
}

}  // namespace

std::vector<Word> pdf_words(const fs::path& pdf) {
  const auto r = run("pdftotext -enc UTF-8 -bbox-layout " + quote(pdf.string()) + " - 2>/dev/null");
  REQUIRE(r.status == 0);
  std::vector<Word> out;
  static const std::regex word(
      R"re(<word xMin="([0-9.eE+-]+)" yMin="([0-9.eE+-]+)" xMax="([0-9.eE+-]+)" yMax="([0-9.eE+-]+)">([^<]*)</word>)re");
  int page = 0;
  std::size_t pos = 0;
  const std::string& s = r.out;
  while (pos < s.size()) {
    const auto next_page = s.find("<page ", pos);
    const auto next_word = s.find("<word ", pos);
    if (next_word == std::string::npos) break;
    if (next_page != std::string::npos && next_page < next_word) {
      ++page;
      pos = next_page + 6;
      continue;
    }
    const auto end = s.find("</word>", next_word);
    std::smatch m;
    const std::string item = s.substr(next_word, end + 7 - next_word);
    if (std::regex_match(item, m, word))
      out.push_back({page, std::stod(m[1]), std::stod(m[2]), std::stod(m[3]), std::stod(m[4]), unescape(m[5])});
    pos = end + 7;
  }
  return out;
}

std::string table_column(const std::vector<Word>& words, const std::string& header, const std::string& next_header,
                         double row_below) {
  std::map<int, std::pair<double, double>> column;  // page → (x of the header, y of the header)
  std::map<int, double> right;                      // page → x of the next header
  for (const auto& w : words) {
    if (w.text == header && !column.count(w.page)) column[w.page] = {w.x_min, w.y_min};
    if (w.text == next_header && !right.count(w.page)) right[w.page] = w.x_min;
  }
  std::map<int, double> table_end;
  for (const auto& w : words) {
    const auto c = column.find(w.page);
    if (c != column.end() && w.x_max < c->second.first && w.y_min > c->second.second + 2 && !w.text.empty() &&
        w.text.find_first_not_of("0123456789") == std::string::npos)
      table_end[w.page] = std::max(table_end[w.page], w.y_max + row_below);
  }
  std::vector<Word> in_column;
  for (const auto& w : words) {
    const auto c = column.find(w.page);
    if (c == column.end() || !right.count(w.page)) continue;
    if (w.x_min < c->second.first - 1 || w.x_min >= right[w.page] - 1) continue;
    if (w.y_min <= c->second.second + 2) continue;  // the header row and above
    if (w.y_min > table_end[w.page]) continue;      // below the table
    in_column.push_back(w);
  }
  std::stable_sort(in_column.begin(), in_column.end(), [](const Word& a, const Word& b) {
    if (a.page != b.page) return a.page < b.page;
    if (std::abs(a.y_min - b.y_min) > 1) return a.y_min < b.y_min;
    return a.x_min < b.x_min;
  });
  std::string out;
  for (const auto& w : in_column) {
    if (!out.empty()) out += ' ';
    out += w.text;
  }
  return out;
}

std::vector<std::string> qr_codes(const fs::path& pdf, int page) {
  const fs::path prefix = output_dir() / (pdf.stem().string() + "-qr-" + std::to_string(page));
  const auto r1 = run("pdftoppm -r 300 -png -singlefile -f " + std::to_string(page) + " -l " + std::to_string(page) +
                      " " + quote(pdf.string()) + " " + quote(prefix.string()) + " 2>&1");
  INFO(r1.out);
  REQUIRE(r1.status == 0);
  const auto r2 = run("zbarimg --raw -q " + quote(prefix.string() + ".png") + " 2>/dev/null");
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < r2.out.size()) {
    auto end = r2.out.find('\n', start);
    if (end == std::string::npos) end = r2.out.size();
    if (end > start) out.push_back(r2.out.substr(start, end - start));
    start = end + 1;
  }
  std::error_code ec;
  if (!std::getenv("COURSEPACK_TEST_KEEP")) fs::remove(prefix.string() + ".png", ec);
  return out;
}

std::string squeeze(const std::string& s) {
  std::string out;
  bool space = false;
  for (char c : s) {
    if (c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f') {
      space = !out.empty();
    } else {
      if (space) out += ' ';
      space = false;
      out += c;
    }
  }
  return out;
}

std::size_t count(const std::string& hay, const std::string& needle) {
  std::size_t n = 0;
  for (auto pos = hay.find(needle); pos != std::string::npos; pos = hay.find(needle, pos + needle.size())) ++n;
  return n;
}

}  // namespace cp::test
