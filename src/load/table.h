// Rows of cells as a participants or evaluations file holds them, CSV text
// or a workbook's sheet alike, each cell with where it is in the file.
//
// For CSV a cell's line and column are where its text starts (columns count
// code points); for a workbook they are the sheet's row and column numbers
// (A = 1), so a diagnostic points where the spreadsheet shows the cell.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/diagnostics.h"

namespace cp::load {

struct TableCell {
  std::string text;  // unquoted; line breaks inside quotes are "\n"
  int line = 0;      // 1-based
  int col = 0;       // 1-based
};

struct TableRow {
  int line = 0;
  std::vector<TableCell> cells;
};

struct Table {
  bool workbook = false;          // read from an .xlsx sheet
  char separator = ',';           // CSV only
  TableRow header;                // the first non-blank row
  std::vector<TableRow> records;  // the rows after it, blank ones left out
};

// What a file's bytes are, whatever its name says.
enum class FileKind { Text, Xlsx, Xls, Ods, OtherZip };
FileKind sniff_file_kind(std::string_view bytes);

// A participants file: CSV text (load_csv_file) or an .xlsx workbook
// (load_xlsx), told apart by the bytes. Spreadsheet formats coursepack
// cannot read (.xls, .ods) are reported with what to save them as.
std::optional<Table> load_table_file(const std::filesystem::path& file, const std::string& display_path,
                                     Diagnostics& diags);

}  // namespace cp::load
