#include "load/csv.h"

#include <fmt/format.h>

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

// Reads one record. Returns false after an unterminated quote (reported).
bool read_record(Cursor& in, char sep, CsvRow& row, const std::string& path, Diagnostics& diags) {
  row.line = in.line();
  row.cells.clear();
  for (;;) {
    CsvCell cell{{}, in.line(), in.col()};
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
    }
    // Unquoted text, or what follows a closing quote (kept, as spreadsheets do).
    while (!in.done() && in.peek() != sep && !is_line_end(in.peek())) cell.text += in.take();
    row.cells.push_back(std::move(cell));
    if (in.peek() == sep) {
      in.take();
      continue;
    }
    if (!in.done()) in.take_line_end();
    return true;
  }
}

bool is_blank_row(const CsvRow& row) {
  for (const auto& c : row.cells)
    if (c.text.find_first_not_of(" \t") != std::string::npos) return false;
  return true;
}

}  // namespace

char sniff_separator(std::string_view text) {
  int commas = 0, semicolons = 0;
  bool quoted = false, seen_text = false;
  for (char c : text) {
    if (c == '"') quoted = !quoted;
    if (quoted) continue;
    if (c == '\n' || c == '\r') {
      if (seen_text) break;  // the header is the first non-blank line
      continue;
    }
    seen_text = seen_text || (c != ' ' && c != '\t');
    commas += c == ',';
    semicolons += c == ';';
  }
  return semicolons > commas ? ';' : ',';
}

CsvTable parse_csv(std::string_view text, const std::string& path, Diagnostics& diags) {
  CsvTable table;
  table.separator = sniff_separator(text);
  Cursor in(text);
  bool have_header = false;
  CsvRow row;
  while (!in.done()) {
    if (!read_record(in, table.separator, row, path, diags)) break;
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
      const CsvCell& extra = row.cells[width];
      if (!diagnostics_flooded(diags))
        diags.error({path, extra.line, extra.col},
                    fmt::format("row has {} fields; the header has {}", row.cells.size(), width));
      row.cells.resize(width);
    }
    table.records.push_back(std::move(row));
  }
  return table;
}

std::optional<CsvTable> load_csv_file(const std::filesystem::path& file, const std::string& display_path,
                                      Diagnostics& diags) {
  const auto text = read_text_file(file, display_path, diags, Encoding::Utf8OrWindows1252);
  if (!text) return std::nullopt;
  return parse_csv(*text, display_path, diags);
}

}  // namespace cp::load
