// The validate stage: every input file under a project root → the model.
//
// Reads materials/ (project, courses, modules, municipalities, participants)
// and layouts/, checks them against the contract in README.md and reports every
// problem found, in all files, before returning.
#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/diagnostics.h"
#include "model/model.h"

namespace cp::validate {

// A course module (Markdown): Pandoc and the handout's layout cost about
// 3–5 CPU s and 130–220 MB per MB of text (a 4 MB module: 13 CPU s, 516 MB
// peak), so a module stays under 2 MB, which also leaves Pandoc's 30 s
// timeout a wide margin on a busy machine, rather than the 16 MB of any input.
inline constexpr std::size_t kMaxModuleBytes = 2u * 1024u * 1024u;
// A municipality's notes (Markdown in its YAML file), printed in each of
// its handouts.
inline constexpr std::size_t kMaxLocalNotesBytes = 1024u * 1024u;

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
