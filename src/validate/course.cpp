// materials/courses/<id>.yaml and the module files they list.
#include "validate/readers.h"

#include <fmt/format.h>

#include <map>

#include "core/files.h"
#include "core/text.h"
#include "validate/fields.h"
#include "validate/validate.h"

namespace cp::validate {

namespace fs = std::filesystem;

namespace {

using ModuleSizes = std::map<fs::path, std::size_t>;

model::Evaluation read_evaluation(const YamlNode& node, Diagnostics& diags) {
  static constexpr std::string_view kKeys[] = {"statements", "questions"};
  const Fields f(node, kKeys, diags);
  model::Evaluation e;
  f.text_list("statements", e.statements);
  f.text_list("questions", e.questions);
  return e;
}

// The module list: paths under materials/, each checked to exist. A module
// several courses share is read and checked once (`checked`: its size).
// Together they are one handout, whose text is bounded (kMaxCourseTextBytes).
void read_module_refs(const Context& ctx, const Fields& f, model::Course& c, ModuleSizes& checked) {
  const YamlNode* list = f.require("modules");
  if (!list || !expect_list(*list, "modules", ctx.diags)) return;
  if (list->items.empty()) ctx.diags.error(list->loc, "a course needs at least one module");
  std::size_t total = 0;
  for (const YamlNode* item : list->items) {
    const auto file = resolve_file(ctx, *item, "modules", Folder::Materials);
    if (!file) continue;
    c.modules.push_back({std::string(text::trim(item->scalar)), item->loc});
    auto [at, added] = checked.try_emplace(*file, 0);
    if (added) at->second = check_module(ctx, *file);
    total += at->second;
  }
  if (total > kMaxCourseTextBytes)
    ctx.diags.error(list->loc,
                    fmt::format("the course's modules hold {} of text together; the limit is {}",
                                files::size_text(total), files::size_text(kMaxCourseTextBytes)),
                    "a handout this long runs to hundreds of pages: split the course in two");
}

std::optional<model::Course> read_course(const Context& ctx, const fs::path& file, ModuleSizes& checked) {
  static constexpr std::string_view kKeys[] = {"title", "subtitle", "hours", "modules", "learning_goals", "evaluation"};
  const auto doc = load_mapping_file(ctx, file, kMaxSettingsFileBytes);
  if (!doc) return std::nullopt;
  const Fields f(*doc->root, kKeys, ctx.diags);
  model::Course c;
  c.id = file.stem().string();
  c.loc = doc->root->loc;
  f.require_text("title", c.title);
  f.text("subtitle", c.subtitle);
  f.require_number("hours", c.hours, Bound::Positive);
  read_module_refs(ctx, f, c, checked);
  f.text_list("learning_goals", c.learning_goals, kMaxLearningGoals, kMaxLearningGoalLength);
  if (const YamlNode* e = f.mapping("evaluation")) c.evaluation = read_evaluation(*e, ctx.diags);
  return c;
}

}  // namespace

std::map<std::string, model::Course> read_courses(const Context& ctx) {
  std::map<std::string, model::Course> courses;
  ModuleSizes checked_modules;
  for (const auto& file : yaml_files_in(ctx, ctx.materials / "courses"))
    if (auto c = read_course(ctx, file, checked_modules)) courses.emplace(c->id, std::move(*c));
  return courses;
}

}  // namespace cp::validate
