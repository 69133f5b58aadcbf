// The checks over a visit's participants (validate/participant_checks.h).
#include "validate/participant_checks.h"

#include <fmt/format.h>

#include <string>
#include <unordered_map>
#include <utility>

#include "core/text.h"
#include "load/source.h"
#include "validate/fields.h"

namespace cp::validate {

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
