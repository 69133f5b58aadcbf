// Recognising the columns of a participants file (validate/participant_columns.h).
#include "validate/participant_columns.h"

#include <fmt/format.h>

#include <vector>

#include "core/text.h"
#include "load/source.h"
#include "validate/fields.h"

namespace cp::validate {

namespace {

// Header names as Swedish Excel, web forms and English tools write them.
// Compared with case, blanks, hyphens and underscores ignored.
constexpr Choice<Column> kHeaders[] = {
    {"namn", Column::Name},
    {"name", Column::Name},
    {"fullständigt namn", Column::Name},
    {"full name", Column::Name},
    {"för- och efternamn", Column::Name},
    {"deltagare", Column::Name},
    {"participant", Column::Name},
    {"förnamn", Column::First},
    {"first name", Column::First},
    {"given name", Column::First},
    {"efternamn", Column::Last},
    {"last name", Column::Last},
    {"surname", Column::Last},
    {"family name", Column::Last},
    {"titel", Column::Title},
    {"befattning", Column::Title},
    {"yrke", Column::Title},
    {"yrkestitel", Column::Title},
    {"title", Column::Title},
    {"job title", Column::Title},
    {"position", Column::Title},
    {"enhet", Column::Unit},
    {"avdelning", Column::Unit},
    {"arbetsplats", Column::Unit},
    {"unit", Column::Unit},
    {"department", Column::Unit},
    {"workplace", Column::Unit},
    {"e-post", Column::Email},
    {"e-postadress", Column::Email},
    {"e-mail", Column::Email},
    {"e-mailadress", Column::Email},
    {"e-mail address", Column::Email},
    {"mejl", Column::Email},
    {"mejladress", Column::Email},
    {"mail", Column::Email},
    {"närvaro", Column::Attended},
    {"närvarande", Column::Attended},
    {"närvarade", Column::Attended},
    {"deltog", Column::Attended},
    {"attended", Column::Attended},
    {"attendance", Column::Attended},
    {"present", Column::Attended},
};

constexpr std::string_view kColumnsHint =
    "the columns are namn (or förnamn and efternamn), titel, enhet, e-post and närvaro, or in English name, "
    "title, unit, email and attended; docs/deltagarlistor.md lists every spelling";

// Lower case without blanks, hyphens or underscores: `E-post adress` and
// `epostadress` are one header.
std::string header_key(std::string_view header) {
  const std::string lower = text::to_lower(text::trim(header));
  std::string out;
  for (std::size_t i = 0; i < lower.size(); ++i) {
    const char c = lower[i];
    if (c == ' ' || c == '\t' || c == '-' || c == '_' || c == '\n' || c == '\r') continue;
    if (c == '\xC2' && i + 1 < lower.size() && lower[i + 1] == '\xA0') {  // no-break space
      ++i;
      continue;
    }
    out += c;
  }
  return out;
}

// header_key of each entry of kHeaders, in its order.
const std::vector<std::string>& header_keys() {
  static const std::vector<std::string> keys = [] {
    std::vector<std::string> out;
    for (const auto& h : kHeaders) out.push_back(header_key(h.word));
    return out;
  }();
  return keys;
}

std::optional<Column> column_of(std::string_view header) {
  const std::string key = header_key(header);
  const auto& keys = header_keys();
  for (std::size_t i = 0; i < keys.size(); ++i)
    if (keys[i] == key) return kHeaders[i].value;
  return std::nullopt;
}

// "did you mean 'e-post'?" for the nearest known header, or empty.
std::string nearest_header(std::string_view header) {
  const auto& keys = header_keys();
  const std::vector<std::string_view> views(keys.begin(), keys.end());
  const auto best = nearest(header_key(header), views);
  if (!best) return {};
  for (std::size_t i = 0; i < keys.size(); ++i)
    if (keys[i] == *best) return fmt::format("did you mean '{}'? ", kHeaders[i].word);
  return {};
}

}  // namespace

std::string ColumnMap::text(const load::TableRow& row, Column c) const {
  const auto* cell = this->cell(row, c);
  return cell ? std::string(text::trim(cell->text)) : std::string();
}

std::optional<ColumnMap> map_columns(const load::Table& table, const std::string& path, Diagnostics& diags) {
  ColumnMap map;
  bool ok = true;
  const auto& cells = table.header.cells;
  // A column without a header may only be empty: the first text in each
  // such column is reported (one pass over the cells, however wide the file).
  std::vector<bool> reported(cells.size(), false);
  for (const auto& row : table.records) {
    if (load::diagnostics_flooded(diags)) break;
    for (std::size_t i = 0; i < row.cells.size() && i < cells.size(); ++i) {
      if (reported[i] || !text::trim(cells[i].text).empty() || text::trim(row.cells[i].text).empty()) continue;
      reported[i] = true;
      diags.error({path, row.cells[i].line, row.cells[i].col},
                  fmt::format("'{}' is in a column without a header", text::trim(row.cells[i].text)),
                  fmt::format("give the column a header or delete it; {}", kColumnsHint));
      ok = false;
    }
  }
  for (std::size_t i = 0; i < cells.size(); ++i) {
    if (load::diagnostics_flooded(diags)) return std::nullopt;
    const load::TableCell& cell = cells[i];
    const std::string_view name = text::trim(cell.text);
    const SourceLoc loc{path, cell.line, cell.col};
    if (name.empty()) continue;
    const auto column = column_of(name);
    if (!column) {
      std::string hint = fmt::format("{}; delete a column that is not needed", kColumnsHint);
      if (const std::string guess = nearest_header(name); !guess.empty()) hint = guess + "T" + hint.substr(1);
      diags.error(loc, fmt::format("unknown column '{}'", name), std::move(hint));
      ok = false;
      continue;
    }
    auto& slot = map.index[static_cast<std::size_t>(*column)];
    if (slot) {
      diags.error(loc, fmt::format("'{}' is the same column as '{}'", name, map.name(*column)),
                  "delete one of them, or merge them into one column");
      ok = false;
      continue;
    }
    slot = i;
    map.header[static_cast<std::size_t>(*column)] = std::string(name);
  }
  const auto header_loc = [&](Column c) {
    const load::TableCell& cell = cells[*map.at(c)];
    return SourceLoc{path, cell.line, cell.col};
  };
  const bool first = map.at(Column::First).has_value(), last = map.at(Column::Last).has_value();
  if (map.at(Column::Name) && (first || last)) {
    const Column other = first ? Column::First : Column::Last;
    diags.error(header_loc(other),
                fmt::format("both a '{}' and a '{}' column", map.name(Column::Name), map.name(other)),
                "keep either one column with whole names or the two columns förnamn and efternamn");
    ok = false;
  } else if (first != last) {
    const Column have = first ? Column::First : Column::Last;
    diags.error(header_loc(have),
                fmt::format("a '{}' column without {}", map.name(have), first ? "an 'efternamn' column"
                                                                             : "a 'förnamn' column"),
                "add the other half of the names as a column, or write whole names in one column 'namn'");
    ok = false;
  } else if (!map.at(Column::Name) && !first) {
    diags.error({path, table.header.line, 1}, "missing 'name' column",
                fmt::format("the first row must name the columns; {}", kColumnsHint));
    ok = false;
  }
  if (!ok) return std::nullopt;
  return map;
}

}  // namespace cp::validate
