#include "xlsx_fixture.h"

#include <unistd.h>
#include <zip.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <cstdio>
#include <fstream>
#include <sstream>

namespace cp::testing {

namespace {

std::string escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '&') out += "&amp;";
    else if (c == '<') out += "&lt;";
    else if (c == '>') out += "&gt;";
    else if (c == '"') out += "&quot;";
    else out += c;
  }
  return out;
}

std::string column_letters(std::size_t index) {  // 0 → A
  std::string out;
  for (std::size_t n = index + 1; n > 0; n = (n - 1) / 26) out.insert(out.begin(), static_cast<char>('A' + (n - 1) % 26));
  return out;
}

constexpr const char* kMain = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
constexpr const char* kRel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

}  // namespace

std::string inline_cell(const std::string& ref, const std::string& text) {
  return "<c r=\"" + ref + "\" t=\"inlineStr\"><is><t xml:space=\"preserve\">" + escape(text) + "</t></is></c>";
}

std::string number_cell(const std::string& ref, const std::string& value, int style) {
  return "<c r=\"" + ref + "\"" + (style ? " s=\"" + std::to_string(style) + "\"" : std::string()) + "><v>" + value +
         "</v></c>";
}

std::string inline_rows(const std::vector<std::vector<std::string>>& rows) {
  std::string out;
  for (std::size_t r = 0; r < rows.size(); ++r) {
    out += "<row r=\"" + std::to_string(r + 1) + "\">";
    for (std::size_t c = 0; c < rows[r].size(); ++c)
      if (!rows[r][c].empty()) out += inline_cell(column_letters(c) + std::to_string(r + 1), rows[r][c]);
    out += "</row>";
  }
  return out;
}

std::string xlsx_bytes(const XlsxBook& book) {
  std::vector<std::pair<std::string, std::string>> parts;
  const std::size_t n = book.sheets.size();
  std::string types =
      "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>"
      "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
      "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
      "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
      "<Override PartName=\"/xl/workbook.xml\" "
      "ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>";
  std::string sheets, rels = std::string("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships "
                                         "xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">");
  for (std::size_t i = 0; i < n; ++i) {
    const std::string part = "sheet" + std::to_string(n - i) + ".xml";
    const std::string id = "rId" + std::to_string(n - i);
    sheets += "<sheet name=\"" + escape(book.sheets[i].name) + "\" sheetId=\"" + std::to_string(i + 1) +
              "\" r:id=\"" + id + "\"/>";
    rels += "<Relationship Id=\"" + id +
            "\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" "
            "Target=\"worksheets/" + part + "\"/>";
    types += "<Override PartName=\"/xl/worksheets/" + part +
             "\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>";
    parts.emplace_back("xl/worksheets/" + part, std::string("<?xml version=\"1.0\" encoding=\"UTF-8\"?><worksheet xmlns=\"") +
                                                    kMain + "\"><sheetData>" + book.sheets[i].rows +
                                                    "</sheetData></worksheet>");
  }
  rels += "<Relationship Id=\"rIdS\" "
          "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings\" "
          "Target=\"sharedStrings.xml\"/>"
          "<Relationship Id=\"rIdT\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" "
          "Target=\"styles.xml\"/></Relationships>";
  types += "</Types>";
  std::string strings = std::string("<?xml version=\"1.0\" encoding=\"UTF-8\"?><sst xmlns=\"") + kMain + "\">";
  for (const auto& s : book.shared_strings) strings += "<si><t xml:space=\"preserve\">" + escape(s) + "</t></si>";
  strings += "</sst>";
  std::string styles = std::string("<?xml version=\"1.0\" encoding=\"UTF-8\"?><styleSheet xmlns=\"") + kMain + "\">";
  if (!book.num_fmts.empty()) styles += "<numFmts>" + book.num_fmts + "</numFmts>";
  styles += "<cellXfs>";
  for (int id : book.cell_formats) styles += "<xf numFmtId=\"" + std::to_string(id) + "\"/>";
  styles += "</cellXfs></styleSheet>";
  parts.emplace_back("[Content_Types].xml", types);
  parts.emplace_back("xl/workbook.xml", std::string("<?xml version=\"1.0\" encoding=\"UTF-8\"?><workbook xmlns=\"") +
                                            kMain + "\" xmlns:r=\"" + kRel + "\"><workbookPr" +
                                            (book.date1904 ? " date1904=\"1\"" : "") + "/><sheets>" + sheets +
                                            "</sheets></workbook>");
  parts.emplace_back("xl/_rels/workbook.xml.rels", rels);
  parts.emplace_back("xl/sharedStrings.xml", strings);
  parts.emplace_back("xl/styles.xml", styles);
  return zip_bytes(parts);
}

std::string zip_bytes(const std::vector<std::pair<std::string, std::string>>& parts) {
  static std::atomic<int> counter{0};
  const std::string file = (std::filesystem::temp_directory_path() /
                            ("coursepack-xlsx-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) + ".xlsx"))
                               .string();
  int error = 0;
  zip_t* z = zip_open(file.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &error);
  REQUIRE(z);
  for (const auto& [name, body] : parts) {
    zip_source_t* src = zip_source_buffer(z, body.data(), body.size(), 0);
    REQUIRE(src);
    REQUIRE(zip_file_add(z, name.c_str(), src, ZIP_FL_ENC_UTF_8) >= 0);
  }
  REQUIRE(zip_close(z) == 0);
  std::ifstream in(file, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  std::remove(file.c_str());
  return bytes.str();
}

}  // namespace cp::testing
