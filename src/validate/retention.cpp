#include "validate/retention.h"

#include <fmt/format.h>

namespace cp::validate {

model::Date retention_ends(const model::Date& date, const model::Retention& retention) {
  return date.plus_months(retention.months);
}

bool past_retention(const model::Date& date, const model::Retention& retention, const model::Date& today) {
  return retention_ends(date, retention) < today;
}

std::vector<PastVisit> visits_past_retention(const model::Programme& programme, const model::Date& today) {
  std::vector<PastVisit> out;
  const auto& retention = programme.project.retention;
  if (!retention) return out;
  for (const auto& m : programme.municipalities)
    for (const auto& v : m.visits)
      if (past_retention(v.date, *retention, today)) out.push_back({&m, &v, retention_ends(v.date, *retention)});
  return out;
}

void warn_past_retention(const model::Programme& programme, const model::Date& today, Diagnostics& diags) {
  for (const auto& past : visits_past_retention(programme, today)) {
    const model::Visit& v = *past.visit;
    if (v.participants.empty()) continue;
    const std::size_t n = v.participants.size();
    diags.warning(v.participants.front().loc,
                  fmt::format("the visit on {} is past the retention period ({}, until {}), but this file still "
                              "holds the names of its {} participant{}",
                              v.date.iso(), programme.project.retention->written, past.ended.iso(), n,
                              n == 1 ? "" : "s"),
                  "run 'coursepack purge' to remove them from out/, then delete the participants here (keep the "
                  "visit itself: its date, course and status)");
  }
}

}  // namespace cp::validate
