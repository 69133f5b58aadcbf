// The retention period (project.yaml `retention`): which visits are past
// it, and the warnings `coursepack check` gives about inputs that still
// hold their participants' names.
#pragma once

#include <vector>

#include "core/diagnostics.h"
#include "model/model.h"

namespace cp::validate {

// The last day the personal data of a visit on `date` may be kept.
model::Date retention_ends(const model::Date& date, const model::Retention& retention);

// True when `today` is after the retention period of a visit on `date`.
bool past_retention(const model::Date& date, const model::Retention& retention, const model::Date& today);

struct PastVisit {
  const model::Municipality* municipality = nullptr;
  const model::Visit* visit = nullptr;
  model::Date ended;  // the period's last day
};

// The visits of the programme past its retention period on `today`, in
// the programme's order; none when project.yaml sets no retention.
std::vector<PastVisit> visits_past_retention(const model::Programme& programme, const model::Date& today);

// A warning for each visit past the retention period whose inputs still
// hold participants, at the first of them (the inline entry or the CSV
// row), naming the file that holds them.
void warn_past_retention(const model::Programme& programme, const model::Date& today, Diagnostics& diags);

}  // namespace cp::validate
