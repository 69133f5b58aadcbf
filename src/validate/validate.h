// The validate stage: every input file under a project root → the model.
//
// Reads materials/ (project, courses, modules, municipalities, participants)
// and layouts/, checks them against the contract in SPEC.md and reports every
// problem found, in all files, before returning.
#pragma once

#include <filesystem>
#include <optional>

#include "core/diagnostics.h"
#include "model/model.h"

namespace cp::validate {

// Reads and validates everything under root (materials/ and layouts/).
// Returns the programme when there were no errors; all diagnostics go to diags.
std::optional<model::Programme> load_programme(const std::filesystem::path& root, Diagnostics& diags);

}  // namespace cp::validate
