#include "validate/validate.h"

#include <fmt/format.h>

#include <algorithm>

#include "load/source.h"
#include "validate/readers.h"

namespace cp::validate {

namespace fs = std::filesystem;

std::vector<fs::path> yaml_files_in(const Context& ctx, const fs::path& folder) {
  std::vector<fs::path> out;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(folder, ec)) {
    const fs::path& p = entry.path();
    const std::string name = p.filename().string();
    // Hidden files and editor backups are not inputs.
    if (name.starts_with('.') || name.ends_with('~') || !entry.is_regular_file(ec)) continue;
    if (p.extension() == ".yaml")
      out.push_back(p);
    else
      ctx.diags.warning({ctx.display(p), 0, 0}, "file ignored: not a .yaml file",
                        p.extension() == ".yml" ? "rename it to end in .yaml" : "");
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::optional<load::YamlDocument> load_mapping_file(const Context& ctx, const fs::path& file) {
  auto doc = load::load_yaml_file(file, ctx.display(file), ctx.diags);
  if (!doc) return std::nullopt;
  if (!doc->root->is_mapping()) {
    ctx.diags.error(doc->root->loc, "expected a mapping (key: value lines) at the top of the file");
    return std::nullopt;
  }
  return doc;
}

std::optional<model::Programme> load_programme(const fs::path& root, Diagnostics& diags) {
  const std::size_t errors_before = diags.error_count();
  std::error_code ec;
  const fs::path abs_root = fs::weakly_canonical(fs::absolute(root, ec), ec);
  if (!fs::is_directory(abs_root / "materials", ec)) {
    diags.error({}, fmt::format("no materials/ folder in {}", abs_root.string()),
                "run coursepack in the folder that holds materials/ and layouts/, or give --root");
    return std::nullopt;
  }
  const Context ctx{abs_root, abs_root / "materials", abs_root / "layouts", diags};

  load::ReadLog read_log;  // what is parsed is what the packs hash
  model::Programme programme;
  programme.root = abs_root.string();
  programme.project = read_project(ctx);
  programme.courses = read_courses(ctx);
  programme.municipalities = read_municipalities(ctx, programme.courses);
  programme.layouts = read_layouts(ctx);
  if (diags.error_count() > errors_before) return std::nullopt;
  for (auto& [path, in] : read_log.take()) programme.inputs[path] = {std::move(in.sha256), std::move(in.bytes)};
  return programme;
}

}  // namespace cp::validate
