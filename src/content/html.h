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
#include <filesystem>
#include <memory>
#include <functional>
#include <string>

#include "content/document.h"
#include "content/process.h"

namespace cp::content {

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
std::string handout_html(const doc::Blocks& blocks, const HtmlMeta& meta, ProcessRunner& runner, std::string& error);

// Many pages, as handout_html would write each, for the cost of converting
// what differs between them. A course's blocks are the same in every
// municipality's page but where a placeholder was filled, so each distinct
// top-level block (and each title, subtitle and page template) is converted
// once, in a few Pandoc runs for all pages together, and kept in one file
// in `cache_dir` by the SHA-256 of what Pandoc was given: a later build
// converts only blocks it has not seen. Footnotes are written as a block of
// their own at the end of the page, so a block's HTML does not depend on
// the blocks around it.
//
//   HtmlPages pages(version, dir, runner, "pandoc");
//   for (each page) id = pages.add(blocks, meta);   // note what is needed
//   pages.convert(threads, error);                  // Pandoc, for what is new
//   html = pages.page(id, error);                   // assemble (any thread)
class HtmlPages {
 public:
  HtmlPages(const std::string& tool_version, std::filesystem::path cache_dir, ProcessRunner& runner,
            std::string program, std::chrono::milliseconds timeout = std::chrono::milliseconds{120'000});
  ~HtmlPages();
  HtmlPages(const HtmlPages&) = delete;
  HtmlPages& operator=(const HtmlPages&) = delete;

  // Notes a page; its id for page(). `meta.program` and `meta.timeout` are
  // the constructor's here. Safe from several threads at once.
  std::size_t add(const doc::Blocks& blocks, const HtmlMeta& meta);
  // Converts what add() noted and the cache lacks, with up to `threads`
  // Pandoc processes at once. False with `error` (one English line) when
  // Pandoc fails.
  bool convert(unsigned threads, std::string& error);
  // Items converted by Pandoc so far (cache hits not counted).
  std::size_t converted() const;
  // The page; empty with `error` when it is not converted.
  std::string page(std::size_t id, std::string& error) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// A PNG or JPEG file as a data: URI; empty when it cannot be read.
std::string image_data_uri(const std::string& path);

}  // namespace cp::content
