#include "load/csv.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/text.h"
#include "load/source.h"

namespace cp::load {

namespace {

bool is_line_end(char c) { return c == '\n' || c == '\r'; }
bool is_continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

// A cursor over the text that keeps line and column as it goes.
class Cursor {
 public:
  explicit Cursor(std::string_view text) : text_(text) {}

  bool done() const { return pos_ >= text_.size(); }
  char peek(std::size_t ahead = 0) const { return pos_ + ahead < text_.size() ? text_[pos_ + ahead] : '\0'; }
  int line() const { return line_; }
  int col() const { return col_; }

  char take() {
    const char c = text_[pos_++];
    if (!is_continuation(c)) ++col_;
    return c;
  }
  // Consumes one line break (CRLF, LF or a lone CR).
  void take_line_end() {
    if (peek() == '\r') ++pos_;
    if (peek() == '\n') ++pos_;
    ++line_;
    col_ = 1;
  }

 private:
  std::string_view text_;
  std::size_t pos_ = 0;
  int line_ = 1;
  int col_ = 1;
};

// Where a record's last field ends (the place of a field it lacks).
struct RecordEnd {
  int line = 0;
  int col = 0;
};

// Reads one record. Returns false after an unterminated quote (reported).
bool read_record(Cursor& in, char sep, TableRow& row, RecordEnd& end, const std::string& path,
                 Diagnostics& diags) {
  row.line = in.line();
  row.cells.clear();
  for (;;) {
    TableCell cell{{}, in.line(), in.col()};
    if (in.peek() == '"') {
      in.take();
      for (;;) {
        if (in.done()) {
          diags.error({path, cell.line, cell.col}, "unterminated quoted field",
                      "a field that starts with \" must end with \"; write \"\" for a quote inside it");
          return false;
        }
        if (in.peek() == '"' && in.peek(1) == '"') {
          in.take();
          in.take();
          cell.text += '"';
        } else if (in.peek() == '"') {
          in.take();
          break;
        } else if (is_line_end(in.peek())) {
          in.take_line_end();
          cell.text += '\n';
        } else {
          cell.text += in.take();
        }
      }
      // A closing quote ends the field: anything else before the next
      // separator means the quotes do not pair as the writer meant, and the
      // rows between them may have been read as one field.
      if (!in.done() && in.peek() != sep && !is_line_end(in.peek())) {
        const std::string hint =
            cell.line == in.line()
                ? std::string("write \"\" for a quote inside a quoted field, as in \"Björn \"\"Nalle\"\" Ek\"")
                : fmt::format("the quoted field opened at line {} column {} runs to here; write \"\" for a quote "
                              "inside a quoted field",
                              cell.line, cell.col);
        diags.error({path, in.line(), in.col()}, "text after the closing quote of a field", hint);
      }
    }
    // Unquoted text, or what follows a stray closing quote (reported above).
    while (!in.done() && in.peek() != sep && !is_line_end(in.peek())) cell.text += in.take();
    row.cells.push_back(std::move(cell));
    if (in.peek() == sep) {
      in.take();
      continue;
    }
    end = {in.line(), in.col()};
    if (!in.done()) in.take_line_end();
    return true;
  }
}

bool is_blank_row(const TableRow& row) {
  for (const auto& c : row.cells)
    if (c.text.find_first_not_of(" \t") != std::string::npos) return false;
  return true;
}

}  // namespace

char sniff_separator(std::string_view text) {
  int commas = 0, semicolons = 0, tabs = 0;
  bool quoted = false, seen_text = false;
  for (char c : text) {
    if (c == '"') quoted = !quoted;
    if (quoted) continue;
    if (c == '\n' || c == '\r') {
      if (seen_text) break;  // the header is the first non-blank line
      commas = semicolons = tabs = 0;
      continue;
    }
    seen_text = seen_text || (c != ' ' && c != '\t');
    commas += c == ',';
    semicolons += c == ';';
    tabs += c == '\t';
  }
  if (tabs > commas && tabs > semicolons) return '\t';
  return semicolons > commas ? ';' : ',';
}

namespace {

// The header's width without its trailing empty cells: a row may leave out
// fields only under columns that have no name.
std::size_t named_width(const TableRow& header) {
  std::size_t n = header.cells.size();
  while (n > 0 && text::trim(header.cells[n - 1].text).empty()) --n;
  return n;
}

std::string quoted_list(const std::vector<TableCell>& cells, std::size_t from, std::size_t to) {
  std::string out;
  for (std::size_t i = from; i < to; ++i) {
    const std::string_view name = text::trim(cells[i].text);
    if (name.empty()) continue;
    if (!out.empty()) out += i + 1 == to ? " and " : ", ";
    out += fmt::format("'{}'", name);
  }
  return out;
}

std::string separator_name(char sep) { return sep == '\t' ? "tab" : fmt::format("'{}'", sep); }

}  // namespace

Table parse_csv(std::string_view text, const std::string& path, Diagnostics& diags) {
  Table table;
  table.separator = sniff_separator(text);
  Cursor in(text);
  bool have_header = false;
  TableRow row;
  RecordEnd end;
  while (!in.done()) {
    if (!read_record(in, table.separator, row, end, path, diags)) break;
    if (is_blank_row(row)) continue;
    if (!have_header) {
      table.header = std::move(row);
      have_header = true;
      continue;
    }
    const std::size_t width = table.header.cells.size();
    // Spreadsheets often end rows with empty fields; only text past the
    // header's width is an error.
    while (row.cells.size() > width && text::trim(row.cells.back().text).empty()) row.cells.pop_back();
    if (row.cells.size() > width) {
      const TableCell& extra = row.cells[width];
      if (!diagnostics_flooded(diags))
        diags.error({path, extra.line, extra.col},
                    fmt::format("row has {} fields; the header has {}", row.cells.size(), width));
      row.cells.resize(width);
    }
    // A short row has lost fields (a separator too few, or a tool that
    // drops empty ones); which value belongs to which column is then a guess.
    const std::size_t named = named_width(table.header);
    if (row.cells.size() < named) {
      if (!diagnostics_flooded(diags))
        diags.error({path, end.line, end.col},
                    fmt::format("row has {} fields; the header has {}", row.cells.size(), named),
                    fmt::format("this row has no field for {}; an empty field still needs its separator ({})",
                                quoted_list(table.header.cells, row.cells.size(), named),
                                separator_name(table.separator)));
    }
    table.records.push_back(std::move(row));
  }
  return table;
}

}  // namespace cp::load
