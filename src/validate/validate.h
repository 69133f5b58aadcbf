// The validate stage: every input file under a project root → the model.
//
// Reads materials/ (project, courses, modules, municipalities, participants)
// and layouts/, checks them against the contract in SPEC.md and reports every
// problem found, in all files, before returning.
#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>

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
inline constexpr std::size_t kMaxNotesBytes = 1024u * 1024u;

// Reads and validates everything under root (materials/ and layouts/).
// Returns the programme when there were no errors; all diagnostics go to diags.
std::optional<model::Programme> load_programme(const std::filesystem::path& root, Diagnostics& diags);

}  // namespace cp::validate
