// Fuzz target: raw bytes → load::parse_xlsx (libzip, libxml2, the number
// formats and the sheet's cell references). Checks the documented shape of
// the result: every row as wide as the widest, positions 1-based and equal
// to the sheet's row and column, text valid UTF-8.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/text.h"
#include "load/xlsx.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  cp::Diagnostics diags;
  const auto table = cp::load::parse_xlsx(bytes, "fuzz.xlsx", diags);
  if (!table) return 0;
  const std::size_t width = table->header.cells.size();
  for (const auto& row : table->records) {
    if (row.cells.size() != width || row.line <= table->header.line) std::abort();
    for (std::size_t i = 0; i < row.cells.size(); ++i) {
      const auto& cell = row.cells[i];
      if (cell.line != row.line || cell.col != static_cast<int>(i) + 1) std::abort();
      if (!cp::text::is_valid_utf8(cell.text)) std::abort();
    }
  }
  return 0;
}
