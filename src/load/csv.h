// CSV text → rows of cells, each with its line and column.
//
// RFC 4180 with the leniency spreadsheets need: `,`, `;` or tab (chosen
// from the header line), quoted fields with separators, doubled quotes and
// line breaks, CRLF or LF, blank lines skipped. What the columns mean is
// decided by validation; this only splits text.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "core/diagnostics.h"
#include "load/table.h"

namespace cp::load {

// Splits decoded text (valid UTF-8, no BOM). Reports, each at its place:
// an unterminated quote (at the opening quote; the rest of the file is not
// read); text after a closing quote (the field is read on to the next
// separator); a record with more fields than the header (at its first extra
// field that is not empty; the row is cut to the header's width); a record
// with fewer fields than the header has names (at the row's end; the row
// is kept as it is).
Table parse_csv(std::string_view utf8_text, const std::string& path, Diagnostics& diags);

// The separator the header line uses: the most frequent of tab, `;` and `,`
// outside quotes (`,` when there is none).
char sniff_separator(std::string_view utf8_text);

// read_file + decode_text (UTF-8 or Windows-1252) + parse_csv. A workbook
// or other binary file is reported as what it is.
std::optional<Table> load_csv_file(const std::filesystem::path& file, const std::string& display_path,
                                   Diagnostics& diags);

}  // namespace cp::load
