// One PDF per page of a PDF, for the certificate files sent by e-mail.
//
// The pages are copied object by object: fonts, images and page content
// stay as the renderer compressed them, so splitting costs a copy, not a
// second rendering (no font set-up, no compression). Every file keeps the
// source's document information, /Lang and archival metadata (XMP, output
// intent) and gets an /ID of its own from its bytes; the same input gives
// the same bytes.
//
// The renderer's own files (one classic cross-reference table, a flat page
// tree) are split directly: only the objects a page reaches are copied and
// renumbered, stream data untouched. Any other PDF, or a page that reaches
// another page, goes through qpdf.
#pragma once

#include <string>
#include <vector>

namespace cp::render {

struct SplitResult {
  bool ok = false;
  std::vector<std::string> pages;  // one complete PDF per page, in order, when ok
  std::string error;               // one English line when !ok
};

SplitResult split_pages(const std::string& pdf);

// The two ways split_pages can take, for tests: the direct one refuses
// (ok false) what it does not read; qpdf reads any PDF.
SplitResult split_pages_direct(const std::string& pdf);
SplitResult split_pages_qpdf(const std::string& pdf);

}  // namespace cp::render
