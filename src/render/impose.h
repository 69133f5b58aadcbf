// Booklet imposition: the pages of an A5 document two-up on A4 landscape
// sheets in saddle-stitch order, so that the printed sheets, stacked,
// folded once and stapled in the fold, read in order.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "render/archive.h"

namespace cp::render {

// One side of a printed sheet: the page on its left half and on its right
// half, 0-based; -1 is a blank page (padding).
struct BookletSide {
  int left = -1;
  int right = -1;
  bool operator==(const BookletSide&) const = default;
};

// The sides to print, front and back of each sheet in turn, for a
// document of `pages` pages padded with blank pages at its end to a
// multiple of four. 0 pages: no sides.
std::vector<BookletSide> booklet_order(int pages);

}  // namespace cp::render

namespace cp::render {

struct BookletResult {
  bool ok = false;
  std::string pdf;    // when ok
  std::string error;  // one English line when !ok
};

// `pdf`'s pages imposed two-up on sheets of sheet_width × sheet_height
// points (A4 landscape: 841.890 × 595.276) in booklet_order: each page is
// drawn once per side it is on, as a form XObject stored once, at its own
// size (a page larger than half a sheet is scaled down, a smaller one
// centred, never enlarged). The same input gives the same bytes.
// The renderer's own files are imposed directly (see print_file), any
// other PDF through qpdf; both give a tagged file's booklet the same
// structure: a Sect titled with the file's title, a Figure per half.
BookletResult impose_booklet(const std::string& pdf, double sheet_width = 841.890, double sheet_height = 595.276);

// The two ways impose_booklet can take, for tests: the direct one refuses
// (nullopt) a file it does not read; qpdf reads any PDF.
std::optional<BookletResult> impose_booklet_direct(const std::string& pdf, double sheet_width = 841.890,
                                                   double sheet_height = 595.276);
BookletResult impose_booklet_qpdf(const std::string& pdf, double sheet_width = 841.890, double sheet_height = 595.276);

}  // namespace cp::render

namespace cp::render {

// One part of a print file: a PDF and how many copies of it to print.
struct PrintPart {
  const std::string* pdf = nullptr;
  int copies = 1;
  bool each_page_a_copy = false;  // e.g. certificates.pdf: one copy per page, each page once
};

struct PrintFileResult {
  bool ok = false;
  std::string pdf;
  std::string error;
  int pages = 0;   // pages of the print file, blanks included
  int blanks = 0;  // blank pages added so that each copy starts on a new sheet
};

// Every part's copies one after the other, each copy starting on a new
// sheet when printed on both sides (a blank page after a copy of an odd
// number of pages). A page printed many times is stored once (a form
// XObject that each of its copies draws), so the file stays near the size
// of its parts. The same input gives the same bytes.
// The file states `info` (its /Info and XMP) and keeps the first part's
// language and archival metadata (render/archive.h). The renderer's own
// files are copied directly (their streams as they are; a tagged file's
// content without its marked content, compressed again once); any other
// PDF goes through qpdf. Both ways give a print file of tagged parts the
// same structure: a Sect per part, a Figure per page.
PrintFileResult print_file(const std::vector<PrintPart>& parts, const DocumentInfo& info);

// The two ways print_file can take, for tests: the direct one refuses
// (nullopt) a part it does not read; qpdf reads any PDF.
std::optional<PrintFileResult> print_file_direct(const std::vector<PrintPart>& parts, const DocumentInfo& info);
PrintFileResult print_file_qpdf(const std::vector<PrintPart>& parts, const DocumentInfo& info);

}  // namespace cp::render
