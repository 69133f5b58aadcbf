// The readers of validate/, one per kind of input file. Each reports every
// problem it finds to ctx.diags and returns what it could read; the caller
// decides at the end whether the programme is usable.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/files.h"
#include "model/model.h"
#include "validate/context.h"

namespace cp::validate {

// materials/project.yaml
model::Project read_project(const Context& ctx);

// materials/courses/*.yaml, and the module files they name (each read once).
std::map<std::string, model::Course> read_courses(const Context& ctx);

// One module file: front matter keys and placeholders.
// Reads and checks a module; its size in bytes (0 when it cannot be read).
std::size_t check_module(const Context& ctx, const std::filesystem::path& file);

// materials/municipalities/*.yaml with their visits and participants, sorted
// by slug. `courses` is what visits may name.
std::vector<model::Municipality> read_municipalities(const Context& ctx,
                                                     const std::map<std::string, model::Course>& courses);

// A person: {name, <position_key>, email, phone}, every key optional; the
// value of `position_key` (`title` for the coordinator, `role` for a
// municipality's contacts) goes to Person::title.
model::Person read_person(const load::YamlNode& node, std::string_view position_key, Diagnostics& diags);

// layouts/*.yaml; a missing file leaves the defaults.
model::Layouts read_layouts(const Context& ctx);

// A YAML file whose top level must be a mapping; nullopt (reported) when it
// cannot be read, does not parse, or holds something else.
std::optional<load::YamlDocument> load_mapping_file(const Context& ctx, const std::filesystem::path& file,
                                                   std::size_t max_bytes = files::kMaxInputBytes);

// The YAML files of a folder (`*.yaml`), sorted, keyed by file stem. Other
// files there are warned about: a misnamed file would silently drop out.
std::vector<std::filesystem::path> yaml_files_in(const Context& ctx, const std::filesystem::path& folder);

}  // namespace cp::validate
