// Tables of every kind (a module's Markdown tables, the attendance sheet,
// the report's tables): columns sized one way, cells padded and aligned
// one way, rules drawn one way, each row an unbreakable chunk and the
// header row repeated at the top of every page its body continues on.
//
// A table's structure (tagged documents) is made here too: Table > THead >
// TR > TH (scope Column) for the header row, TBody > TR > TD (or TH, scope
// Row, in a first column that heads its rows) for the body.
#pragma once

#include <cstddef>
#include <functional>
#include <vector>

#include "frame/frame.h"
#include "layout/flow.h"
#include "layout/paragraph.h"

namespace cp::layout {

enum class ColumnSizing {
  Fixed,    // `width` points
  Share,    // the fraction `width` of what the Fixed columns leave
  Rest,     // what the other columns leave
  Natural,  // from its content's widths `min` (longest word) and `max` (one line), padding included
};

struct GridColumn {
  ColumnSizing sizing = ColumnSizing::Natural;
  double width = 0;
  double min = 0, max = 0;
};

// The columns' widths in a table `width` wide. Natural columns share what
// the others leave: each its one-line width when they all fit (what is over
// shared in proportion to those widths), their longest words scaled down
// when not even those fit, else each its longest word and the same
// fraction of the rest. With `width` 0 natural columns are their one-line
// width.
std::vector<double> column_widths(const std::vector<GridColumn>& columns, double width);

// A rule: drawn when its width is above 0.
struct GridRule {
  double width = 0;
  Color color;
};

// How a cell's text stands in its row.
enum class CellPlacement {
  Top,         // the block from the top padding down
  CapsCentred, // the lines centred between the caps of the first and the baseline of the last
  Baseline,    // one line on a baseline `baseline` above the row's bottom
};

struct GridStyle {
  double left = 0;   // the table's left edge in its rows' coordinates
  double pad_x = 4;  // left and right of a cell's text
  double pad_y = 4;  // above and below it
  CellPlacement placement = CellPlacement::Top;
  double baseline = 0;  // CellPlacement::Baseline
  bool fill_header = false;
  Rect header_fill;  // its colours and stroke; placed behind the header row
  GridRule header_top, header_bottom;  // above and below the header row
  GridRule row_bottom;                 // below every body row
  GridRule total_top;                  // above a row of totals
  GridRule inner;                      // between columns
  GridRule outer;                      // at the table's left and right edges
  bool row_headers = false;            // the first cell of a body row heads its row (TH scope Row)
  std::vector<LineAlign> align;        // lines' alignment per column (Left, Right or Center; Left where missing)
};

// A cell's content, set to its column's width less the padding: a block
// (CellPlacement::Top) or lines `leading` apart with the cap height of
// their type (the other placements). Empty: nothing is drawn, the cell is
// still a cell.
struct GridCell {
  Chunk block;
  std::vector<SetLine> lines;
  double leading = 0;
  double cap = 0;
  double height() const;
};

// The content of column `col` of a row; `node` is the cell's structure node
// (-1 when untagged), which the content's items are to carry.
using CellContent = std::function<GridCell(std::size_t col, int node)>;

class Grid {
 public:
  // A table `width` wide (0: the columns' sum) of columns `widths` wide.
  // `structure`: the document's nodes (nullptr: untagged); the Table goes
  // under `parent`.
  Grid(std::vector<double> widths, double width, GridStyle style, std::vector<StructNode>* structure = nullptr,
       int parent = 0);

  // The text width of column `col` (its width less the padding).
  double content_width(std::size_t col) const;
  double width() const { return width_; }
  int table_node() const { return table_; }
  int head_node() const { return head_; }  // the THead (-1: none yet, or untagged)

  // The header row, at least `min_height` tall: repeated on the pages the
  // body continues on (a pagination artifact there).
  void header(const CellContent& cell, double min_height = 0, double space_before = 0);
  // A body row, at least `min_height` tall; `total` draws the total rule
  // above it. The first row after the header never starts a page.
  void row(const CellContent& cell, double min_height = 0, bool total = false);

  // The rows made so far, in order. A row's repeat_header is relative until
  // it is added to a flow (Flow::add_chunk resolves it): -2 - the number of
  // chunks back to its header.
  std::vector<Chunk> take() { return std::move(chunks_); }

 private:
  Chunk make_row(const CellContent& cell, double min_height, bool header, bool total, int group);
  int add_node(const char* role, int parent);

  std::vector<double> widths_;
  GridStyle style_;
  std::vector<StructNode>* structure_;
  double width_ = 0;
  int table_ = -1, head_ = -1, body_ = -1;
  int header_index_ = -1;
  std::vector<Chunk> chunks_;
};

// A chunk's items moved down to `top` of `page`: a table on a page composed
// without a flow (GridStyle::left its left edge).
void place_on_page(Page& page, Chunk chunk, double top);

}  // namespace cp::layout
