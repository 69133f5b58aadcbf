// Rendering composed documents to PDF files and reading them back with the
// real tools: pdftotext (text and word boxes), pdfinfo, pdftoppm + zbarimg
// (run with support/command.h).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "frame/frame.h"
#include "support/command.h"
#include "support/temp_dir.h"

namespace cp::test {

// A private temporary folder, removed at exit. When COURSEPACK_TEST_KEEP
// names a folder, the PDFs are written there instead and kept (for looking
// at them).
std::filesystem::path output_dir();

// Renders `doc` to output_dir()/name; REQUIREs success.
std::filesystem::path write_pdf(const layout::Document& doc, const std::string& name);

// pdftotext -enc UTF-8 of one page (1-based) or, with page 0, of all.
std::string pdf_text(const std::filesystem::path& pdf, int page = 0);
std::string pdf_info(const std::filesystem::path& pdf);

// A word from pdftotext -bbox-layout: page 1-based, coordinates in points
// from the page's top-left corner, y down.
struct Word {
  int page = 0;
  double x_min = 0, y_min = 0, x_max = 0, y_max = 0;
  std::string text;
};
std::vector<Word> pdf_words(const std::filesystem::path& pdf);

// The text of a table column, from word boxes: on every page, the words
// below the header word `header` whose left edge lies between it and the
// header word `next_header`, down to the last row number (digits left of
// the column) plus `row_below`, in reading order (page, line, x), joined by
// single spaces. Robust where pdftotext's reading order interleaves wrapped
// cells of neighbouring columns.
std::string table_column(const std::vector<Word>& words, const std::string& header, const std::string& next_header,
                         double row_below);

// The QR codes zbarimg finds on a 300 dpi render of `page` (1-based).
std::vector<std::string> qr_codes(const std::filesystem::path& pdf, int page);

// Whitespace runs to single spaces, trimmed.
std::string squeeze(const std::string& s);
// Non-overlapping occurrences of `needle` in `hay`.
std::size_t count(const std::string& hay, const std::string& needle);

}  // namespace cp::test
