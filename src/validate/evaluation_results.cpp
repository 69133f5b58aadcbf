#include "validate/evaluation_results.h"

#include <fmt/format.h>

#include <array>
#include <charconv>
#include <map>
#include <vector>

#include "core/text.h"
#include "load/csv.h"
#include "load/source.h"
#include "validate/fields.h"
#include "validate/participant_checks.h"

namespace cp::validate {

namespace {

constexpr std::size_t kAnswers = 5;
constexpr std::string_view kHeaderHint = "the first row must be: fråga;1;2;3;4;5";

// Header words, compared folded. Answer columns are the digits 1–5.
constexpr std::string_view kQuestionHeaders[] = {"fråga", "question"};

// The rows every file has, as the form names them.
enum class RowKind { Before, After, Statement };
constexpr Choice<RowKind> kRowWords[] = {
    {"före", RowKind::Before}, {"efter", RowKind::After}, {"before", RowKind::Before}, {"after", RowKind::After}};

struct Columns {
  std::optional<std::size_t> question;
  std::array<std::optional<std::size_t>, kAnswers> answer;

  static const load::TableCell* cell(const load::TableRow& row, const std::optional<std::size_t>& i) {
    return i && *i < row.cells.size() ? &row.cells[*i] : nullptr;
  }
};

std::string quoted_list(const std::vector<std::string>& words) {
  std::string out;
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (i) out += i + 1 == words.size() ? " and " : ", ";
    out += "'" + words[i] + "'";
  }
  return out;
}

std::optional<Columns> map_columns(const load::Table& table, const std::string& path, Diagnostics& diags) {
  std::vector<std::string_view> known(std::begin(kQuestionHeaders), std::end(kQuestionHeaders));
  for (const auto* digit : {"1", "2", "3", "4", "5"}) known.push_back(digit);
  Columns cols;
  bool ok = true;
  for (std::size_t i = 0; i < table.header.cells.size(); ++i) {
    const load::TableCell& cell = table.header.cells[i];
    const std::string_view name = text::trim(cell.text);
    const std::string folded = fold(name);
    const SourceLoc loc{path, cell.line, cell.col};
    std::optional<std::size_t>* slot = nullptr;
    if (folded == kQuestionHeaders[0] || folded == kQuestionHeaders[1])
      slot = &cols.question;
    else if (folded.size() == 1 && folded[0] >= '1' && folded[0] <= '5')
      slot = &cols.answer[static_cast<std::size_t>(folded[0] - '1')];
    if (!slot) {
      if (!name.empty()) diags.warning(loc, fmt::format("unknown column '{}'", name), did_you_mean(folded, known));
      continue;
    }
    if (*slot) {
      diags.error(loc, fmt::format("duplicate column '{}'", name));
      ok = false;
      continue;
    }
    *slot = i;
  }
  const SourceLoc header_loc{path, table.header.line, 1};
  if (!cols.question) {
    diags.error(header_loc, "missing 'fråga' column", std::string(kHeaderHint));
    ok = false;
  }
  std::vector<std::string> missing;
  for (std::size_t a = 0; a < kAnswers; ++a)
    if (!cols.answer[a]) missing.push_back(std::to_string(a + 1));
  if (!missing.empty()) {
    diags.error(header_loc,
                fmt::format("missing answer column{} {}", missing.size() > 1 ? "s" : "", quoted_list(missing)),
                std::string(kHeaderHint));
    ok = false;
  }
  if (!ok) return std::nullopt;
  return cols;
}

// The rows a file for `course` may have, for hints.
std::string rows_hint(const model::Course* course) {
  if (!course) return "the rows are 'före', 'efter' and the numbers of the course's statements";
  const std::size_t n = course->evaluation.statements.size();
  if (n == 0) return fmt::format("the rows are 'före' and 'efter'; course '{}' has no rated statements", course->id);
  if (n == 1) return fmt::format("the rows are 'före', 'efter' and statement 1 of course '{}'", course->id);
  return fmt::format("the rows are 'före', 'efter' and the statements 1 to {} of course '{}'", n, course->id);
}

// What a row is: before, after or statement n. Reports and returns nullopt
// for anything else.
std::optional<std::pair<RowKind, int>> row_id(const load::TableCell& cell, const model::Course* course,
                                              const std::string& path, Diagnostics& diags) {
  const std::string_view written = text::trim(cell.text);
  const std::string folded = fold(written);
  for (const auto& w : kRowWords)
    if (w.word == folded) return std::pair{w.value, 0};
  const SourceLoc loc{path, cell.line, cell.col};
  int n = 0;
  const auto [end, ec] = std::from_chars(folded.data(), folded.data() + folded.size(), n);
  const bool number = !folded.empty() && ec == std::errc() && end == folded.data() + folded.size();
  if (number && n >= 1 && (!course || static_cast<std::size_t>(n) <= course->evaluation.statements.size()))
    return std::pair{RowKind::Statement, n};
  std::vector<std::string_view> words;
  for (const auto& w : kRowWords) words.push_back(w.word);
  std::string hint = number ? std::string() : did_you_mean(folded, words);
  if (hint.empty()) hint = rows_hint(course);
  diags.error(loc, fmt::format("unknown question '{}'", written), std::move(hint));
  return std::nullopt;
}

std::string row_name(RowKind kind, int n) {
  switch (kind) {
    case RowKind::Before: return "före";
    case RowKind::After: return "efter";
    case RowKind::Statement: return std::to_string(n);
  }
  return {};
}

// One count cell: empty is 0. Reports and returns nullopt otherwise.
std::optional<int> count_of(const load::TableCell* cell, std::size_t answer, const std::string& path,
                            Diagnostics& diags) {
  if (!cell) return 0;
  const std::string_view s = text::trim(cell->text);
  if (s.empty()) return 0;
  const SourceLoc loc{path, cell->line, cell->col};
  long v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  const bool whole = ec == std::errc() && end == s.data() + s.size();
  if (whole && v < 0) {
    diags.error(loc, fmt::format("the count under '{}' must be zero or more, not '{}'", answer, s));
    return std::nullopt;
  }
  if (!whole) {
    diags.error(loc, fmt::format("the count under '{}' must be a whole number, not '{}'", answer, s),
                "write how many forms have this answer ticked; 0 or an empty cell for none");
    return std::nullopt;
  }
  if (v > static_cast<long>(kMaxParticipantsPerVisit)) {
    diags.error(loc, fmt::format("the count under '{}' is {}; a visit has at most {} participants", answer, s,
                                 kMaxParticipantsPerVisit));
    return std::nullopt;
  }
  return static_cast<int>(v);
}

// How many forms a row may count, and who they are; nullopt when unknown.
std::optional<std::pair<int, std::string_view>> form_limit(const model::Visit& visit) {
  if (visit.participants.empty()) return std::nullopt;
  int attended = 0;
  bool marked = false;
  for (const auto& p : visit.participants) {
    marked = marked || p.attended.has_value();
    attended += p.attended.value_or(false) ? 1 : 0;
  }
  if (marked) return std::pair{attended, std::string_view("attending")};
  return std::pair{static_cast<int>(visit.participants.size()), std::string_view("registered")};
}

}  // namespace

std::optional<model::EvaluationResults> read_evaluation_results(const Context& ctx, const std::filesystem::path& file,
                                                                const std::string& written,
                                                                const model::Course* course,
                                                                const model::Visit& visit) {
  Diagnostics& diags = ctx.diags;
  const std::size_t errors_before = diags.error_count();
  const std::string path = ctx.display(file);
  const auto table = load::load_csv_file(file, path, diags);
  if (!table) return std::nullopt;
  const auto cols = map_columns(*table, path, diags);
  if (!cols) return std::nullopt;

  model::EvaluationResults results;
  results.file = written;
  results.loc = {path, table->header.line, 1};
  const auto limit = form_limit(visit);
  std::map<std::pair<RowKind, int>, int> first_line;
  for (const auto& row : table->records) {
    if (load::diagnostics_flooded(diags)) break;
    const load::TableCell* id_cell = Columns::cell(row, cols->question);
    if (!id_cell || text::trim(id_cell->text).empty()) {
      diags.error({path, row.line, id_cell ? id_cell->col : 1}, "row without a question",
                  "start the row with the statement's number on the form, or 'före' or 'efter'");
      continue;
    }
    const auto id = row_id(*id_cell, course, path, diags);
    model::AnswerCounts counts{};
    bool counts_ok = true;
    int total = 0;
    for (std::size_t a = 0; a < kAnswers; ++a) {
      const auto c = count_of(Columns::cell(row, cols->answer[a]), a + 1, path, diags);
      if (!c) {
        counts_ok = false;
        continue;
      }
      counts[a] = *c;
      total += *c;
    }
    if (!id) continue;
    const SourceLoc loc{path, id_cell->line, id_cell->col};
    const auto [it, fresh] = first_line.emplace(*id, row.line);
    if (!fresh) {
      diags.error(loc, fmt::format("row '{}' appears twice", row_name(id->first, id->second)),
                  fmt::format("the first is at line {}; add the counts up into one row", it->second));
      continue;
    }
    if (!counts_ok) continue;
    if (limit && total > limit->first) {
      diags.error(loc,
                  fmt::format("{} forms counted for '{}', more than the visit's {} {} participant{}", total,
                              row_name(id->first, id->second), limit->first, limit->second,
                              limit->first == 1 ? "" : "s"),
                  "each form is counted once per row; add anyone who came without registering to the participants");
      continue;
    }
    switch (id->first) {
      case RowKind::Before: results.before = counts; break;
      case RowKind::After: results.after = counts; break;
      case RowKind::Statement: results.statements[id->second] = counts; break;
    }
  }
  if (!load::diagnostics_flooded(diags))
    for (const RowKind kind : {RowKind::Before, RowKind::After})
      if (!first_line.contains({kind, 0}))
        diags.error(results.loc, fmt::format("no '{}' row", row_name(kind, 0)),
                    "the report's before/after chart needs both rows, 'före' and 'efter'");
  if (diags.error_count() > errors_before) return std::nullopt;
  return results;
}

}  // namespace cp::validate
