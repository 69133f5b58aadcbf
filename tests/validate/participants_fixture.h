// The participants files of the test project (project_fixture.h) that
// several participants tests change.
#pragma once

#include <string>
#include <string_view>

#include "project_fixture.h"

namespace cp::testing {

inline constexpr const char* kEksjo = "materials/municipalities/eksjo.yaml";
inline constexpr const char* kCsv = "materials/participants/eksjo-2023-06-13.csv";
inline constexpr const char* kPlannedVisit = "    participants: participants/eksjo-2023-06-13.csv\n";

// Marks the fixture's second Eksjö visit (the one with the CSV file) held
// and writes `csv` as its participants.
inline void held_csv(const TempProject& p, std::string_view csv) {
  p.replace(kEksjo, kPlannedVisit, std::string("    status: held\n") + kPlannedVisit);
  p.write(kCsv, csv);
}

}  // namespace cp::testing
