// Pandoc's tables → the tree's tables (content/pandoc_converter.h).
#include <algorithm>
#include <iterator>
#include <memory>

#include "content/pandoc_converter.h"

namespace cp::content::detail {

namespace {

doc::Align alignment(const json& j) {
  const std::string& t = tag(j);
  if (t == "AlignLeft") return doc::Align::Left;
  if (t == "AlignCenter") return doc::Align::Center;
  if (t == "AlignRight") return doc::Align::Right;
  return doc::Align::Default;
}

}  // namespace

// One table row: cells with colspan > 1 are followed by empty cells so
// that columns stay aligned; row spans are ignored.
std::vector<doc::TableCell> Converter::row(const json& r, int depth) {
  std::vector<doc::TableCell> cells;
  for (const auto& cell : array(item(r, 1, "a table row"), "table cells")) {
    attr(item(cell, 0, "a table cell"));
    const int colspan = small_int(item(cell, 3, "a table cell"), "a column span", 1, 1000);
    small_int(item(cell, 2, "a table cell"), "a row span", 1, 1000);
    doc::TableCell tc;
    blocks(item(cell, 4, "a table cell"), tc.blocks, depth + 1);
    cells.push_back(std::move(tc));
    for (int i = 1; i < colspan; ++i) cells.emplace_back();
  }
  return cells;
}

doc::Block Converter::table(const json& c, const SourceLoc& loc, int depth) {
  enter(depth + 1);
  doc::Block b = make_block(doc::BlockKind::Table, loc);
  auto tab = std::make_shared<doc::Table>();
  attr(item(c, 0, "Table"));
  for (const auto& spec : array(item(c, 2, "Table"), "column specifications")) {
    tab->aligns.push_back(alignment(item(spec, 0, "a column specification")));
    const json& w = item(spec, 1, "a column specification");
    double width = 0;
    if (tag(w) == "ColWidth") {
      const json& v = content(w, "ColWidth");
      if (!v.is_number()) throw Malformed{"a column width is not a number"};
      width = v.get<double>();
      if (!(width >= 0 && width <= 1)) width = 0;
    }
    tab->widths.push_back(width);
  }
  std::vector<std::vector<doc::TableCell>> head_rows;
  const json& head = item(c, 3, "Table");
  for (const auto& r : array(item(head, 1, "a table head"), "head rows")) head_rows.push_back(row(r, depth + 1));
  for (const auto& body : array(item(c, 4, "Table"), "table bodies")) {
    attr(item(body, 0, "a table body"));
    integer(item(body, 1, "a table body"), "row head columns");
    for (const auto& r : array(item(body, 2, "a table body"), "body head rows")) tab->rows.push_back(row(r, depth + 1));
    for (const auto& r : array(item(body, 3, "a table body"), "body rows")) tab->rows.push_back(row(r, depth + 1));
  }
  const json& foot = item(c, 5, "Table");
  for (const auto& r : array(item(foot, 1, "a table foot"), "foot rows")) tab->rows.push_back(row(r, depth + 1));
  // Last: the caption usually follows the table in the text.
  caption_inlines(item(c, 1, "Table"), tab->caption, depth + 1);
  // The first head row is the header; further head rows lead the body.
  if (!head_rows.empty()) {
    tab->header = std::move(head_rows.front());
    tab->rows.insert(tab->rows.begin(), std::make_move_iterator(head_rows.begin() + 1),
                     std::make_move_iterator(head_rows.end()));
  }
  // Every row as wide as the widest; aligns and widths to match.
  std::size_t columns = tab->aligns.size();
  columns = std::max(columns, tab->header.size());
  for (const auto& r : tab->rows) columns = std::max(columns, r.size());
  tab->aligns.resize(columns, doc::Align::Default);
  tab->widths.resize(columns, 0.0);
  if (!tab->header.empty()) tab->header.resize(columns);
  for (auto& r : tab->rows) r.resize(columns);
  b.table = std::move(tab);
  return b;
}

}  // namespace cp::content::detail
