// Participant CSV files → rows of cells, each with its line and column.
//
// RFC 4180 with the leniency spreadsheets need: `,` or `;` (chosen from the
// header line), quoted fields with separators, doubled quotes and line
// breaks, CRLF or LF, blank lines skipped. What the columns mean is decided
// by validation; this only splits text.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/diagnostics.h"

namespace cp::load {

struct CsvCell {
  std::string text;  // unquoted; line breaks inside quotes are "\n"
  int line = 0;      // 1-based, where the cell starts
  int col = 0;       // 1-based, in code points
};

struct CsvRow {
  int line = 0;
  std::vector<CsvCell> cells;
};

struct CsvTable {
  char separator = ',';
  CsvRow header;                // the first non-blank row
  std::vector<CsvRow> records;  // the rows after it, blank ones left out
};

// Splits decoded text (valid UTF-8, no BOM). Reports an unterminated quote
// (at the opening quote; the rest of the file is not read) and a record with
// more fields than the header (at its first extra field). Rows with too many
// fields are kept, cut to the header's width.
CsvTable parse_csv(std::string_view utf8_text, const std::string& path, Diagnostics& diags);

// The separator the header line uses: `;` when it has more semicolons than
// commas outside quotes, else `,`.
char sniff_separator(std::string_view utf8_text);

// read_file + decode_text (UTF-8 or Windows-1252) + parse_csv.
std::optional<CsvTable> load_csv_file(const std::filesystem::path& file, const std::string& display_path,
                                      Diagnostics& diags);

}  // namespace cp::load
