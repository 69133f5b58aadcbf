// A participant's values, checked where they are written: printed text
// (names, titles, units) without line breaks, control characters or
// letters lost in saving; e-mail addresses; attendance words.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/diagnostics.h"

namespace cp::validate {

// Where a value was written, for the hint on a lost letter.
enum class Origin { Csv, Xlsx, Yaml };

// A printed value (name, title, unit): one line, no control characters, no
// letter replaced by `?` or U+FFFD. False when reported.
bool check_printed_text(std::string_view what, std::string_view value, const SourceLoc& loc, Origin origin,
                        Diagnostics& diags);

// An address (empty is fine) that email_problem finds nothing wrong with;
// false when reported.
bool check_email(std::string_view address, const SourceLoc& loc, Diagnostics& diags);

// Attendance as people write it: ja/nej, x, 1/0, true/false, sant/falskt,
// yes/no, närvarande/frånvarande, ... (case-insensitive); nullopt for a
// word that is none of them.
std::optional<bool> parse_attendance(std::string_view word);

// The error and the hint for an attendance word parse_attendance does not
// know, in the column or key `name`.
std::string attendance_error(std::string_view name, std::string_view value);
inline constexpr std::string_view kAttendanceHint =
    "write ja (or x, 1, true, närvarande) for present and nej (or 0, false, frånvarande) for absent";

// Why `address` is not an e-mail address (a hint), or nullopt when it is:
// exactly one `@` with text before it, a domain with a dot after it, no
// blanks, commas or semicolons.
std::optional<std::string> email_problem(std::string_view address);

}  // namespace cp::validate
