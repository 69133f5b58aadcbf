// The validate stage: every input file under a project root → the model.
//
// Reads materials/ (project, courses, modules, municipalities, participants)
// and layouts/, checks them against the contract in README.md and reports every
// problem found, in all files, before returning.
#pragma once

#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/diagnostics.h"
#include "model/model.h"

namespace cp::validate {

// Reads and validates everything under root (materials/ and layouts/).
// Returns the programme when there were no errors; all diagnostics go to diags.
std::optional<model::Programme> load_programme(const std::filesystem::path& root, Diagnostics& diags);

// The same reading, but the programme is returned as far as it could be read
// even when there were errors (nullopt only without a materials/ folder).
std::optional<model::Programme> read_programme(const std::filesystem::path& root, Diagnostics& diags);

// Whose the errors are, for `build --keep-going`. A visit's own inputs are
// its entry in its municipality's file, its participants and evaluation
// files, its course file and that course's modules. Everything else is in
// every pack: project.yaml, the layouts, and a municipality's name and
// contacts (every handout lists the county's contacts), so an error there,
// or in a municipality file that could not be read, stops every pack.
struct ErrorOwners {
  bool everything = false;
  std::set<const model::Visit*> visits;  // visits with errors in their own inputs
  std::vector<SourceLoc> unread_visits;  // visit entries that could not be read at all
};
ErrorOwners error_owners(const model::Programme& programme, const std::vector<Diagnostic>& diagnostics);

}  // namespace cp::validate
