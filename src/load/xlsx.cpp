// .xlsx workbooks → the first sheet's rows (load/xlsx.h): the workbook's
// parts found through its relationships, shared strings, styles, and the
// first sheet's cells as Excel shows them.
#include "load/xlsx.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <vector>

#include "core/text.h"
#include "load/xlsx_formats.h"
#include "load/xlsx_xml.h"
#include "load/xlsx_zip.h"

namespace cp::load {

namespace {

using namespace xlsx;

// Cells of the first sheet's rectangle (rows with text × the widest row):
// a sheet is read into a table, and one cell far out (XFD1048576) must not
// make it a billion cells.
constexpr std::size_t kMaxSheetCells = 1'000'000;

// The format of each cell style (index = the cell's `s`).
std::vector<Format> read_styles(const xmlNode* root) {
  std::map<int, Format> custom;
  if (const xmlNode* fmts = child(root, "numFmts"))
    for (const xmlNode* n = fmts->children; n; n = n->next)
      if (is(n, "numFmt")) custom[to_int(attr(n, "numFmtId"))] = read_format_code(attr(n, "formatCode"));
  std::vector<Format> out;
  if (const xmlNode* xfs = child(root, "cellXfs"))
    for (const xmlNode* n = xfs->children; n; n = n->next)
      if (is(n, "xf")) {
        const int id = to_int(attr(n, "numFmtId"));
        const auto it = custom.find(id);
        out.push_back(it != custom.end() ? it->second : builtin_format(id));
      }
  return out;
}

// "BC12" → column 55, row 12; false for anything else.
bool parse_ref(std::string_view ref, int& col, int& row) {
  std::size_t i = 0;
  col = 0;
  while (i < ref.size() && ref[i] >= 'A' && ref[i] <= 'Z' && col < 100000) col = col * 26 + (ref[i++] - 'A' + 1);
  if (col == 0 || i == ref.size()) return false;
  const auto [end, ec] = std::from_chars(ref.data() + i, ref.data() + ref.size(), row);
  return ec == std::errc() && end == ref.data() + ref.size() && row > 0;
}

// Excel's limits: 1,048,576 rows and 16,384 columns (XFD).
constexpr int kMaxRows = 1048576;
constexpr int kMaxCols = 16384;

struct Workbook {
  std::string sheet_part;  // e.g. xl/worksheets/sheet1.xml
  std::string sheet_name;
  std::string strings_part;
  std::string styles_part;
  bool date1904 = false;
  std::vector<std::pair<std::string, std::string>> other_sheets;  // the later tabs: name, part
};

// "worksheets/sheet1.xml" relative to xl/, or "/xl/worksheets/sheet1.xml".
std::string part_name(std::string_view target) {
  if (!target.empty() && target[0] == '/') return std::string(target.substr(1));
  return "xl/" + std::string(target);
}

class Reader {
 public:
  Reader(zip_t* z, const std::string& path, Diagnostics& diags) : zip_(z), path_(path), diags_(diags) {}

  std::optional<Table> read() {
    Workbook wb;
    if (!read_workbook(wb)) return std::nullopt;
    if (!wb.strings_part.empty() && !read_strings(wb.strings_part)) return std::nullopt;
    if (!wb.styles_part.empty() && !read_style_part(wb.styles_part)) return std::nullopt;
    date1904_ = wb.date1904;
    auto table = read_sheet(wb);
    if (table) warn_other_sheets(wb);
    return table;
  }

 private:
  zip_t* zip_;
  const std::string& path_;
  Diagnostics& diags_;
  std::vector<std::string> strings_;
  std::vector<Format> styles_;
  bool date1904_ = false;

  void broken(std::string_view what) {
    diags_.error({path_, 1, 1}, fmt::format("workbook cannot be read: {}", what),
                 "open it in Excel and save it again as \"Excel Workbook (.xlsx)\", or save it as \"CSV UTF-8\"");
  }

  // A part as an XML document; reports a missing (when required), oversized
  // or malformed part.
  XmlDoc load(const std::string& name, bool required, bool* failed = nullptr) {
    if (failed) *failed = true;
    std::string bytes;
    switch (read_part(zip_, name, bytes)) {
      case PartStatus::Ok: break;
      case PartStatus::Missing:
        if (required) broken(fmt::format("it has no {}", name));
        if (failed) *failed = required;
        return nullptr;
      case PartStatus::TooLarge:
        diags_.error({path_, 1, 1}, fmt::format("workbook part {} is too large (over {} MB)", name,
                                                kMaxPartBytes / (1024 * 1024)));
        return nullptr;
      case PartStatus::Broken: broken(fmt::format("{} is damaged", name)); return nullptr;
    }
    XmlDoc doc = parse_xml(bytes);
    if (!doc || !xmlDocGetRootElement(doc.get())) {
      broken(fmt::format("{} is not well-formed XML", name));
      return nullptr;
    }
    if (failed) *failed = false;
    return doc;
  }

  bool read_workbook(Workbook& wb) {
    const XmlDoc doc = load("xl/workbook.xml", true);
    if (!doc) return false;
    const xmlNode* root = xmlDocGetRootElement(doc.get());
    if (const xmlNode* pr = child(root, "workbookPr")) {
      const std::string v = attr(pr, "date1904");
      wb.date1904 = v == "1" || v == "true";
    }
    const xmlNode* sheet = child(child(root, "sheets"), "sheet");
    if (!sheet) {
      broken("it has no sheets");
      return false;
    }
    wb.sheet_name = attr(sheet, "name");
    const std::string rid = attr(sheet, "id");  // r:id
    const XmlDoc rels = load("xl/_rels/workbook.xml.rels", true);
    if (!rels) return false;
    std::map<std::string, std::string> targets;  // relationship id → part
    for (const xmlNode* r = xmlDocGetRootElement(rels.get())->children; r; r = r->next) {
      if (!is(r, "Relationship")) continue;
      const std::string type = attr(r, "Type");
      const auto ends = [&](std::string_view s) { return type.size() >= s.size() && type.ends_with(s); };
      targets[attr(r, "Id")] = part_name(attr(r, "Target"));
      if (ends("/sharedStrings")) wb.strings_part = part_name(attr(r, "Target"));
      else if (ends("/styles")) wb.styles_part = part_name(attr(r, "Target"));
    }
    if (const auto it = targets.find(rid); it != targets.end()) wb.sheet_part = it->second;
    for (const xmlNode* n = sheet->next; n; n = n->next)
      if (is(n, "sheet"))
        if (const auto it = targets.find(attr(n, "id")); it != targets.end())
          wb.other_sheets.emplace_back(attr(n, "name"), it->second);
    if (wb.sheet_part.empty()) {
      broken(fmt::format("its first sheet '{}' has no part", wb.sheet_name));
      return false;
    }
    return true;
  }

  // Only the first sheet is read; a later one that holds anything is named,
  // so that participants typed on it are not taken as read.
  void warn_other_sheets(const Workbook& wb) {
    for (const auto& [name, part] : wb.other_sheets) {
      bool failed = false;
      const XmlDoc doc = load(part, false, &failed);
      if (!doc) continue;
      const xmlNode* data = child(xmlDocGetRootElement(doc.get()), "sheetData");
      std::size_t filled = 0;
      for (const xmlNode* r = data ? data->children : nullptr; r; r = r->next)
        for (const xmlNode* c = is(r, "row") ? r->children : nullptr; c; c = c->next)
          if (is(c, "c") && (child(c, "v") || child(c, "is"))) ++filled;
      if (filled > 0)
        diags_.warning({path_, 1, 1},
                       fmt::format("only the first sheet '{}' is read; sheet '{}' has {} filled cell{} and is not",
                                   wb.sheet_name, name, filled, filled == 1 ? "" : "s"),
                       "put every participant on the first sheet, or delete the other sheet");
    }
  }

  bool read_strings(const std::string& part) {
    bool failed = false;
    const XmlDoc doc = load(part, false, &failed);
    if (!doc) return !failed;
    for (const xmlNode* n = xmlDocGetRootElement(doc.get())->children; n; n = n->next)
      if (is(n, "si")) strings_.push_back(string_item(n));
    return true;
  }

  bool read_style_part(const std::string& part) {
    bool failed = false;
    const XmlDoc doc = load(part, false, &failed);
    if (!doc) return !failed;
    styles_ = read_styles(xmlDocGetRootElement(doc.get()));
    return true;
  }

  // The shown text of one <c>.
  std::string cell_text(const xmlNode* c, int row, int col) {
    const std::string type = attr(c, "t");
    if (type == "inlineStr") {
      const xmlNode* is_node = child(c, "is");
      return is_node ? string_item(is_node) : std::string();
    }
    const xmlNode* v = child(c, "v");
    if (!v) return {};
    const std::string value = content(v);
    if (type == "s") {
      std::size_t index = 0;
      const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), index);
      if (ec == std::errc() && end == value.data() + value.size() && index < strings_.size()) return strings_[index];
      diags_.error({path_, row, col}, fmt::format("cell refers to a text the workbook does not have (#{})", value));
      return {};
    }
    if (type == "str") return value;
    if (type == "b") return value == "1" || value == "true" ? "TRUE" : "FALSE";
    if (type == "e") {
      diags_.error({path_, row, col}, fmt::format("cell shows the formula error '{}'", value),
                   "correct the formula in the workbook, or type the value itself");
      return value;
    }
    if (type == "d") {  // ISO 8601 (strict OOXML)
      const std::size_t t = value.find('T');
      if (t == std::string::npos) return value;
      const std::string time = value.substr(t + 1, 5);
      return time == "00:00" ? value.substr(0, t) : value.substr(0, t) + " " + time;
    }
    double number = 0;
    const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), number);
    if (ec != std::errc() || end != value.data() + value.size() || !std::isfinite(number)) return value;
    const std::size_t style = static_cast<std::size_t>(std::max(0, to_int(attr(c, "s"))));
    const Format f = style < styles_.size() ? styles_[style] : Format{};
    if ((f.date || f.time) && number >= 0 && number < 2958466) return date_text(number, f, date1904_);
    return number_text(number, f);
  }

  std::optional<Table> read_sheet(const Workbook& wb) {
    const XmlDoc doc = load(wb.sheet_part, true);
    if (!doc) return std::nullopt;
    const xmlNode* data = child(xmlDocGetRootElement(doc.get()), "sheetData");
    std::map<int, std::map<int, std::string>> cells;  // row → column → text
    int next_row = 1;
    int width = 0;
    for (const xmlNode* r = data ? data->children : nullptr; r; r = r->next) {
      if (!is(r, "row")) continue;
      int row = next_row;
      if (const std::string n = attr(r, "r"); !n.empty()) row = to_int(n);
      if (row < 1 || row > kMaxRows) {
        broken(fmt::format("a row is numbered {}", row));
        return std::nullopt;
      }
      next_row = row + 1;
      int next_col = 1;
      for (const xmlNode* c = r->children; c; c = c->next) {
        if (!is(c, "c")) continue;
        int col = next_col, ref_row = row;
        if (const std::string ref = attr(c, "r"); !ref.empty() && (!parse_ref(ref, col, ref_row) || col > kMaxCols)) {
          broken(fmt::format("a cell is named '{}'", ref));
          return std::nullopt;
        }
        next_col = col + 1;
        std::string text = cell_text(c, row, col);
        if (text.empty()) continue;
        if (!text::is_valid_utf8(text)) {
          broken(fmt::format("cell {} is not valid UTF-8", attr(c, "r")));
          return std::nullopt;
        }
        // Excel keeps line breaks in cells as LF; CR LF from pasted text too.
        text.erase(std::remove(text.begin(), text.end(), '\r'), text.end());
        cells[row][col] = text::to_nfc(text);
        width = std::max(width, col);
      }
    }
    if (cells.size() * static_cast<std::size_t>(width) > kMaxSheetCells) {
      diags_.error({path_, 1, 1},
                   fmt::format("the first sheet '{}' spans {} rows with text and {} columns; at most {} cells are "
                               "read",
                               wb.sheet_name, cells.size(), width, kMaxSheetCells),
                   "delete the rows and columns outside the list, or copy the list to a new workbook");
      return std::nullopt;
    }
    Table table;
    table.workbook = true;
    bool have_header = false;
    for (auto& [row, cols] : cells) {
      TableRow out;
      out.line = row;
      bool blank = true;
      for (int col = 1; col <= width; ++col) {
        auto it = cols.find(col);
        TableCell cell{it != cols.end() ? std::move(it->second) : std::string(), row, col};
        blank = blank && text::trim(cell.text).empty();
        out.cells.push_back(std::move(cell));
      }
      if (blank) continue;
      if (!have_header) {
        table.header = std::move(out);
        have_header = true;
      } else {
        table.records.push_back(std::move(out));
      }
    }
    if (!have_header) diags_.error({path_, 1, 1}, fmt::format("the first sheet '{}' is empty", wb.sheet_name));
    return table;
  }
};

}  // namespace

bool is_xlsx(std::string_view bytes) {
  const Zip z = open_zip(bytes);
  return z && zip_name_locate(z.get(), "xl/workbook.xml", 0) >= 0;
}

bool is_ods(std::string_view bytes) {
  const Zip z = open_zip(bytes);
  if (!z) return false;
  std::string mimetype;
  return read_part(z.get(), "mimetype", mimetype) == PartStatus::Ok &&
         mimetype.starts_with("application/vnd.oasis.opendocument.spreadsheet");
}

std::optional<Table> parse_xlsx(std::string_view bytes, const std::string& path, Diagnostics& diags) {
  const Zip z = open_zip(bytes);
  if (!z) {
    diags.error({path, 1, 1}, "file is not an xlsx workbook (not a zip archive)",
                "save it from Excel as \"Excel Workbook (.xlsx)\" or as \"CSV UTF-8\"");
    return std::nullopt;
  }
  return Reader(z.get(), path, diags).read();
}

}  // namespace cp::load
