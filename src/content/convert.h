// Short Markdown texts (an e-mail's body) → HTML or plain text through
// Pandoc, for messages rather than documents: no AST, no cache.
#pragma once

#include <string>
#include <string_view>

#include "content/process.h"

namespace cp::content {

enum class TextFormat { Html, Plain };

// `pandoc -f markdown-raw_html-raw_tex -t html5|plain --sandbox --wrap=none`
// with the Markdown on stdin. Raw HTML and TeX are dropped, as in modules.
// Returns the output, or sets `error` (one English line) and returns "".
std::string convert_markdown(std::string_view markdown, TextFormat to, ProcessRunner& runner,
                             const std::string& program, std::string& error);

}  // namespace cp::content
