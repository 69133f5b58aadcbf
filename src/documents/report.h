// The programme overview (`coursepack report` → out/report.pdf): a visit
// calendar, registered vs attended per municipality (also per 1,000
// inhabitants), a tile map of the county's municipalities coloured by
// guideline status, and the before/after confidence from evaluation
// results. Charts are vector items; every chart has its numbers in a table.
#pragma once

#include <array>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "core/diagnostics.h"
#include "frame/frame.h"
#include "model/model.h"

namespace cp::documents {

// Answers to the confidence question of one visit's forms: how many
// answered 1..5 before and after the training (evaluation_results CSV).
struct VisitEvaluation {
  std::string municipality;  // slug
  model::Date date;
  std::array<int, 5> before{};
  std::array<int, 5> after{};
};

struct ReportData {
  // The calendar's years, ascending: one calendar page each, so that every
  // visit counted in the report is also on a calendar. Empty: `year` alone.
  std::vector<int> years;
  int year = 2023;
  std::vector<VisitEvaluation> evaluations;
  // Visits whose personal data was purged (slug/visit → registered,
  // attended as counted then): counted so, not from the participants the
  // inputs still (or no longer) hold.
  std::map<std::string, std::pair<int, int>> recorded;
};

// The years the programme's visits fall in, ascending.
std::vector<int> calendar_years(const model::Programme& programme);

// The confidence answers of every visit with evaluation results, in the
// order of the programme (municipalities by slug, visits as written).
std::vector<VisitEvaluation> visit_evaluations(const model::Programme& programme);

// The numbers of one municipality, as charted and tabled.
struct MunicipalityFigures {
  const model::Municipality* municipality = nullptr;
  int planned = 0;     // visits with status planned
  int held = 0;        // visits with status held
  int registered = 0;  // participants of every visit
  int attended = 0;    // held visits: participants with attended: true
  // per 1,000 inhabitants; negative when the population is not given
  double registered_per_1000 = -1;
  double attended_per_1000 = -1;
};
std::vector<MunicipalityFigures> municipality_figures(
    const model::Programme& programme, const std::map<std::string, std::pair<int, int>>& recorded = {});

// Mean of 1..5 answers; 0 when nobody answered.
double mean_answer(const std::array<int, 5>& counts);

// "Jönköpings kommun" → "Jönköping", "Tranås kommun" → "Tranås" (charts
// and tables).
using model::short_municipality_name;

// Lays out the overview. Throws EnvironmentError when a font is missing.
layout::Document compose_report(const model::Programme& programme, const ReportData& data, Diagnostics& diags);

}  // namespace cp::documents
