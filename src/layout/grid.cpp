// Tables: columns sized from their cells' widths, rows as unbreakable
// chunks, the header row repeated at the top of a page.
#include "layout/flow.h"

#include <algorithm>
#include <numeric>

#include "layout/flow_internal.h"

namespace cp::layout {

// Column widths from content: each column gets at least its longest word
// and, when there is room, its natural single-line width; extra width is
// shared in proportion to the natural widths.
std::vector<double> Flow::table_columns(const doc::Table& t, std::size_t ncols, double width, double size) {
  std::vector<double> min_w(ncols, 20), max_w(ncols, 20);
  auto measure_cell = [&](const doc::TableCell& cell, std::size_t col, bool bold) {
    for (const auto& blk : cell.blocks) {
      std::vector<Piece> ps;
      collect_pieces(blk.inlines, size, style_.body, bold, false, style_.text, false, "", ps, nullptr);
      double line = 0, word = 0;
      for (const auto& p : ps) {
        if (p.kind == PieceKind::Text || p.kind == PieceKind::NbSpace) {
          const double w = natural_width(p.text, p.style, fonts_);
          word += w;
          line += w;
        } else {
          min_w[col] = std::max(min_w[col], word + 2 * kCellPad);
          word = 0;
          line += natural_width(" ", p.style, fonts_);
        }
      }
      min_w[col] = std::max(min_w[col], std::min(word + 2 * kCellPad, width / 2));
      max_w[col] = std::max(max_w[col], line + 2 * kCellPad + 1);
    }
  };
  for (std::size_t c = 0; c < t.header.size(); ++c) measure_cell(t.header[c], c, true);
  for (const auto& r : t.rows)
    for (std::size_t c = 0; c < r.size(); ++c) measure_cell(r[c], c, false);
  std::vector<double> widths(ncols);
  const double sum_max = std::accumulate(max_w.begin(), max_w.end(), 0.0);
  const double sum_min = std::accumulate(min_w.begin(), min_w.end(), 0.0);
  if (sum_max <= width) {
    for (std::size_t c = 0; c < ncols; ++c) widths[c] = max_w[c] + (width - sum_max) * max_w[c] / sum_max;
  } else if (sum_min >= width) {
    for (std::size_t c = 0; c < ncols; ++c) widths[c] = width * min_w[c] / sum_min;
  } else {
    const double ratio = (width - sum_min) / (sum_max - sum_min);
    for (std::size_t c = 0; c < ncols; ++c) widths[c] = min_w[c] + (max_w[c] - min_w[c]) * ratio;
  }
  return widths;
}

// One row as an unbreakable chunk: each cell's lines in its column, padded;
// the header row on a tinted background. A rule under every row. In a
// tagged flow the row is a TR of `group` (THead or TBody) with a TH (a
// column header) or TD for every column, empty ones too.
Chunk Flow::table_row(const std::vector<doc::TableCell>& cells, const std::vector<double>& widths, double width,
                      double size, bool header, const Context& ctx, int group) {
  const std::size_t ncols = widths.size();
  Chunk row;
  double x = 0, height = 0;
  std::vector<Chunk> cell_chunks;
  const int tr = tagged_ ? add_node("TR", group) : -1;
  for (std::size_t c = 0; c < ncols; ++c) {
    Chunk cell;
    int cell_node = -1;
    if (tagged_) {
      cell_node = add_node(header ? "TH" : "TD", tr);
      if (header) node(cell_node).scope = "Column";
    }
    if (c < cells.size()) {
      std::vector<Chunk> parts;
      for (const auto& blk : cells[c].blocks) {
        std::vector<Piece> ps;
        // Cells hold names and short phrases: columns are at least as
        // wide as their longest word, so words are never hyphenated.
        collect_pieces(blk.inlines, size, style_.body, header, false, header ? style_.accent : style_.text, false,
                       "", ps, nullptr, cell_node);
        auto lines = paragraph_chunks(ps, widths[c] - 2 * kCellPad, LineAlign::Left, style_.leading * 0.92, true,
                                      ctx.loc);
        for (auto& l : lines) parts.push_back(std::move(l));
      }
      cell = stack(parts);
    }
    cell.shift(x + kCellPad, -kCellPad);
    height = std::max(height, cell.height + 2 * kCellPad);
    x += widths[c];
    cell_chunks.push_back(std::move(cell));
  }
  row.height = height;
  if (header) row.items.emplace_back(Rect{0, -height, width, height, true, Color{0.92, 0.94, 0.97}, false, {}, 0.5});
  for (auto& cc : cell_chunks)
    for (auto& item : cc.items) row.items.push_back(std::move(item));
  row.items.emplace_back(Line{0, -height, width, -height, header ? 0.8 : 0.4, style_.rule, false});
  return row;
}

std::vector<Chunk> Flow::table_chunks(const doc::Block& b, double width, const Context& ctx) {
  std::vector<Chunk> out;
  if (!b.table) return out;
  const doc::Table& t = *b.table;
  std::size_t ncols = t.header.size();
  for (const auto& r : t.rows) ncols = std::max(ncols, r.size());
  if (ncols == 0) return out;
  const double size = style_.body_size * 0.92;

  const std::vector<double> widths = table_columns(t, ncols, width, size);
  const int table = tagged_ ? add_node("Table", ctx.parent) : -1;

  int header_index = -1;
  if (!t.header.empty()) {
    Chunk h = table_row(t.header, widths, width, size, true, ctx, tagged_ ? add_node("THead", table) : -1);
    h.space_before = style_.paragraph_space + 2;
    // The header also has a rule on top.
    h.items.emplace_back(Line{0, 0, width, 0, 0.8, style_.rule, false});
    out.push_back(std::move(h));
    header_index = 0;
  }
  const int body = tagged_ ? add_node("TBody", table) : -1;
  for (std::size_t r = 0; r < t.rows.size(); ++r) {
    Chunk c = table_row(t.rows[r], widths, width, size, false, ctx, body);
    if (header_index >= 0 && r == 0) c.break_before = false;
    out.push_back(std::move(c));
  }
  // Indexes are fixed up when the chunks are appended to the flow.
  if (header_index >= 0)
    for (std::size_t i = 1; i < out.size(); ++i) out[i].repeat_header = -2 - static_cast<int>(i);
  if (!t.caption.empty()) {
    std::vector<Piece> ps;
    collect_pieces(t.caption, size, style_.body, false, true, style_.text, false, "", ps, nullptr,
                   tagged_ ? add_node("Caption", table) : -1);
    auto cap = paragraph_chunks(ps, width, LineAlign::Left, style_.leading, true, ctx.loc);
    if (!cap.empty()) {
      cap.front().break_before = false;
      cap.front().space_before = 3;
    }
    for (auto& c : cap) out.push_back(std::move(c));
  }
  return out;
}

}  // namespace cp::layout
