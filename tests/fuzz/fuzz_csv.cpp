// Fuzz target: raw bytes → load::decode_text (UTF-8 / Windows-1252
// sniffing, BOM, NFC) → load::parse_csv. Checks the documented shape of the
// result: no record wider than the header, positions 1-based.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "load/csv.h"
#include "load/source.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  cp::Diagnostics diags;
  const auto text = cp::load::decode_text(bytes, "fuzz.csv", diags, cp::load::Encoding::Utf8OrWindows1252);
  if (!text) return 0;
  const char sep = cp::load::sniff_separator(*text);
  if (sep != ',' && sep != ';' && sep != '\t') std::abort();
  const auto table = cp::load::parse_csv(*text, "fuzz.csv", diags);
  for (const auto& row : table.records) {
    if (row.cells.size() > table.header.cells.size() && !table.header.cells.empty()) std::abort();
    for (const auto& cell : row.cells)
      if (cell.line < 1 || cell.col < 1) std::abort();
  }
  return 0;
}
