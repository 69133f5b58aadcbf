#include "app/build.h"

#include <catch2/catch.hpp>

#include "core/files.h"
#include "core/sha256.h"
#include "support/temp_dir.h"
#include "validate/validate.h"

namespace fs = std::filesystem;
using namespace cp;

namespace {

std::string hash_of(const std::vector<std::pair<std::string, std::string>>& inputs, const std::string& name) {
  for (const auto& [n, h] : inputs)
    if (n == name) return h;
  return {};
}

}  // namespace

TEST_CASE("PackHasher hashes the bytes validation parsed, not the files as they are later") {
  const auto root = test::make_temp_dir("hasher");
  for (const char* d : {"materials", "layouts"})
    fs::copy(fs::path(COURSEPACK_SOURCE_DIR) / d, root / d, fs::copy_options::recursive);
  const fs::path project = root / "materials" / "project.yaml";
  const fs::path course = root / "materials" / "courses" / "grundutbildning.yaml";
  const fs::path layout = root / "layouts" / "handout.yaml";
  const std::string project_bytes = files::read_file(project).bytes;
  const std::string course_bytes = files::read_file(course).bytes;
  const std::string layout_bytes = files::read_file(layout).bytes;

  Diagnostics diags;
  auto programme = validate::load_programme(root, diags);
  REQUIRE(programme);
  REQUIRE_FALSE(programme->municipalities.empty());
  const auto& m = programme->municipalities.front();
  REQUIRE_FALSE(m.visits.empty());
  const auto& v = m.visits.front();
  const auto& modules = programme->courses.at(v.course).modules;
  REQUIRE_FALSE(modules.empty());
  const fs::path module = root / "materials" / modules.front().path;
  const std::string module_bytes = files::read_file(module).bytes;

  // Saved between validation and hashing: the pack must not record the new
  // text's hash for a pack made from the old text.
  for (const auto& f : {project, course, layout, module}) test::write_file(f, files::read_file(f).bytes + "\n# edited\n");

  app::PackHasher hasher(*programme);
  const auto inputs = hasher.inputs(m, v);
  CHECK(hash_of(inputs, "materials/project.yaml") == sha256_hex(project_bytes));
  CHECK(hash_of(inputs, "materials/courses/grundutbildning.yaml") == sha256_hex(course_bytes));
  CHECK(hash_of(inputs, "layouts/handout.yaml") == sha256_hex(layout_bytes));
  CHECK(hash_of(inputs, "materials/" + modules.front().path) == sha256_hex(module_bytes));
  // What Pandoc is given is the same bytes.
  const auto it = programme->inputs.find(fs::weakly_canonical(module).string());
  REQUIRE(it != programme->inputs.end());
  CHECK(it->second.bytes == module_bytes);
  CHECK(it->second.sha256 == sha256_hex(module_bytes));
}
