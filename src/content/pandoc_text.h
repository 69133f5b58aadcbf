// Text as Pandoc's JSON holds it, made ready for the document tree: NFC,
// percent escapes, placeholders in URLs, one-line excerpts for messages,
// and the small inline constructors the converter uses.
#pragma once

#include <string>
#include <string_view>

#include "content/document.h"

namespace cp::content::detail {

inline constexpr std::string_view kNbsp = "\u00A0";

// NFC; invalid UTF-8 is first made valid (each bad byte U+FFFD).
std::string nfc(std::string_view s);

// %XX escapes decoded (a file path as the author wrote it); `s` unchanged
// when the result would not be UTF-8.
std::string percent_decode(std::string_view s);

// Pandoc percent-encodes `{{x}}` in URLs as `%7B%7Bx%7D%7D`; give the
// placeholders back their braces (decoding inside them) so tailor can fill
// them. The rest of the URL stays as Pandoc wrote it.
std::string restore_placeholders(std::string_view url);

// The first line of `s`, trimmed, cut to `max_chars` code points ("…" when cut).
std::string first_line(std::string_view s, std::size_t max_chars);

// A raw format as messages name it: HTML, LaTeX or as Pandoc wrote it.
std::string format_name(std::string_view f);

// An HTML comment (`<!-- … -->`), which is dropped without a word.
bool is_html_comment(std::string_view format, std::string_view t);

// Adjacent Text inlines are one word: join them (after quotes and flattened
// spans), so later stages see whole words.
void merge_texts(doc::Inlines& v);

doc::Inline make_text(std::string t);
doc::Inline make_kind(doc::InlineKind k);

}  // namespace cp::content::detail
