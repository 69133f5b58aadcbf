// The numbers the programme overview shows, counted from the programme:
// visits and participants per municipality, evaluation answers, the years
// of the calendar.
#include "documents/report.h"

#include <set>

namespace cp::documents {

std::vector<MunicipalityFigures> municipality_figures(const model::Programme& programme,
                                                      const std::map<std::string, std::pair<int, int>>& recorded) {
  std::vector<MunicipalityFigures> out;
  for (const auto& m : programme.municipalities) {
    MunicipalityFigures f;
    f.municipality = &m;
    for (const auto& v : m.visits) {
      if (v.status == model::VisitStatus::Cancelled) continue;  // not given: no one trained
      (v.status == model::VisitStatus::Held ? f.held : f.planned)++;
      if (const auto r = recorded.find(m.slug + "/" + v.key()); r != recorded.end()) {
        f.registered += r->second.first;
        f.attended += r->second.second;
        continue;
      }
      f.registered += static_cast<int>(v.participants.size());
      if (v.status == model::VisitStatus::Held)
        for (const auto& pt : v.participants)
          if (pt.attended.value_or(false)) ++f.attended;
    }
    if (m.population && *m.population > 0) {
      f.registered_per_1000 = 1000.0 * f.registered / static_cast<double>(*m.population);
      f.attended_per_1000 = 1000.0 * f.attended / static_cast<double>(*m.population);
    }
    out.push_back(f);
  }
  return out;
}

std::vector<VisitEvaluation> visit_evaluations(const model::Programme& programme) {
  std::vector<VisitEvaluation> out;
  for (const auto& m : programme.municipalities)
    for (const auto& v : m.visits)
      if (const auto& r = v.evaluation_results) out.push_back({m.slug, v.date, r->before, r->after});
  return out;
}

double mean_answer(const std::array<int, 5>& counts) {
  double n = 0, sum = 0;
  for (std::size_t i = 0; i < counts.size(); ++i) {
    n += counts[i];
    sum += counts[i] * static_cast<double>(i + 1);
  }
  return n > 0 ? sum / n : 0;
}

std::vector<int> calendar_years(const model::Programme& programme) {
  std::set<int> years;
  for (const auto& m : programme.municipalities)
    for (const auto& v : m.visits) years.insert(v.date.year);
  return {years.begin(), years.end()};
}

}  // namespace cp::documents
