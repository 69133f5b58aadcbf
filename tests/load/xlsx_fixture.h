// Real .xlsx workbooks for tests, written with libzip from their OOXML parts.
#pragma once

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace cp::testing {

struct XlsxSheet {
  std::string name = "Blad1";
  std::string rows;  // the <row> elements of <sheetData>
};

struct XlsxBook {
  std::vector<XlsxSheet> sheets{XlsxSheet{}};  // in tab order
  std::vector<std::string> shared_strings;     // <si><t> each
  std::string num_fmts;                        // <numFmt> elements
  std::vector<int> cell_formats{0};            // numFmtId of each cell style (s = index)
  bool date1904 = false;
};

// The bytes of an .xlsx file. The sheets' parts are numbered in reverse of
// their tab order (the first tab is the last part), as after reordering tabs.
std::string xlsx_bytes(const XlsxBook& book);

// A zip archive of (name, content) members, in that order.
std::string zip_bytes(const std::vector<std::pair<std::string, std::string>>& parts);

// A cell element: text in an inline string, or a number (with style `s`).
std::string inline_cell(const std::string& ref, const std::string& text);
std::string number_cell(const std::string& ref, const std::string& value, int style = 0);

// A sheet of inline-string rows: rows[0] is the header in row 1, from column A.
std::string inline_rows(const std::vector<std::vector<std::string>>& rows);

}  // namespace cp::testing
