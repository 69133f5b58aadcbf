// .xlsx workbooks → the first sheet's rows, the values as Excel shows them.
//
// The zip container is read with libzip and the XML parts with libxml2.
// Text cells (shared or inline strings) are read as written; numbers in the
// General format as Excel shows them in a Swedish locale (`3,5`; a whole
// number without decimals); numbers in a fixed-decimals or percent format
// with those decimals; date and time formats as ISO dates (`2023-03-14`,
// `2023-03-14 09:30`, `09:30`); booleans as TRUE/FALSE. A cell holding a
// formula error (`#N/A`) is reported.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/diagnostics.h"
#include "load/table.h"

namespace cp::load {

// Rows of the workbook's first sheet (in the order of its tabs). Cells are
// at the sheet's row and column numbers (A = 1); every row has a cell for
// each column up to the widest row, empty where the sheet has none. Blank
// rows are left out; the first non-blank row is the header.
std::optional<Table> parse_xlsx(std::string_view bytes, const std::string& path, Diagnostics& diags);

// True when `bytes` is a zip archive holding xl/workbook.xml.
bool is_xlsx(std::string_view bytes);
// True when `bytes` is a zip archive whose `mimetype` says OpenDocument spreadsheet.
bool is_ods(std::string_view bytes);

}  // namespace cp::load
