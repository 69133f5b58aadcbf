// UTF-8 and Unicode helpers shared by every stage.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cp::text {

// True when `s` is well-formed UTF-8 (no overlongs, no surrogates).
bool is_valid_utf8(std::string_view s);

// Decodes well-formed UTF-8; invalid bytes become U+FFFD.
std::u32string decode_utf8(std::string_view s);
std::string encode_utf8(std::u32string_view s);
void append_utf8(std::string& out, char32_t cp);

// Decodes the code point starting at s[i]; advances i. Invalid → U+FFFD.
char32_t next_code_point(std::string_view s, std::size_t& i);

// Windows-1252 bytes → UTF-8 (the five undefined bytes map to U+FFFD).
std::string windows1252_to_utf8(std::string_view s);

// Unicode normalisation form C (ICU). Input must be valid UTF-8.
std::string to_nfc(std::string_view s);

// Lower case (ICU, Swedish rules).
std::string to_lower(std::string_view s);

// Swedish collation: a stable, thread-safe comparison where å, ä, ö sort
// after z. Returns <0, 0, >0.
int compare_swedish(std::string_view a, std::string_view b);
// Sort key for repeated comparisons (byte-wise comparable).
std::string swedish_sort_key(std::string_view s);

// Number of code points.
std::size_t length(std::string_view s);

// Letters folded to ASCII (å→a, ö→o, ł→l, Greek and Cyrillic
// transliterated) by ICU's Any-Latin; Latin-ASCII. Text that is ASCII or
// Latin-1 takes a direct path with the same result; to_ascii_icu always
// asks ICU (for tests that compare the two).
std::string to_ascii(std::string_view s);
std::string to_ascii_icu(std::string_view s);

// ASCII slug: letters folded to ASCII (å→a, ö→o, ł→l, Greek/Cyrillic
// transliterated), everything else to '-', collapsed, trimmed, at most
// `max_len` characters; never empty (falls back to `fallback`).
std::string ascii_slug(std::string_view s, std::size_t max_len = 60,
                       std::string_view fallback = "x");

// Levenshtein distance in code points (for did-you-mean hints).
std::size_t edit_distance(std::string_view a, std::string_view b);

// `v` rounded half away from zero to `decimals` (0..6) places, trailing
// zeros and a lone sign dropped ("-0" is "0"); never an exponent, the same
// in every locale. Not finite: "nan", "inf" or "-inf".
void append_decimal(std::string& out, double v, int decimals);

// How every Swedish text of the tool writes a number: rounded half away from
// zero to `decimals` places (0..6), a decimal comma, digits grouped in
// threes with a no-break space from 1 000 up, and a minus sign (U+2212).
// Trailing zeros are dropped ("3,5", "3" for 2.999 at two places) unless
// `fixed` keeps exactly `decimals` places ("4,0"). Not finite: "–".
std::string swedish_number(double v, int decimals = 0, bool fixed = false);

// Trim ASCII whitespace at both ends.
std::string_view trim(std::string_view s);

// `s` with & < > " written as HTML character references, for text and
// attribute values of the HTML the tool writes.
std::string html_escape(std::string_view s);

}  // namespace cp::text
