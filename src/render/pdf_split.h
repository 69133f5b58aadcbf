// One PDF per page of a PDF, for the certificate files sent by e-mail.
//
// The pages are copied object by object with qpdf: fonts, images and page
// content stay as the renderer compressed them, so splitting costs a copy,
// not a second rendering (no font set-up, no compression). Every file keeps
// the source's document information and /Lang, and its /ID is derived from
// its content, so the same input gives the same bytes.
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

}  // namespace cp::render
