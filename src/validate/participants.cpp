#include "validate/participants.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <unordered_map>

#include "core/text.h"
#include "load/source.h"
#include "load/table.h"
#include "validate/fields.h"

namespace cp::validate {

namespace {

// ---------------------------------------------------------------- columns

enum class Column { Name, First, Last, Title, Unit, Email, Attended };
constexpr std::size_t kColumnCount = 7;

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

// Where each known column is in the file.
struct ColumnMap {
  std::array<std::optional<std::size_t>, kColumnCount> index;
  std::array<std::string, kColumnCount> header;  // as written, for messages

  const std::optional<std::size_t>& at(Column c) const { return index[static_cast<std::size_t>(c)]; }
  const load::TableCell* cell(const load::TableRow& row, Column c) const {
    const auto& i = at(c);
    return i && *i < row.cells.size() ? &row.cells[*i] : nullptr;
  }
  std::string text(const load::TableRow& row, Column c) const {
    const auto* cell = this->cell(row, c);
    return cell ? std::string(text::trim(cell->text)) : std::string();
  }
  const std::string& name(Column c) const { return header[static_cast<std::size_t>(c)]; }
};

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

// ---------------------------------------------------------------- values

enum class Origin { Csv, Xlsx, Yaml };

std::string lost_letter_hint(Origin origin) {
  switch (origin) {
    case Origin::Csv:
      return "the file was saved in an encoding that has no such letter; type the letter again and save the "
             "file from Excel as \"CSV UTF-8\"";
    case Origin::Xlsx: return "type the letter itself in the workbook";
    case Origin::Yaml: return "type the letter itself; the file is UTF-8 and can hold any letter";
  }
  return {};
}

// A printed value (name, title, unit): one line, no control characters, no
// letter replaced by `?` or U+FFFD. False when reported.
bool check_printed_text(std::string_view what, std::string_view value, const SourceLoc& loc, Origin origin,
                        Diagnostics& diags) {
  if (value.find_first_of("\n\r") != std::string_view::npos) {
    diags.error(loc, fmt::format("participant {} contains a line break", what),
                origin == Origin::Yaml ? std::string("write it on one line")
                                       : std::string("write it on one line; in the spreadsheet, delete the line "
                                                     "break inside the cell (Alt+Enter makes one)"));
    return false;
  }
  std::size_t i = 0;
  while (i < value.size()) {
    const char32_t cp = text::next_code_point(value, i);
    if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0)) {
      diags.error(loc, fmt::format("participant {} contains a control character (U+{:04X})", what,
                                   static_cast<unsigned>(cp)),
                  "delete it: it prints as nothing or as a box");
      return false;
    }
    if (cp == 0xFFFD) {
      diags.error(loc, fmt::format("participant {} '{}' has a letter that was lost in saving", what, value),
                  lost_letter_hint(origin));
      return false;
    }
  }
  // No name, title or unit has a '?' of its own; Excel writes one for each
  // letter the file's encoding cannot hold.
  if (value.find('?') != std::string_view::npos) {
    diags.error(loc, fmt::format("participant {} '{}' has '?' where a letter was probably lost in saving", what, value),
                lost_letter_hint(origin));
    return false;
  }
  return true;
}

bool check_email(std::string_view address, const SourceLoc& loc, Diagnostics& diags) {
  if (address.empty()) return true;
  if (const auto problem = email_problem(address)) {
    diags.error(loc, fmt::format("'{}' is not an e-mail address", address), *problem);
    return false;
  }
  return true;
}

// The words for attendance, written as the documentation lists them.
constexpr Choice<bool> kAttendance[] = {
    {"ja", true},        {"j", true},          {"x", true},      {"✓", true},     {"✔", true},
    {"1", true},         {"true", true},       {"sant", true},   {"yes", true},   {"y", true},
    {"närvarande", true}, {"närvarade", true},  {"deltog", true}, {"present", true},
    {"nej", false},      {"n", false},         {"0", false},     {"false", false}, {"falskt", false},
    {"no", false},       {"frånvarande", false}, {"ej", false},  {"absent", false},
};

std::string attendance_error(std::string_view name, std::string_view value) {
  return fmt::format("'{}' must be ja or nej, not '{}'", name, value);
}
constexpr std::string_view kAttendanceHint =
    "write ja (or x, 1, true, närvarande) for present and nej (or 0, false, frånvarande) for absent";

// ---------------------------------------------------------------- rows

struct RowResult {
  model::Participant person;
  SourceLoc email_at;
  SourceLoc attendance_at;
};

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
    if (auto r = participant_from_row(row, *columns, path, origin, diags)) {
      out.people.push_back(std::move(r->person));
      out.email_at.push_back(std::move(r->email_at));
      out.attendance_at.push_back(std::move(r->attendance_at));
    } else {
      out.complete = false;
    }
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

std::optional<bool> parse_attendance(std::string_view word) {
  const std::string folded = fold(word);
  for (const auto& w : kAttendance)
    if (w.word == folded) return w.value;
  return std::nullopt;
}

std::optional<std::string> email_problem(std::string_view address) {
  if (address.find_first_of(" \t\n\r") != std::string_view::npos ||
      address.find("\xC2\xA0") != std::string_view::npos)
    return "an address has no spaces";
  if (address.find_first_of(",;") != std::string_view::npos)
    return "write one address per participant, without commas or semicolons";
  const std::size_t at = address.find('@');
  if (at == std::string_view::npos || address.find('@', at + 1) != std::string_view::npos)
    return "an address has exactly one @, as in anna.svensson@eksjo.se";
  const std::string_view local = address.substr(0, at), domain = address.substr(at + 1);
  if (local.empty()) return "an address has a name before the @, as in anna.svensson@eksjo.se";
  const bool bad_domain = domain.find('.') == std::string_view::npos || domain.front() == '.' ||
                          domain.back() == '.' || domain.find("..") != std::string_view::npos;
  if (domain.empty() || bad_domain) return "the part after the @ is a domain with a dot, as in eksjo.se";
  for (char c : address)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) return "the address holds a control character";
  return std::nullopt;
}

const ParticipantList* ParticipantFiles::read(const std::filesystem::path& file) {
  auto it = cache_.find(file);
  if (it == cache_.end()) it = cache_.emplace(file, read_file(file, ctx_.display(file), ctx_.diags)).first;
  return it->second ? &*it->second : nullptr;
}

ParticipantList read_inline_participants(const load::YamlNode& list, Diagnostics& diags) {
  ParticipantList out;
  out.people.reserve(list.items.size());
  for (const load::YamlNode* item : list.items)
    if (auto r = read_inline_participant(*item, diags)) {
      out.people.push_back(std::move(r->person));
      out.email_at.push_back(std::move(r->email_at));
      out.attendance_at.push_back(std::move(r->attendance_at));
    } else {
      out.complete = false;
    }
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

namespace {

void check_attendance(const ParticipantList& list, const model::Visit& visit, Diagnostics& diags) {
  const bool held = visit.status == model::VisitStatus::Held;
  if (held && list.from_file && !list.has_attendance_column && !list.people.empty()) {
    diags.error(list.header, fmt::format("no attendance column, but the visit on {} is held", visit.date.iso()),
                "add a column 'närvaro' with ja or nej for every participant; only those marked present get a "
                "certificate");
    return;
  }
  std::size_t marked = 0;
  const SourceLoc* first_marked = nullptr;
  for (std::size_t i = 0; i < list.people.size(); ++i) {
    const model::Participant& p = list.people[i];
    if (p.attended) {
      if (!first_marked) first_marked = &list.attendance_at[i];
      ++marked;
      continue;
    }
    if (!held || load::diagnostics_flooded(diags)) continue;
    diags.error(list.attendance_at[i],
                fmt::format("attendance of '{}' is not marked, but the visit on {} is held", p.name,
                            visit.date.iso()),
                list.from_file ? "write ja or nej (x for present works too); a blank is not taken as absent"
                               : "add 'attended: ja' or 'attended: nej'; a missing value is not taken as absent");
  }
  if (!held && first_marked)
    diags.warning(*first_marked,
                  fmt::format("attendance is marked for {} of {} participants, but the visit on {} is {}; it "
                              "is not used until the visit has 'status: held'",
                              marked, list.people.size(), visit.date.iso(),
                              visit.status == model::VisitStatus::Cancelled ? "cancelled" : "planned"));
}

void check_shared_emails(const ParticipantList& list, Diagnostics& diags) {
  std::unordered_map<std::string, std::size_t> first;
  for (std::size_t i = 0; i < list.people.size(); ++i) {
    const model::Participant& p = list.people[i];
    if (p.email.empty()) continue;
    const auto [it, fresh] = first.emplace(text::to_lower(p.email), i);
    if (fresh || load::diagnostics_flooded(diags)) continue;
    const model::Participant& other = list.people[it->second];
    if (fold(other.name) == fold(p.name)) continue;  // registered twice: an error of its own
    const SourceLoc& at = list.email_at[it->second];
    const std::string where =
        at.path == list.email_at[i].path ? fmt::format("line {}", at.line) : fmt::format("{}:{}", at.path, at.line);
    diags.warning(list.email_at[i], fmt::format("'{}' is also the e-mail address of '{}'", p.email, other.name),
                  fmt::format("at {}; each participant's certificate goes to their own address", where));
  }
}

}  // namespace

void check_visit_participants(const ParticipantList& list, const model::Visit& visit, bool status_known,
                              Diagnostics& diags) {
  if (status_known) check_attendance(list, visit, diags);
  check_shared_emails(list, diags);
}

}  // namespace cp::validate
