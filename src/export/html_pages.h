// handout.html of many packs for the cost of converting what differs.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "content/document.h"
#include "content/process.h"
#include "core/cache_store.h"
#include "export/html.h"

namespace cp::html {

// Many pages, as handout_html would write each, for the cost of converting
// what differs between them. A course's blocks are the same in every
// municipality's page but where a placeholder was filled, so each distinct
// top-level block (and each title, subtitle and page template) is converted
// once, in a few Pandoc runs for all pages together, and kept in one file
// of `cache` (out/.cache/html, pack::cache_folder) by the SHA-256 of what Pandoc was given: a later build
// converts only blocks it has not seen. Footnotes are written as a block of
// their own at the end of the page, so a block's HTML does not depend on
// the blocks around it.
//
//   HtmlPages pages(version, cache, runner, "pandoc");
//   for (each page) id = pages.add(blocks, meta);   // note what is needed
//   pages.convert(threads, error);                  // Pandoc, for what is new
//   html = pages.page(id, error);                   // assemble (any thread)
class HtmlPages {
 public:
  HtmlPages(const std::string& tool_version, std::shared_ptr<CacheStore> cache, content::ProcessRunner& runner,
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
  // Parts (blocks, titles, page templates) converted by Pandoc so far
  // (cache hits not counted).
  std::size_t converted() const;
  // The page; empty with `error` when it is not converted.
  std::string page(std::size_t id, std::string& error) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace cp::html
