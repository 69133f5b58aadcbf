// Module text through content → layout → trace renderer, compared with the
// checked-in traces: a page with every block type, and small pages that
// break: a table whose header row repeats, footnotes at the page feet, a
// heading kept with its text, a box split between pages; and the
// handout's contents page; and the structure tree of a tagged handout
// (pdfinfo -struct-text, handout.struct).
// COURSEPACK_UPDATE_GOLDEN=1 rewrites them.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "content/pandoc.h"
#include "documents/handout.h"
#include "documents/fixtures.h"
#include "core/files.h"
#include "fonts/fonts.h"
#include "layout/flow.h"
#include "layout/hyphenate.h"
#include "render/pdf.h"
#include "render/trace.h"
#include "support/command.h"
#include "support/requirements.h"
#include "support/temp_dir.h"

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

struct Traced {
  std::string trace;
  cp::layout::Flowed flowed;
};

// `name`.md flowed into `area` on pages of page_width × page_height, as a
// trace; compared with (or, with COURSEPACK_UPDATE_GOLDEN, written to)
// `name`.trace.
Traced trace_of(const std::string& name, const cp::layout::TextArea& area, double page_width, double page_height) {
  const std::string dir = GOLDEN_DIR;
  cp::Diagnostics diags;
  cp::content::SystemProcessRunner runner(std::getenv("PATH") ? std::getenv("PATH") : "/usr/bin:/bin");
  cp::content::PandocCache cache;
  const auto mod = cp::content::parse_module(name + ".md", read(dir + "/" + name + ".md"), runner, cache, diags);
  REQUIRE(mod.status == cp::content::Status::Ok);

  auto fonts = std::make_shared<cp::fonts::FontSet>();
  cp::layout::FlowStyle style;
  style.body = family("Noto Serif", *fonts);
  style.heading = family("Noto Sans", *fonts);
  style.mono = family("Noto Sans Mono", *fonts);
  const auto hyph = cp::layout::Hyphenator::swedish();
  REQUIRE(hyph);
  cp::layout::Flow flow(style, *fonts, hyph.get(), &diags);
  flow.set_width(area.width);
  flow.add_blocks(mod.module.blocks);
  Traced out;
  out.flowed = flow.paginate(area, page_width, page_height);

  cp::layout::Document doc;
  doc.fonts = fonts;
  doc.pages = out.flowed.pages;
  for (const auto& h : out.flowed.headings) doc.outline.push_back({h.level - 1, h.title, h.page, h.y});
  out.trace = cp::render::render_trace(doc);
  CHECK(diags.error_count() == 0);
  CHECK(diags.warning_count() == 0);

  const std::string golden_path = dir + "/" + name + ".trace";
  if (std::getenv("COURSEPACK_UPDATE_GOLDEN")) {
    std::ofstream(golden_path, std::ios::binary) << out.trace;
    WARN("rewrote " << golden_path);
  }
  const std::string golden = read(golden_path);
  REQUIRE_FALSE(golden.empty());
  CHECK(out.trace == golden);
  return out;
}

// The trace of page `n` (1-based): from its "page n" line to the next.
std::string page_of(const std::string& trace, int n) {
  const std::string head = "page " + std::to_string(n) + " ";
  const auto start = trace.find(head);
  if (start == std::string::npos) return {};
  const auto end = trace.find("\npage ", start + 1);
  return trace.substr(start, end == std::string::npos ? std::string::npos : end + 1 - start);
}

// The baselines (y) of the text runs reading `word` on a page's trace.
std::vector<double> baselines_of(const std::string& page, const std::string& word) {
  std::vector<double> ys;
  std::istringstream lines(page);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("T ", 0) != 0 || line.find("(" + word + ")") == std::string::npos) continue;
    std::istringstream fields(line.substr(2));
    double x = 0, y = 0;
    fields >> x >> y;
    ys.push_back(y);
  }
  return ys;
}

// A small page that breaks soon: A6 wide, `height` high, 1.5 cm margins.
Traced small_pages(const std::string& name, double height) {
  constexpr double kWidth = 297.64, kMargin = 42.52;
  return trace_of(name, {kMargin, kMargin, kWidth - 2 * kMargin, height - 2 * kMargin}, kWidth, height);
}

// The sample programme's first visit's handout of `modules`.
cp::documents::HandoutInput handout_input(const cp::model::Programme& p, std::vector<cp::doc::Module> modules,
                                          const cp::layout::Hyphenator& hyph) {
  cp::documents::HandoutInput in;
  in.programme = &p;
  in.municipality = &p.municipalities.front();
  in.visit = &p.municipalities.front().visits.front();
  in.course = &cp::test::sample_course(p);
  in.modules = std::move(modules);
  in.hyphenator = &hyph;
  return in;
}

}  // namespace

TEST_CASE("a page with every block type matches its golden trace") {
  const std::string trace = trace_of("every_block", {56.69, 56.69, 481.89, 728.5}, 595.28, 841.89).trace;
  // Every block type left its mark in the trace.
  CHECK(trace.find("(blocktyper)") != std::string::npos);
  CHECK(trace.find("(Akut)") != std::string::npos);
  CHECK(trace.find("fill=#") != std::string::npos);          // box and table header backgrounds
  CHECK(trace.find("A ") != std::string::npos);              // the link
  CHECK(trace.find("(Fotnoten)") != std::string::npos);      // footnote at the foot
  CHECK(trace.find("(kodblock") != std::string::npos);
}

TEST_CASE("a table longer than a page repeats its header row on the next page") {
  const Traced t = small_pages("table_repeat", 420);
  REQUIRE(t.flowed.pages.size() == 2);
  const std::string p1 = page_of(t.trace, 1), p2 = page_of(t.trace, 2);
  CHECK(baselines_of(p1, "Kommun").size() == 1);
  CHECK(baselines_of(p2, "Kommun").size() == 1);  // the header, again, at the top
  CHECK(baselines_of(p2, "Kontaktlista").empty());
  CHECK(baselines_of(p2, "Värnamo").size() == 1);
  // The repeated header is above every row of the page.
  const double header = baselines_of(p2, "Kommun").front();
  for (double y : baselines_of(p2, "Värnamo")) CHECK(y < header);
}

TEST_CASE("footnotes are set at the foot of the page that refers to them") {
  const Traced t = small_pages("footnotes", 260);
  REQUIRE(t.flowed.pages.size() >= 2);
  const std::string p1 = page_of(t.trace, 1), last = page_of(t.trace, static_cast<int>(t.flowed.pages.size()));
  // "Se socialtjänstlagen" (note a) on page 1, below its text; note c on the last page.
  REQUIRE(baselines_of(p1, "Se").size() == 1);
  for (double y : baselines_of(p1, "Socialtjänsten")) CHECK(baselines_of(p1, "Se").front() < y);
  CHECK(baselines_of(last, "Nationella").size() == 1);
  CHECK(baselines_of(p1, "Nationella").empty());
}

TEST_CASE("a heading at the foot of a page moves to the next page with its text") {
  const Traced t = small_pages("keep_heading", 410);
  REQUIRE(t.flowed.pages.size() == 2);
  const std::string p1 = page_of(t.trace, 1), p2 = page_of(t.trace, 2);
  // Page 1 ends with the paragraph before the heading, with room left for
  // the heading alone (a 14 pt line and its space) but not for it and the
  // two lines of its paragraph, which are never parted.
  REQUIRE(baselines_of(p1, "anonymt.").size() == 1);
  const double room = baselines_of(p1, "anonymt.").front() - 42.52;
  CHECK(room > 40);
  CHECK(room < 70);
  CHECK(baselines_of(p1, "längst").empty());
  CHECK(baselines_of(p2, "Stödtelefonen").empty());
  REQUIRE(baselines_of(p2, "längst").size() == 1);
  CHECK(baselines_of(p2, "Rubriken").size() == 1);
}

TEST_CASE("a box longer than the room left is split between pages, drawn on both") {
  const Traced t = small_pages("box_split", 310);
  REQUIRE(t.flowed.pages.size() == 2);
  const std::string p1 = page_of(t.trace, 1), p2 = page_of(t.trace, 2);
  CHECK(p1.find("fill=#e6f2fc") != std::string::npos);
  CHECK(p2.find("fill=#e6f2fc") != std::string::npos);  // the box goes on
  CHECK(baselines_of(p2, "Texten").size() == 1);
}

TEST_CASE("the handout's contents page lists every heading with the page it is on") {
  const std::string dir = GOLDEN_DIR;
  cp::Diagnostics diags;
  cp::content::SystemProcessRunner runner(std::getenv("PATH") ? std::getenv("PATH") : "/usr/bin:/bin");
  cp::content::PandocCache cache;
  const auto mod = cp::content::parse_module("contents.md", read(dir + "/contents.md"), runner, cache, diags);
  REQUIRE(mod.status == cp::content::Status::Ok);
  const cp::model::Programme p = cp::test::sample_programme();
  const auto hyph = cp::layout::Hyphenator::swedish();
  REQUIRE(hyph);
  // A module that starts a new page each time.
  const auto in = handout_input(p, {mod.module, mod.module}, *hyph);
  const cp::layout::Document handout = cp::documents::compose_handout(in, diags);
  CHECK(diags.error_count() == 0);
  REQUIRE(handout.pages.size() > 3);

  cp::layout::Document contents;  // the contents page alone (the cover shows the build's date)
  contents.fonts = handout.fonts;
  contents.pages = {handout.pages[1]};
  const std::string trace = cp::render::render_trace(contents);
  const std::string golden_path = dir + "/contents.trace";
  if (std::getenv("COURSEPACK_UPDATE_GOLDEN")) {
    std::ofstream(golden_path, std::ios::binary) << trace;
    WARN("rewrote " << golden_path);
  }
  CHECK(trace == read(golden_path));
  // Each heading of the outline is listed with its page number (1-based),
  // the contents page being page 2.
  for (const auto& entry : handout.outline) {
    if (entry.title == "Innehåll") continue;
    INFO(entry.title);
    const std::string first_word = entry.title.substr(0, entry.title.find(' '));
    CHECK_FALSE(baselines_of(trace, first_word).empty());
    CHECK_FALSE(baselines_of(trace, std::to_string(entry.page + 1)).empty());
  }
}

TEST_CASE("the tagged handout's structure tree matches its golden dump, and poppler reads it without complaint") {
  REQUIRE(cp::test::require_tool("pdfinfo"));
  REQUIRE(cp::test::require_tool("pdftotext"));
  const std::string dir = GOLDEN_DIR;
  cp::Diagnostics diags;
  cp::content::SystemProcessRunner runner(std::getenv("PATH") ? std::getenv("PATH") : "/usr/bin:/bin");
  cp::content::PandocCache cache;
  const auto every = cp::content::parse_module("every_block.md", read(dir + "/every_block.md"), runner, cache, diags);
  const auto notes = cp::content::parse_module("footnotes.md", read(dir + "/footnotes.md"), runner, cache, diags);
  REQUIRE(every.status == cp::content::Status::Ok);
  REQUIRE(notes.status == cp::content::Status::Ok);
  const cp::model::Programme p = cp::test::sample_programme();
  const auto hyph = cp::layout::Hyphenator::swedish();
  REQUIRE(hyph);
  const auto in = handout_input(p, {every.module, notes.module}, *hyph);
  const cp::layout::Document handout = cp::documents::compose_handout(in, diags);
  CHECK(diags.error_count() == 0);
  REQUIRE_FALSE(handout.structure.empty());
  cp::render::PdfOptions options;
  options.creation_time = 1790000000;
  const auto pdf = cp::render::render_pdf(handout, options);
  INFO(pdf.error);
  REQUIRE(pdf.ok);
  const auto path = cp::test::make_temp_dir("golden-struct") / "handout.pdf";
  cp::test::write_file(path, pdf.bytes);

  const auto info = cp::test::run("pdfinfo " + cp::test::quote(path.string()));
  CHECK(info.status == 0);
  CHECK(info.out.find("Tagged:          yes\n") != std::string::npos);
  const auto tree = cp::test::run("pdfinfo -struct-text " + cp::test::quote(path.string()));
  REQUIRE(tree.status == 0);
  const auto text = cp::test::run("pdftotext " + cp::test::quote(path.string()) + " -");
  REQUIRE(text.status == 0);
  for (const auto* command : {&info, &tree, &text}) {
    INFO(command->err);
    CHECK(command->err.find("Syntax Warning") == std::string::npos);
    CHECK(command->err.find("Syntax Error") == std::string::npos);
  }
  // The annotations' object numbers are left out: they change with any
  // object added before them and say nothing about the structure.
  std::string dump;
  std::istringstream lines(tree.out);
  for (std::string line; std::getline(lines, line);) {
    const auto at = line.find("Object ");
    if (at != std::string::npos && line.find_first_not_of(' ') == at) line = line.substr(0, at) + "Object";
    dump += line + "\n";
  }
  const std::string golden_path = dir + "/handout.struct";
  if (std::getenv("COURSEPACK_UPDATE_GOLDEN")) {
    std::ofstream(golden_path, std::ios::binary) << dump;
    WARN("rewrote " << golden_path);
  }
  CHECK(dump == read(golden_path));
}
