// Running command-line tools from tests (pdftotext, pdfinfo, pdffonts,
// qpdf, pdftoppm, zbarimg).
#pragma once

#include <string>

namespace cp::test {

struct Command {
  int status = -1;  // exit status; -1 when the command did not exit normally
  std::string out;  // its standard output
  std::string err;  // its standard error (empty when the command redirects it)
};

// Runs `command` through /bin/sh (arguments already quoted with quote()),
// standard output and standard error captured separately. Redirections
// inside the command (`2>/dev/null`, `2>&1`) apply as written.
Command run(const std::string& command);

// `s` as one single-quoted shell word.
std::string quote(const std::string& s);

}  // namespace cp::test
