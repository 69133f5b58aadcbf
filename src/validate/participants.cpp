// Reading a visit's participants from a file's rows or an inline list
// (validate/participants.h).
#include "validate/participants.h"

#include <fmt/format.h>

#include "core/text.h"
#include "load/source.h"
#include "load/table.h"
#include "validate/fields.h"
#include "validate/participant_columns.h"
#include "validate/participant_values.h"

namespace cp::validate {

namespace {

struct RowResult {
  model::Participant person;
  SourceLoc email_at;
  SourceLoc attendance_at;
};

// A participant read into the list; a row or entry left out for its errors
// (reported) makes the list incomplete.
void add(ParticipantList& out, std::optional<RowResult> r) {
  if (!r) {
    out.complete = false;
    return;
  }
  out.people.push_back(std::move(r->person));
  out.email_at.push_back(std::move(r->email_at));
  out.attendance_at.push_back(std::move(r->attendance_at));
}

SourceLoc cell_loc(const std::string& path, const load::TableCell* cell, const load::TableRow& row) {
  return cell ? SourceLoc{path, cell->line, cell->col} : SourceLoc{path, row.line, 1};
}

std::optional<RowResult> participant_from_row(const load::TableRow& row, const ColumnMap& columns,
                                              const std::string& path, Origin origin, Diagnostics& diags) {
  const bool split = !columns.at(Column::Name).has_value();
  const load::TableCell* name = columns.cell(row, split ? Column::First : Column::Name);
  const SourceLoc loc{path, row.line, name ? name->col : 1};
  RowResult r;
  model::Participant& p = r.person;
  p.loc = loc;
  bool ok = true;
  if (split) {
    const std::string first = columns.text(row, Column::First), last = columns.text(row, Column::Last);
    ok = check_printed_text("first name", first, loc, origin, diags) && ok;
    ok = check_printed_text("last name", last, cell_loc(path, columns.cell(row, Column::Last), row), origin,
                            diags) &&
         ok;
    p.name = first.empty() || last.empty() ? first + last : first + " " + last;
  } else {
    p.name = columns.text(row, Column::Name);
    ok = check_printed_text("name", p.name, loc, origin, diags) && ok;
  }
  if (p.name.empty()) {
    diags.error(loc, "participant has no name");
    return std::nullopt;
  }
  p.title = columns.text(row, Column::Title);
  ok = check_printed_text("title", p.title, cell_loc(path, columns.cell(row, Column::Title), row), origin,
                          diags) &&
       ok;
  p.unit = columns.text(row, Column::Unit);
  ok = check_printed_text("unit", p.unit, cell_loc(path, columns.cell(row, Column::Unit), row), origin,
                          diags) &&
       ok;
  p.email = columns.text(row, Column::Email);
  r.email_at = cell_loc(path, columns.cell(row, Column::Email), row);
  ok = check_email(p.email, r.email_at, diags) && ok;
  const load::TableCell* attended = columns.cell(row, Column::Attended);
  r.attendance_at = cell_loc(path, attended, row);
  if (attended && !text::trim(attended->text).empty()) {
    p.attended = parse_attendance(attended->text);
    if (!p.attended) {
      diags.error(r.attendance_at, attendance_error(columns.name(Column::Attended), text::trim(attended->text)),
                  std::string(kAttendanceHint));
      ok = false;
    }
  }
  if (!ok) return std::nullopt;
  return r;
}

std::optional<ParticipantList> read_file(const std::filesystem::path& file, const std::string& path,
                                         Diagnostics& diags) {
  const auto table = load::load_table_file(file, path, diags);
  if (!table) return std::nullopt;
  const Origin origin = table->workbook ? Origin::Xlsx : Origin::Csv;
  const auto columns = map_columns(*table, path, diags);
  if (!columns) return std::nullopt;
  ParticipantList out;
  out.from_file = true;
  out.has_attendance_column = columns->at(Column::Attended).has_value();
  out.header = {path, table->header.line, 1};
  out.people.reserve(table->records.size());
  for (const auto& row : table->records) {
    if (load::diagnostics_flooded(diags)) break;
    add(out, participant_from_row(row, *columns, path, origin, diags));
  }
  return out;
}

std::optional<RowResult> read_inline_participant(const load::YamlNode& node, Diagnostics& diags) {
  static constexpr std::string_view kKeys[] = {"name", "title", "unit", "email", "attended"};
  if (!expect_entry_mapping(node, "participant", diags)) return std::nullopt;
  const Fields f(node, kKeys, diags);
  RowResult r;
  model::Participant& p = r.person;
  p.loc = node.loc;
  if (!f.require_text("name", p.name)) return std::nullopt;
  const auto at = [&](std::string_view key) { return f.get(key) ? f.get(key)->loc : node.loc; };
  bool ok = check_printed_text("name", p.name, at("name"), Origin::Yaml, diags);
  f.text("title", p.title);
  ok = check_printed_text("title", p.title, at("title"), Origin::Yaml, diags) && ok;
  f.text("unit", p.unit);
  ok = check_printed_text("unit", p.unit, at("unit"), Origin::Yaml, diags) && ok;
  f.text("email", p.email);
  r.email_at = at("email");
  ok = check_email(std::string(text::trim(p.email)), r.email_at, diags) && ok;
  r.attendance_at = at("attended");
  if (const YamlNode* attended = f.get("attended")) {
    if (const auto word = to_text(*attended, "attended", diags)) {
      p.attended = parse_attendance(*word);
      if (!p.attended) {
        diags.error(attended->loc, attendance_error("attended", text::trim(*word)), std::string(kAttendanceHint));
        ok = false;
      }
    } else {
      ok = false;
    }
  }
  if (!ok) return std::nullopt;
  return r;
}

}  // namespace

const ParticipantList* ParticipantFiles::read(const std::filesystem::path& file) {
  auto it = cache_.find(file);
  if (it == cache_.end()) it = cache_.emplace(file, read_file(file, ctx_.display(file), ctx_.diags)).first;
  return it->second ? &*it->second : nullptr;
}

ParticipantList read_inline_participants(const load::YamlNode& list, Diagnostics& diags) {
  ParticipantList out;
  out.people.reserve(list.items.size());
  for (const load::YamlNode* item : list.items) add(out, read_inline_participant(*item, diags));
  return out;
}

}  // namespace cp::validate
