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

std::optional<load::YamlDocument> load_mapping_file(const Context& ctx, const fs::path& file, std::size_t max_bytes) {
  auto doc = load::load_yaml_file(file, ctx.display(file), ctx.diags, max_bytes);
  if (!doc) return std::nullopt;
  if (!doc->root->is_mapping()) {
    ctx.diags.error(doc->root->loc, "expected a mapping (key: value lines) at the top of the file");
    return std::nullopt;
  }
  return doc;
}

std::optional<model::Programme> load_programme(const fs::path& root, Diagnostics& diags) {
  const std::size_t errors_before = diags.error_count();
  auto programme = read_programme(root, diags);
  if (diags.error_count() > errors_before) return std::nullopt;
  return programme;
}

std::optional<model::Programme> read_programme(const fs::path& root, Diagnostics& diags) {
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
  for (auto& [path, in] : read_log.take()) programme.inputs[path] = {std::move(in.sha256), std::move(in.bytes)};
  return programme;
}

namespace {

// The entry of `lines` (ascending) that `line` falls in: the last one at or
// before it; -1 before the first.
template <class T, class LineOf>
std::ptrdiff_t section_of(const std::vector<T>& lines, int line, LineOf line_of) {
  std::ptrdiff_t found = -1;
  for (std::size_t i = 0; i < lines.size(); ++i)
    if (line_of(lines[i]) <= line) found = static_cast<std::ptrdiff_t>(i);
  return found;
}

}  // namespace

ErrorOwners error_owners(const model::Programme& programme, const std::vector<Diagnostic>& diagnostics) {
  ErrorOwners out;
  auto each_visit = [&](auto&& wanted) {
    bool any = false;
    for (const auto& m : programme.municipalities)
      for (const auto& v : m.visits)
        if (wanted(m, v)) {
          out.visits.insert(&v);
          any = true;
        }
    return any;
  };
  for (const auto& d : diagnostics) {
    if (d.severity != Severity::Error) continue;
    const std::string& path = d.loc.path;
    const fs::path file(path);
    const std::string folder = file.parent_path().generic_string();
    if (folder == "materials/courses") {
      const std::string id = file.stem().string();
      each_visit([&](const auto&, const model::Visit& v) { return v.course == id; });
      continue;  // a course no visit takes stops nothing
    }
    if (path.starts_with("materials/modules/")) {
      each_visit([&](const auto&, const model::Visit& v) {
        const auto c = programme.courses.find(v.course);
        if (c == programme.courses.end()) return false;
        for (const auto& ref : c->second.modules)
          if ("materials/" + ref.path == path) return true;
        return false;
      });
      continue;
    }
    if (folder == "materials/municipalities") {
      const model::Municipality* m = nullptr;
      for (const auto& candidate : programme.municipalities)
        if (candidate.file == path) m = &candidate;
      if (!m) {  // not read at all: its contacts are missing from every handout
        out.everything = true;
        continue;
      }
      const auto key = section_of(m->key_lines, d.loc.line, [](const auto& k) { return k.second; });
      const std::string section = key < 0 ? "" : m->key_lines[static_cast<std::size_t>(key)].first;
      if (section == "name" || section == "contacts") {
        out.everything = true;
        continue;
      }
      const auto entry = section == "visits" ? section_of(m->visit_lines, d.loc.line, [](int l) { return l; }) : -1;
      if (entry < 0) {  // the municipality's own keys: all its visits
        for (const auto& v : m->visits) out.visits.insert(&v);
        continue;
      }
      const int first_line = m->visit_lines[static_cast<std::size_t>(entry)];
      const model::Visit* visit = nullptr;
      for (const auto& v : m->visits)
        if (v.loc.line == first_line) visit = &v;
      if (visit)
        out.visits.insert(visit);
      else if (std::none_of(out.unread_visits.begin(), out.unread_visits.end(),
                            [&](const SourceLoc& l) { return l.path == path && l.line == first_line; }))
        out.unread_visits.push_back({path, first_line, 1});
      continue;
    }
    // A participants or evaluation file, when some visit reads it; anything
    // else (project.yaml, layouts, a file no visit claims) stops every pack.
    const bool owned = folder.starts_with("materials/") && each_visit([&](const auto&, const model::Visit& v) {
                         return std::find(v.own_files.begin(), v.own_files.end(), path) != v.own_files.end();
                       });
    if (!owned) out.everything = true;
  }
  return out;
}

}  // namespace cp::validate
