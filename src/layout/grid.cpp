// The grid: column sizing, rows of padded, aligned cells with their rules,
// the header repeated. Markdown tables are turned into grids at the end.
#include "layout/grid.h"

#include <algorithm>
#include <numeric>

#include "layout/flow_internal.h"

namespace cp::layout {

std::vector<double> column_widths(const std::vector<GridColumn>& columns, double width) {
  const std::size_t n = columns.size();
  std::vector<double> widths(n, 0);
  double fixed = 0;
  for (std::size_t c = 0; c < n; ++c)
    if (columns[c].sizing == ColumnSizing::Fixed) {
      widths[c] = columns[c].width;
      fixed += widths[c];
    }
  const double shared = width - fixed;
  for (std::size_t c = 0; c < n; ++c)
    if (columns[c].sizing == ColumnSizing::Share) widths[c] = shared * columns[c].width;
  // Natural columns share what the sized ones leave.
  double left = width;
  double sum_min = 0, sum_max = 0;
  for (std::size_t c = 0; c < n; ++c) {
    if (columns[c].sizing == ColumnSizing::Natural) {
      sum_min += columns[c].min;
      sum_max += columns[c].max;
    } else if (columns[c].sizing != ColumnSizing::Rest) {
      left -= widths[c];
    }
  }
  for (std::size_t c = 0; c < n; ++c) {
    const GridColumn& col = columns[c];
    if (col.sizing != ColumnSizing::Natural) continue;
    if (width <= 0)
      widths[c] = col.max;
    else if (sum_max <= left)
      widths[c] = col.max + (left - sum_max) * col.max / sum_max;
    else if (sum_min >= left)
      widths[c] = left * col.min / sum_min;
    else
      widths[c] = col.min + (col.max - col.min) * ((left - sum_min) / (sum_max - sum_min));
  }
  for (std::size_t c = 0; c < n; ++c) {
    if (columns[c].sizing != ColumnSizing::Rest) continue;
    double rest = width;
    for (std::size_t o = 0; o < n; ++o)
      if (o != c) rest -= widths[o];
    widths[c] = rest;
  }
  return widths;
}

double GridCell::height() const {
  return lines.empty() ? block.height : static_cast<double>(lines.size()) * leading;
}

Grid::Grid(std::vector<double> widths, double width, GridStyle style, std::vector<StructNode>* structure, int parent)
    : widths_(std::move(widths)), style_(std::move(style)), structure_(structure) {
  width_ = width > 0 ? width : std::accumulate(widths_.begin(), widths_.end(), 0.0);
  table_ = add_node("Table", parent);
}

int Grid::add_node(const char* role, int parent) {
  if (!structure_) return -1;
  StructNode n;
  n.role = role;
  n.parent = parent;
  structure_->push_back(std::move(n));
  return static_cast<int>(structure_->size()) - 1;
}

double Grid::content_width(std::size_t col) const { return widths_.at(col) - 2 * style_.pad_x; }

void Grid::header(const CellContent& cell, double min_height, double space_before) {
  head_ = add_node("THead", table_);
  Chunk h = make_row(cell, min_height, true, false, head_);
  h.space_before = space_before;
  header_index_ = static_cast<int>(chunks_.size());
  chunks_.push_back(std::move(h));
  body_ = add_node("TBody", table_);
}

void Grid::row(const CellContent& cell, double min_height, bool total) {
  if (body_ < 0 && structure_) body_ = add_node("TBody", table_);
  Chunk r = make_row(cell, min_height, false, total, body_);
  if (header_index_ >= 0) {
    const auto back = static_cast<int>(chunks_.size()) - header_index_;
    r.repeat_header = -2 - back;
    if (back == 1) r.break_before = false;  // a header row never ends a page alone
  }
  chunks_.push_back(std::move(r));
}

namespace {

void add_rule(Chunk& row, const GridRule& rule, double x1, double y1, double x2, double y2) {
  if (rule.width > 0) row.items.emplace_back(Line{x1, y1, x2, y2, rule.width, rule.color, false});
}

// Lines of a cell in the column from x `width` wide, aligned between its
// paddings, their baselines from the row's top as `placement` says.
void place_lines(Chunk& row, const GridCell& cell, const GridStyle& style, double x, double width, double row_height,
                 LineAlign align, int node) {
  double baseline = 0;  // distance from the row's top
  if (style.placement == CellPlacement::Baseline) {
    baseline = row_height - style.baseline;
  } else {
    const double block = cell.cap + static_cast<double>(cell.lines.size() - 1) * cell.leading;
    baseline = (row_height - block) / 2 + cell.cap;
  }
  for (const auto& line : cell.lines) {
    double at = x + style.pad_x;
    if (align == LineAlign::Right) at = x + width - style.pad_x - line.width;
    if (align == LineAlign::Center) at = x + style.pad_x + (width - 2 * style.pad_x - line.width) / 2;
    for (auto run : line.runs) {
      run.x += at;
      run.y = -baseline;
      if (node >= 0) run.node = node;
      row.items.emplace_back(std::move(run));
    }
    for (auto link : line.links) {
      link.x += at;
      link.y -= baseline;
      row.items.emplace_back(std::move(link));
    }
    baseline += cell.leading;
  }
}

}  // namespace

Chunk Grid::make_row(const CellContent& content, double min_height, bool header, bool total, int group) {
  const std::size_t ncols = widths_.size();
  const int tr = add_node("TR", group);
  std::vector<GridCell> cells;
  std::vector<int> nodes;
  double height = min_height;
  for (std::size_t c = 0; c < ncols; ++c) {
    const bool heads = header || (style_.row_headers && c == 0);
    const int node = add_node(heads ? "TH" : "TD", tr);
    if (node >= 0 && heads) (*structure_)[static_cast<std::size_t>(node)].scope = header ? "Column" : "Row";
    cells.push_back(content(c, node));
    nodes.push_back(node);
    height = std::max(height, cells.back().height() + 2 * style_.pad_y);
  }
  Chunk row;
  row.height = height;
  if (header && style_.fill_header) {
    Rect fill = style_.header_fill;
    fill.x = style_.left;
    fill.y = -height;
    fill.width = width_;
    fill.height = height;
    row.items.emplace_back(fill);
  }
  std::vector<double> xs;
  double x = style_.left;
  for (std::size_t c = 0; c < ncols; ++c) {
    xs.push_back(x);
    GridCell& cell = cells[c];
    if (!cell.lines.empty()) {
      place_lines(row, cell, style_, x, widths_[c], height, c < style_.align.size() ? style_.align[c] : LineAlign::Left, nodes[c]);
    } else {
      cell.block.shift(x + style_.pad_x, -style_.pad_y);
      for (auto& item : cell.block.items) row.items.push_back(std::move(item));
    }
    x += widths_[c];
  }
  const double left = style_.left, right = style_.left + width_;
  for (std::size_t c = 1; c < ncols; ++c) add_rule(row, style_.inner, xs[c], 0, xs[c], -height);
  add_rule(row, style_.outer, left, 0, left, -height);
  add_rule(row, style_.outer, right, 0, right, -height);
  add_rule(row, header ? style_.header_bottom : style_.row_bottom, left, -height, right, -height);
  if (header) add_rule(row, style_.header_top, left, 0, right, 0);
  if (total) add_rule(row, style_.total_top, left, 0, right, 0);
  return row;
}

void place_on_page(Page& page, Chunk chunk, double top) {
  chunk.shift(0, top);
  for (auto& item : chunk.items) page.items.push_back(std::move(item));
}

// ------------------------------------------------------------------ Markdown tables

// Column widths from content: each column gets at least its longest word
// and, when there is room, its natural single-line width.
std::vector<double> Flow::table_columns(const doc::Table& t, std::size_t ncols, double width, double size) {
  std::vector<GridColumn> cols(ncols, GridColumn{ColumnSizing::Natural, 0, 20, 20});
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
          cols[col].min = std::max(cols[col].min, word + 2 * kCellPad);
          word = 0;
          line += natural_width(" ", p.style, fonts_);
        }
      }
      cols[col].min = std::max(cols[col].min, std::min(word + 2 * kCellPad, width / 2));
      cols[col].max = std::max(cols[col].max, line + 2 * kCellPad + 1);
    }
  };
  for (std::size_t c = 0; c < t.header.size(); ++c) measure_cell(t.header[c], c, true);
  for (const auto& r : t.rows)
    for (std::size_t c = 0; c < r.size(); ++c) measure_cell(r[c], c, false);
  return column_widths(cols, width);
}

// Each row an unbreakable chunk: each cell's lines in its column, padded;
// the header row on a tinted background between heavier rules, a rule
// under every row.
std::vector<Chunk> Flow::table_chunks(const doc::Block& b, double width, const Context& ctx) {
  if (!b.table) return {};
  const doc::Table& t = *b.table;
  std::size_t ncols = t.header.size();
  for (const auto& r : t.rows) ncols = std::max(ncols, r.size());
  if (ncols == 0) return {};
  const double size = style_.body_size * 0.92;

  GridStyle gs;
  gs.pad_x = gs.pad_y = kCellPad;
  gs.fill_header = true;
  gs.header_fill = Rect{0, 0, 0, 0, true, Color{0.92, 0.94, 0.97}, false, {}, 0.5};
  gs.header_top = gs.header_bottom = GridRule{0.8, style_.rule};
  gs.row_bottom = GridRule{0.4, style_.rule};
  Grid grid(table_columns(t, ncols, width, size), width, gs, tagged_ ? &structure_ : nullptr, ctx.parent);
  auto cells = [&](const std::vector<doc::TableCell>& row, bool header) {
    return [this, &grid, &ctx, size, header, cells = &row](std::size_t c, int node) {
      GridCell cell;
      if (c >= cells->size()) return cell;
      std::vector<Chunk> parts;
      for (const auto& blk : (*cells)[c].blocks) {
        std::vector<Piece> ps;
        // Cells hold names and short phrases: columns are at least as
        // wide as their longest word, so words are never hyphenated.
        collect_pieces(blk.inlines, size, style_.body, header, false, header ? style_.accent : style_.text, false,
                       "", ps, nullptr, node);
        auto lines = paragraph_chunks(ps, grid.content_width(c), LineAlign::Left, style_.leading * 0.92, true,
                                      ctx.loc);
        for (auto& l : lines) parts.push_back(std::move(l));
      }
      cell.block = stack(parts);
      return cell;
    };
  };
  if (!t.header.empty()) grid.header(cells(t.header, true), 0, style_.paragraph_space + 2);
  for (const auto& r : t.rows) grid.row(cells(r, false));
  std::vector<Chunk> out = grid.take();
  if (!t.caption.empty()) {
    std::vector<Piece> ps;
    collect_pieces(t.caption, size, style_.body, false, true, style_.text, false, "", ps, nullptr,
                   tagged_ ? add_node("Caption", grid.table_node()) : -1);
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
