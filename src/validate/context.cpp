#include "validate/context.h"

#include <fmt/format.h>

#include <fstream>
#include <vector>

#include "core/files.h"
#include "core/image_probe.h"
#include "core/text.h"
#include "load/source.h"
#include "validate/fields.h"

namespace cp::validate {

namespace fs = std::filesystem;

std::string Context::display(const fs::path& file) const { return file.lexically_relative(root).generic_string(); }

namespace {

const fs::path& folder_path(const Context& ctx, Folder folder) {
  return folder == Folder::Materials ? ctx.materials : ctx.layouts;
}

std::string_view folder_name(Folder folder) { return folder == Folder::Materials ? "materials" : "layouts"; }

// For a path that does not exist: the nearest name in the folder it names.
std::string near_miss_hint(const fs::path& missing, std::string_view written) {
  std::error_code ec;
  const fs::path dir = missing.parent_path();
  if (!fs::is_directory(dir, ec)) return {};
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(dir, ec)) names.push_back(entry.path().filename().string());
  const std::vector<std::string_view> views(names.begin(), names.end());
  const auto best = nearest(missing.filename().string(), views);
  if (!best) return {};
  // Show the whole path as it would be written.
  const std::string_view folder = written.substr(0, written.rfind('/') + 1);
  return fmt::format("did you mean '{}{}'?", folder, *best);
}

// Read whole, once: the bytes are kept for layout and render (load::read_image_file).
bool is_png_or_jpeg(const fs::path& file) {
  const files::ReadResult r = load::read_image_file(file);
  return r.status == files::ReadStatus::Ok && image::sniff(r.bytes) != image::Format::Unknown;
}

bool is_inside(const fs::path& file, const fs::path& folder) {
  const auto rel = file.lexically_relative(folder);
  return !rel.empty() && *rel.begin() != "..";
}

}  // namespace

std::optional<fs::path> resolve_file(const Context& ctx, const load::YamlNode& node, std::string_view key,
                                     Folder folder) {
  const auto written = to_text(node, key, ctx.diags);
  if (!written) return std::nullopt;
  const std::string_view path = text::trim(*written);
  const files::Resolved r = files::resolve_inside(folder_path(ctx, folder), path);
  if (r.status == files::ResolveStatus::Ok) {
    if (fs::is_regular_file(r.path)) return r.path;
    ctx.diags.error(node.loc, fmt::format("'{}' is not a file", path));
    return std::nullopt;
  }
  const std::string hint = r.status == files::ResolveStatus::NotFound ? near_miss_hint(r.path, path) : "";
  ctx.diags.error(node.loc, files::describe(r.status, path, folder_name(folder)), hint);
  return std::nullopt;
}

std::optional<fs::path> resolve_image(const Context& ctx, const load::YamlNode& node, std::string_view key,
                                      Folder folder) {
  const auto file = resolve_file(ctx, node, key, folder);
  if (!file) return std::nullopt;
  const std::string_view written = text::trim(node.scalar);
  std::error_code ec;
  if (folder == Folder::Layouts && !is_inside(*file, fs::weakly_canonical(ctx.layouts / "assets", ec))) {
    ctx.diags.error(node.loc, fmt::format("image '{}' is not under assets/", written),
                    "layouts may use images in layouts/assets/ only");
    return std::nullopt;
  }
  if (!is_png_or_jpeg(*file)) {
    ctx.diags.error(node.loc, fmt::format("image '{}' is not a png or jpeg file", written));
    return std::nullopt;
  }
  return file;
}

}  // namespace cp::validate
