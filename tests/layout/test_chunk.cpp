#include <catch2/catch.hpp>

#include <variant>

#include "layout/flow.h"

using cp::layout::Chunk;
using cp::layout::GlyphRun;
using cp::layout::Line;

namespace {

Chunk line_chunk(double height, double baseline, double space_before = 0) {
  Chunk c;
  c.height = height;
  c.first_baseline = baseline;
  c.space_before = space_before;
  GlyphRun r;
  r.x = 2;
  r.y = -baseline;
  r.text = "x";
  c.items.emplace_back(r);
  return c;
}

}  // namespace

TEST_CASE("stack puts each part below the one before, moved right", "[layout][chunk]") {
  Chunk first = line_chunk(12, 9);
  first.notes.push_back(line_chunk(8, 6));
  const Chunk out = cp::layout::stack({first, line_chunk(14, 10, 3), line_chunk(12, 9)}, 5);
  CHECK(out.height == 12 + 3 + 14 + 12);  // the space before the second part counts, none before the first
  CHECK(out.first_baseline == 9);
  REQUIRE(out.items.size() == 3);
  const auto& a = std::get<GlyphRun>(out.items[0]);
  const auto& b = std::get<GlyphRun>(out.items[1]);
  const auto& c = std::get<GlyphRun>(out.items[2]);
  CHECK(a.x == 7);
  CHECK(a.y == -9);
  CHECK(b.x == 7);
  CHECK(b.y == -(12 + 3 + 10));
  CHECK(c.y == -(12 + 3 + 14 + 9));
  CHECK(out.notes.size() == 1);
}

TEST_CASE("shift_item moves both ends of a line and the corner of anything else", "[layout][chunk]") {
  cp::layout::Item line = Line{1, 2, 3, 4, 0.5, {}, false};
  cp::layout::shift_item(line, 10, -1);
  const auto& l = std::get<Line>(line);
  CHECK(l.x1 == 11);
  CHECK(l.x2 == 13);
  CHECK(l.y1 == 1);
  CHECK(l.y2 == 3);
  CHECK(cp::layout::stack({}).height == 0);
}
