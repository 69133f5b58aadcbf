// A page with every block type through content → layout → trace renderer,
// compared with the checked-in trace. COURSEPACK_UPDATE_GOLDEN=1 rewrites it.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "content/pandoc.h"
#include "core/files.h"
#include "fonts/fonts.h"
#include "layout/flow.h"
#include "layout/hyphenate.h"
#include "render/trace.h"

namespace {

std::string read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

cp::layout::FamilyFonts family(const std::string& name, cp::fonts::FontSet& set) {
  using cp::fonts::Style;
  auto id = [&](Style st) {
    auto path = cp::fonts::find_family(name, st);
    if (!path) path = cp::fonts::find_family(name, Style::Regular);
    REQUIRE(path);
    return set.add(cp::fonts::cached_face(*path));
  };
  return {id(Style::Regular), id(Style::Bold), id(Style::Italic), id(Style::BoldItalic)};
}

}  // namespace

TEST_CASE("a page with every block type matches its golden trace") {
  const std::string dir = GOLDEN_DIR;
  cp::Diagnostics diags;
  cp::content::SystemProcessRunner runner(std::getenv("PATH") ? std::getenv("PATH") : "/usr/bin:/bin");
  cp::content::PandocCache cache;
  const auto mod = cp::content::parse_module("every_block.md", read(dir + "/every_block.md"), runner, cache, diags);
  REQUIRE(mod.status == cp::content::Status::Ok);

  auto fonts = std::make_shared<cp::fonts::FontSet>();
  cp::layout::FlowStyle style;
  style.body = family("Noto Serif", *fonts);
  style.heading = family("Noto Sans", *fonts);
  style.mono = family("Noto Sans Mono", *fonts);
  const auto hyph = cp::layout::Hyphenator::swedish();
  REQUIRE(hyph);
  cp::layout::Flow flow(style, *fonts, hyph.get(), &diags);
  const cp::layout::TextArea area{56.69, 56.69, 481.89, 728.5};
  flow.set_width(area.width);
  flow.add_blocks(mod.module.blocks);
  const auto flowed = flow.paginate(area, 595.28, 841.89);

  cp::layout::Document doc;
  doc.fonts = fonts;
  doc.pages = flowed.pages;
  for (const auto& h : flowed.headings) doc.outline.push_back({h.level - 1, h.title, h.page, h.y});
  const std::string trace = cp::render::render_trace(doc);
  CHECK(diags.error_count() == 0);

  const std::string golden_path = dir + "/every_block.trace";
  if (std::getenv("COURSEPACK_UPDATE_GOLDEN")) {
    std::ofstream(golden_path, std::ios::binary) << trace;
    WARN("rewrote " << golden_path);
  }
  const std::string golden = read(golden_path);
  REQUIRE_FALSE(golden.empty());
  CHECK(trace == golden);
  // Every block type left its mark in the trace.
  CHECK(trace.find("(blocktyper)") != std::string::npos);
  CHECK(trace.find("(Akut)") != std::string::npos);
  CHECK(trace.find("fill=#") != std::string::npos);          // box and table header backgrounds
  CHECK(trace.find("A ") != std::string::npos);              // the link
  CHECK(trace.find("(Fotnoten)") != std::string::npos);      // footnote at the foot
  CHECK(trace.find("(kodblock") != std::string::npos);
}
