#include <catch2/catch.hpp>

#include <variant>

#include "layout/grid.h"

using namespace cp::layout;

namespace {

GridColumn natural(double min, double max) { return GridColumn{ColumnSizing::Natural, 0, min, max}; }

// A line of one run `width` wide.
SetLine set_line(const std::string& text, double width) {
  SetLine l;
  GlyphRun r;
  r.text = text;
  r.width = width;
  l.runs.push_back(r);
  l.width = width;
  return l;
}

GridCell lines_cell(std::vector<SetLine> lines, double leading, double cap) {
  GridCell c;
  c.lines = std::move(lines);
  c.leading = leading;
  c.cap = cap;
  return c;
}

std::vector<Line> rules(const Chunk& c) {
  std::vector<Line> out;
  for (const auto& item : c.items)
    if (const auto* l = std::get_if<Line>(&item)) out.push_back(*l);
  return out;
}

std::vector<GlyphRun> runs(const Chunk& c) {
  std::vector<GlyphRun> out;
  for (const auto& item : c.items)
    if (const auto* r = std::get_if<GlyphRun>(&item)) out.push_back(*r);
  return out;
}

}  // namespace

TEST_CASE("fixed, shared and remaining columns fill the table's width", "[layout][grid]") {
  const auto w = column_widths({{ColumnSizing::Fixed, 20, 0, 0},
                                {ColumnSizing::Share, 0.5, 0, 0},
                                {ColumnSizing::Share, 0.25, 0, 0},
                                {ColumnSizing::Rest, 0, 0, 0}},
                               220);
  REQUIRE(w.size() == 4);
  CHECK(w[0] == 20);
  CHECK(w[1] == 100);  // half of what the fixed column leaves
  CHECK(w[2] == 50);
  CHECK(w[3] == 50);  // the rest: 220 - 20 - 100 - 50
}

TEST_CASE("natural columns get their one-line width and share what is over", "[layout][grid]") {
  const auto w = column_widths({natural(10, 30), natural(10, 10)}, 80);
  CHECK(w[0] == Approx(60));  // 30 + 40 * 30/40
  CHECK(w[1] == Approx(20));
}

TEST_CASE("natural columns too wide for one line keep their longest word", "[layout][grid]") {
  // mins 20 + 10 = 30, maxes 100 + 20 = 120, width 60: each min and a third of the rest
  const auto w = column_widths({natural(20, 100), natural(10, 20)}, 60);
  CHECK(w[0] == Approx(20 + 80.0 / 3));
  CHECK(w[1] == Approx(10 + 10.0 / 3));
  // Not even the longest words fit: scaled down.
  const auto narrow = column_widths({natural(20, 100), natural(10, 20)}, 15);
  CHECK(narrow[0] == Approx(10));
  CHECK(narrow[1] == Approx(5));
  // No width given: one line each.
  const auto free = column_widths({natural(20, 100), natural(10, 20)}, 0);
  CHECK(free[0] == 100);
  CHECK(free[1] == 20);
}

TEST_CASE("a grid's rows repeat their header and never leave it alone at a page foot", "[layout][grid]") {
  GridStyle style;
  Grid grid({50, 50}, 0, style);
  auto empty = [](std::size_t, int) { return GridCell{}; };
  grid.header(empty, 10, 6);
  grid.row(empty, 12);
  grid.row(empty, 12);
  const auto chunks = grid.take();
  REQUIRE(chunks.size() == 3);
  CHECK(chunks[0].space_before == 6);
  CHECK(chunks[0].height == 10);
  CHECK(chunks[0].repeat_header == -1);
  CHECK(chunks[1].repeat_header == -3);  // one chunk back
  CHECK_FALSE(chunks[1].break_before);
  CHECK(chunks[2].repeat_header == -4);  // two chunks back
  CHECK(chunks[2].break_before);
}

TEST_CASE("a row is as tall as its tallest cell with padding, at least its minimum", "[layout][grid]") {
  GridStyle style;
  style.pad_y = 2;
  Grid grid({40, 40}, 0, style);
  grid.row([](std::size_t c, int) {
    return c == 0 ? lines_cell({set_line("a", 5), set_line("b", 5), set_line("c", 5)}, 10, 7) : GridCell{};
  }, 20);
  grid.row([](std::size_t, int) { return lines_cell({set_line("a", 5)}, 10, 7); }, 20);
  const auto chunks = grid.take();
  CHECK(chunks[0].height == 34);  // 3 lines of 10 and the padding
  CHECK(chunks[1].height == 20);  // the minimum
}

TEST_CASE("lines are centred on their caps and aligned in their column", "[layout][grid]") {
  GridStyle style;
  style.pad_x = 4;
  style.placement = CellPlacement::CapsCentred;
  style.align = {LineAlign::Right, LineAlign::Left, LineAlign::Center};
  Grid grid({30, 40, 50}, 0, style);
  grid.row([](std::size_t, int) { return lines_cell({set_line("12", 10)}, 12, 7); }, 20);
  const auto r = runs(grid.take()[0]);
  REQUIRE(r.size() == 3);
  CHECK(r[0].x == Approx(4 + 22 - 10));       // right: ends at the padding
  CHECK(r[1].x == Approx(30 + 4));            // left
  CHECK(r[2].x == Approx(70 + 4 + (42 - 10) / 2.0));  // centred
  for (const auto& run : r) CHECK(run.y == Approx(-((20 - 7) / 2.0 + 7)));
}

TEST_CASE("one line on a baseline above the row's bottom", "[layout][grid]") {
  GridStyle style;
  style.pad_y = 0;
  style.placement = CellPlacement::Baseline;
  style.baseline = 3.5;
  Grid grid({30}, 0, style);
  grid.row([](std::size_t, int) { return lines_cell({set_line("x", 5)}, 8, 6); }, 13.5);
  const auto r = runs(grid.take()[0]);
  REQUIRE(r.size() == 1);
  CHECK(r[0].y == Approx(-10));
}

TEST_CASE("rules: header above and below, inner and outer verticals, totals", "[layout][grid]") {
  GridStyle style;
  style.header_top = style.header_bottom = GridRule{0.8, Color{0, 0, 0}};
  style.row_bottom = GridRule{0.4, Color{0.5, 0.5, 0.5}};
  style.total_top = GridRule{0.6, Color{0.4, 0.4, 0.4}};
  style.inner = GridRule{0.3, Color{0.5, 0.5, 0.5}};
  style.outer = GridRule{0.9, Color{0, 0, 0}};
  style.fill_header = true;
  style.header_fill.fill_color = Color{0.9, 0.9, 0.9};
  Grid grid({20, 30}, 0, style);
  auto empty = [](std::size_t, int) { return GridCell{}; };
  grid.header(empty, 10);
  grid.row(empty, 12, true);
  const auto chunks = grid.take();
  const auto& h = chunks[0];
  REQUIRE(std::holds_alternative<Rect>(h.items.front()));
  const auto fill = std::get<Rect>(h.items.front());
  CHECK(fill.y == -10);
  CHECK(fill.width == 50);
  CHECK(fill.height == 10);
  const auto hr = rules(h);
  REQUIRE(hr.size() == 5);  // inner, left, right, below, above
  CHECK(hr[0].x1 == 20);
  CHECK(hr[0].width == 0.3);
  CHECK(hr[1].x1 == 0);
  CHECK(hr[2].x1 == 50);
  CHECK(hr[3].y1 == -10);
  CHECK(hr[3].width == 0.8);
  CHECK(hr[4].y1 == 0);
  const auto br = rules(chunks[1]);
  REQUIRE(br.size() == 5);  // inner, left, right, below, the total's above
  CHECK(br[3].y1 == -12);
  CHECK(br[3].width == 0.4);
  CHECK(br[4].y1 == 0);
  CHECK(br[4].width == 0.6);
}

TEST_CASE("a tagged grid: Table, THead and TBody, header cells scoped", "[layout][grid]") {
  std::vector<StructNode> nodes(1, StructNode{"Document", -1, {}, {}, {}, 1, 1, {}, {}});
  GridStyle style;
  style.row_headers = true;
  Grid grid({20, 30}, 0, style, &nodes, 0);
  std::vector<int> seen;
  auto record = [&](std::size_t, int node) {
    seen.push_back(node);
    return GridCell{};
  };
  grid.header(record);
  grid.row(record);
  std::vector<std::string> roles;
  for (const auto& n : nodes) roles.push_back(n.role);
  CHECK(roles == std::vector<std::string>{"Document", "Table", "THead", "TR", "TH", "TH", "TBody", "TR", "TH", "TD"});
  CHECK(nodes[4].scope == "Column");
  CHECK(nodes[8].scope == "Row");
  CHECK(nodes[9].scope.empty());
  CHECK(nodes[7].parent == 6);
  CHECK(seen == std::vector<int>{4, 5, 8, 9});
  CHECK(grid.table_node() == 1);
}

TEST_CASE("an untagged grid makes no nodes and gives cells none", "[layout][grid]") {
  GridStyle style;
  Grid grid({20}, 0, style);
  int node = 0;
  grid.row([&](std::size_t, int n) {
    node = n;
    return GridCell{};
  });
  CHECK(node == -1);
  CHECK(grid.table_node() == -1);
}

TEST_CASE("place_on_page moves a row down to its place on a page, from the table's left edge", "[layout][grid]") {
  GridStyle style;
  style.row_bottom = GridRule{0.4, Color{0, 0, 0}};
  style.left = 40;
  Grid grid({20}, 0, style);
  grid.row([](std::size_t, int) { return GridCell{}; }, 12);
  Page page;
  place_on_page(page, grid.take()[0], 500);
  REQUIRE(page.items.size() == 1);
  const auto& l = std::get<Line>(page.items[0]);
  CHECK(l.x1 == 40);
  CHECK(l.x2 == 60);
  CHECK(l.y1 == 488);
}

TEST_CASE("a grid's header row starts every page its rows continue on, once added to a flow", "[layout][grid]") {
  cp::fonts::FontSet fonts;
  Flow flow(FlowStyle{}, fonts, nullptr, nullptr);
  flow.set_width(100);
  flow.add_chunk(Chunk{});  // something before the table: the header's index is not 0
  GridStyle style;
  style.fill_header = true;
  Grid grid({100}, 0, style);
  auto empty = [](std::size_t, int) { return GridCell{}; };
  grid.header(empty, 20);
  for (int r = 0; r < 20; ++r) grid.row(empty, 30);
  for (auto& c : grid.take()) flow.add_chunk(std::move(c));
  const TextArea area{0, 0, 100, 200};
  const Flowed flowed = flow.paginate(area, 100, 200);
  REQUIRE(flowed.pages.size() > 2);
  for (const auto& page : flowed.pages) {
    std::size_t fills = 0;
    for (const auto& item : page.items)
      if (const auto* r = std::get_if<Rect>(&item)) {
        ++fills;
        CHECK(r->y == Approx(200 - 20));  // at the top of the page
      }
    CHECK(fills == 1);
  }
}
