#include "validate/participants.h"

#include <fmt/format.h>

#include <array>
#include <unordered_map>

#include "core/text.h"
#include "load/csv.h"
#include "load/source.h"
#include "validate/fields.h"

namespace cp::validate {

namespace {

enum class Column { Name, Title, Unit, Email, Attended };
constexpr std::size_t kColumnCount = 5;

// Header names, compared lower-case: English and as Swedish offices write them.
constexpr Choice<Column> kHeaders[] = {
    {"name", Column::Name},         {"namn", Column::Name},          {"title", Column::Title},
    {"titel", Column::Title},       {"befattning", Column::Title},   {"unit", Column::Unit},
    {"enhet", Column::Unit},        {"email", Column::Email},        {"e-post", Column::Email},
    {"attended", Column::Attended}, {"närvarande", Column::Attended}};

// Where each known column is in the file.
struct ColumnMap {
  std::array<std::optional<std::size_t>, kColumnCount> index;
  std::array<std::string, kColumnCount> header;  // as written, for messages

  const load::CsvCell* cell(const load::CsvRow& row, Column c) const {
    const auto& i = index[static_cast<std::size_t>(c)];
    return i && *i < row.cells.size() ? &row.cells[*i] : nullptr;
  }
  std::string text(const load::CsvRow& row, Column c) const {
    const auto* cell = this->cell(row, c);
    return cell ? std::string(text::trim(cell->text)) : std::string();
  }
};

std::optional<Column> column_of(std::string_view header) {
  const std::string folded = fold(header);
  for (const auto& h : kHeaders)
    if (h.word == folded) return h.value;
  return std::nullopt;
}

std::optional<ColumnMap> map_columns(const load::CsvTable& table, const std::string& path, Diagnostics& diags) {
  std::vector<std::string_view> known;
  for (const auto& h : kHeaders) known.push_back(h.word);
  ColumnMap map;
  bool ok = true;
  for (std::size_t i = 0; i < table.header.cells.size(); ++i) {
    const load::CsvCell& cell = table.header.cells[i];
    const std::string_view name = text::trim(cell.text);
    const SourceLoc loc{path, cell.line, cell.col};
    const auto column = column_of(name);
    if (!column) {
      if (!name.empty()) diags.warning(loc, fmt::format("unknown column '{}'", name), did_you_mean(fold(name), known));
      continue;
    }
    auto& slot = map.index[static_cast<std::size_t>(*column)];
    if (slot) {
      diags.error(loc, fmt::format("duplicate column '{}'", name));
      ok = false;
      continue;
    }
    slot = i;
    map.header[static_cast<std::size_t>(*column)] = std::string(name);
  }
  if (!map.index[static_cast<std::size_t>(Column::Name)]) {
    diags.error({path, table.header.line, 1}, "missing 'name' column",
                "the first row must name the columns, one of them 'name' (or 'namn')");
    ok = false;
  }
  if (!ok) return std::nullopt;
  return map;
}

std::optional<model::Participant> participant_from_row(const load::CsvRow& row, const ColumnMap& columns,
                                                       const std::string& path, Diagnostics& diags) {
  const load::CsvCell* name = columns.cell(row, Column::Name);
  const SourceLoc loc{path, row.line, name ? name->col : 1};
  model::Participant p;
  p.name = columns.text(row, Column::Name);
  if (p.name.empty()) {
    diags.error(loc, "participant has no name");
    return std::nullopt;
  }
  p.loc = loc;
  p.title = columns.text(row, Column::Title);
  p.unit = columns.text(row, Column::Unit);
  p.email = columns.text(row, Column::Email);
  if (const auto* cell = columns.cell(row, Column::Attended); cell && !text::trim(cell->text).empty()) {
    p.attended = parse_bool(cell->text);
    if (!p.attended) {
      const std::string& header = columns.header[static_cast<std::size_t>(Column::Attended)];
      diags.error({path, cell->line, cell->col},
                  fmt::format("'{}' must be true or false, not '{}'", header, text::trim(cell->text)),
                  std::string(kBoolHint));
      return std::nullopt;
    }
  }
  return p;
}

std::optional<std::vector<model::Participant>> read_csv(const std::filesystem::path& file, const std::string& path,
                                                        Diagnostics& diags) {
  const auto table = load::load_csv_file(file, path, diags);
  if (!table) return std::nullopt;
  const auto columns = map_columns(*table, path, diags);
  if (!columns) return std::nullopt;
  std::vector<model::Participant> out;
  out.reserve(table->records.size());
  for (const auto& row : table->records) {
    if (load::diagnostics_flooded(diags)) break;
    if (auto p = participant_from_row(row, *columns, path, diags)) out.push_back(std::move(*p));
  }
  return out;
}

std::optional<model::Participant> read_inline_participant(const load::YamlNode& node, Diagnostics& diags) {
  static constexpr std::string_view kKeys[] = {"name", "title", "unit", "email", "attended"};
  if (!expect_entry_mapping(node, "participant", diags)) return std::nullopt;
  const Fields f(node, kKeys, diags);
  model::Participant p;
  p.loc = node.loc;
  if (!f.require_text("name", p.name)) return std::nullopt;
  f.text("title", p.title);
  f.text("unit", p.unit);
  f.text("email", p.email);
  bool attended = false;
  if (f.flag("attended", attended)) p.attended = attended;
  return p;
}

}  // namespace

const std::vector<model::Participant>* ParticipantFiles::read(const std::filesystem::path& file) {
  auto it = cache_.find(file);
  if (it == cache_.end()) it = cache_.emplace(file, read_csv(file, ctx_.display(file), ctx_.diags)).first;
  return it->second ? &*it->second : nullptr;
}

std::vector<model::Participant> read_inline_participants(const load::YamlNode& list, Diagnostics& diags) {
  std::vector<model::Participant> out;
  out.reserve(list.items.size());
  for (const load::YamlNode* item : list.items)
    if (auto p = read_inline_participant(*item, diags)) out.push_back(std::move(*p));
  return out;
}

void check_participant_limits(const std::vector<model::Participant>& participants, Diagnostics& diags) {
  for (const auto& p : participants) {
    if (load::diagnostics_flooded(diags)) return;
    for (const auto& [what, value] : {std::pair{"name", &p.name}, {"title", &p.title}, {"unit", &p.unit}}) {
      const std::size_t n = text::length(*value);
      if (n > kMaxNameLength)
        diags.error(p.loc, fmt::format("participant {} is too long ({} characters; the limit is {})", what, n,
                                       kMaxNameLength));
    }
  }
}

void check_duplicate_participants(const std::vector<model::Participant>& participants, Diagnostics& diags) {
  std::unordered_map<std::string, const model::Participant*> first;
  first.reserve(participants.size());
  for (const auto& p : participants) {
    const auto [it, fresh] = first.emplace(fold(p.name), &p);
    if (fresh || load::diagnostics_flooded(diags)) continue;
    const SourceLoc& other = it->second->loc;
    const std::string where =
        other.path == p.loc.path ? fmt::format("line {}", other.line) : fmt::format("{}:{}", other.path, other.line);
    diags.error(p.loc, fmt::format("'{}' is registered twice for this visit", p.name),
                fmt::format("first registered at {}", where));
  }
}

}  // namespace cp::validate
