// The document tree → an accessible, standalone HTML page through Pandoc:
//
//   pandoc -f json -t html5 --standalone --sandbox --wrap=none   (JSON AST on stdin)
//
// The tree is written as Pandoc's JSON AST (pandoc-api-version 1.22, Pandoc
// 2.11–2.19). The page has `lang`, a title that is its only h1 (headings of
// the blocks are moved one level down), a small embedded style sheet, and
// refers to nothing outside itself: images are embedded as data: URIs or
// left out (their caption stays), and Pandoc's IE8 shim comment that names
// a CDN is removed.
#pragma once

#include <chrono>
#include <functional>
#include <string>

#include "content/document.h"
#include "content/process.h"

namespace cp::html {

struct HtmlMeta {
  std::string title;           // <title> and the page's h1
  std::string subtitle;        // optional, under the title
  std::string lang = "sv";
  std::string program = "pandoc";
  std::chrono::milliseconds timeout{30'000};
  // A figure's path as written → the src to use (e.g. a data: URI from
  // image_data_uri); empty = leave the image out and keep its caption.
  std::function<std::string(const std::string& written)> image_source;
};

// Pandoc's JSON AST of a whole page (meta + blocks, headings demoted).
std::string pandoc_json(const doc::Blocks& blocks, const HtmlMeta& meta);

// The standalone HTML5 page; empty with `error` set (one English line) when
// Pandoc fails.
std::string handout_html(const doc::Blocks& blocks, const HtmlMeta& meta, content::ProcessRunner& runner,
                         std::string& error);

// Runs Pandoc from its JSON to HTML5 (a whole page when `standalone`);
// empty with `error` set (one English line) when it fails.
std::string run_pandoc_html(const std::string& input, bool standalone, const std::string& program,
                            std::chrono::milliseconds timeout, content::ProcessRunner& runner, std::string& error);

// Removes Pandoc 2.x's `<!--[if lt IE 9]>…<![endif]-->` shim, which names a CDN.
void remove_ie_shim(std::string& html);

// A PNG or JPEG file as a data: URI; empty when it cannot be read.
std::string image_data_uri(const std::string& path);

}  // namespace cp::html
