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

// The text of one handout: a course's modules together (Markdown), and any
// one module. Setting text costs about 3–5 CPU s and 130–220 MB per MB of
// ordinary prose, but text that must be broken inside words (a run of
// letters wider than the line) costs about 1.3 KB of memory per character
// while its paragraph is set, in each pack being made. 512 KB (about 450
// pages of prose) keeps the worst case of a whole county's build under
// 2 GB and a minute of a 2-core machine, and Pandoc's 30 s timeout far away.
inline constexpr std::size_t kMaxModuleBytes = 512u * 1024u;
inline constexpr std::size_t kMaxCourseTextBytes = 512u * 1024u;
// A municipality's notes (Markdown in its YAML file), printed in each of
// its handouts.
inline constexpr std::size_t kMaxLocalNotesBytes = 64u * 1024u;
// What every certificate prints, set again for each participant: a
// course's learning goals, and the signatories (signature, name, title).
inline constexpr std::size_t kMaxLearningGoals = 20;
inline constexpr std::size_t kMaxLearningGoalLength = 300;  // characters
inline constexpr std::size_t kMaxSignatories = 4;
inline constexpr std::size_t kMaxSignatoryTextLength = 200;  // characters, name and title
// project.yaml, a course's YAML and a layout: settings and short texts.
// (A municipality's file holds its participant lists, bounded per visit.)
inline constexpr std::size_t kMaxSettingsFileBytes = 64u * 1024u;

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
