// What Pandoc writes besides its JSON, read: the version line, the numbers
// in its messages, and its warnings as diagnostics.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "core/diagnostics.h"

namespace cp::content::detail {

// The non-blank lines of `s`, trimmed and joined by spaces, cut to about
// `max_chars` bytes ("…" when cut): a Pandoc error as one line.
std::string join_lines(std::string_view s, std::size_t max_chars);

// Reads the digits at `i` into `value` (advancing `i`); false when there are none.
bool parse_uint(std::string_view s, std::size_t& i, int& value);

// "pandoc 2.17.1.1" → (2, 17).
bool pandoc_version_numbers(std::string_view line, int& major, int& minor);

// Each `[WARNING] …` line of Pandoc's stderr as a warning at `base`, or,
// when `positions`, at the line and column the warning names.
void report_pandoc_warnings(std::string_view err, const SourceLoc& base, bool positions, Diagnostics& diags);

}  // namespace cp::content::detail
