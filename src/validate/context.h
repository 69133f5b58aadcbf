// What every reader in validate/ shares: where the project is and where
// diagnostics go, plus resolving the file paths written in input files.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "core/diagnostics.h"
#include "load/yaml.h"

namespace cp::validate {

struct Context {
  std::filesystem::path root;       // absolute, canonical
  std::filesystem::path materials;  // root/materials
  std::filesystem::path layouts;    // root/layouts
  Diagnostics& diags;

  // `file` relative to the root with '/' separators, as diagnostics show it.
  std::string display(const std::filesystem::path& file) const;
};

// The folder a path written in an input file is relative to.
enum class Folder { Materials, Layouts };

// Resolves the path in `node` (a scalar) inside its folder: it must exist and
// may not leave the folder (`..`, absolute, a symlink out). Reports at the
// node, with a did-you-mean for a near-miss file name; nullopt on failure.
std::optional<std::filesystem::path> resolve_file(const Context& ctx, const load::YamlNode& node, std::string_view key,
                                                  Folder folder);

// A PNG or JPEG image: resolved as above and, in layouts, under assets/.
std::optional<std::filesystem::path> resolve_image(const Context& ctx, const load::YamlNode& node, std::string_view key,
                                                   Folder folder);

}  // namespace cp::validate
