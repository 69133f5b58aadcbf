// Fuzz target: model::find_placeholders, find_brace_mistakes and fill_placeholders on arbitrary
// text with a fully populated context. Every use found must lie inside the
// text and start with "{{"; filling must terminate and the result must not
// contain a placeholder that was known (all are replaced).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "model/model.h"
#include "model/placeholders.h"

namespace {

struct Fixture {
  cp::model::Project project;
  cp::model::Course course;
  cp::model::Municipality municipality;
  cp::model::Visit visit;
  cp::model::Participant participant;
  Fixture() {
    project.title = "SPoM {{project.title}}";  // values that look like placeholders stay literal
    project.organisation = "Region Jönköpings län";
    course.id = "grund";
    course.title = "Grundkurs {{course.title}}";
    course.hours = 6;
    municipality.slug = "eksjo";
    municipality.name = "Eksjö";
    municipality.code = "0686";
    visit.date = {2023, 3, 14};
    visit.venue = "Stadshuset";
    visit.course = "grund";
    participant.name = "Åsa Öberg";
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const Fixture f;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto uses = cp::model::find_placeholders(text);
  std::size_t previous_end = 0;
  for (const auto& u : uses) {
    if (u.offset < previous_end || u.length < 4 || u.offset + u.length > text.size()) std::abort();
    if (text.substr(u.offset, 2) != "{{" || text.substr(u.offset + u.length - 2, 2) != "}}") std::abort();
    previous_end = u.offset + u.length;
    (void)cp::model::placeholder_known(u.name, true, true);
  }
  // Brace mistakes: in order, inside the text, each at a `{{` or `}}`, and
  // never inside a placeholder found.
  std::size_t previous = 0;
  for (const auto& m : cp::model::find_brace_mistakes(text)) {
    if (m.offset < previous || m.offset + 2 > text.size()) std::abort();
    const std::string_view pair = text.substr(m.offset, 2);
    if (pair != (m.kind == cp::model::BraceMistake::Kind::Unclosed ? "{{" : "}}")) std::abort();
    for (const auto& u : uses)
      if (m.offset >= u.offset && m.offset < u.offset + u.length) std::abort();
    previous = m.offset + 1;
  }
  cp::model::PlaceholderContext ctx;
  ctx.project = &f.project;
  ctx.course = &f.course;
  ctx.municipality = &f.municipality;
  ctx.visit = &f.visit;
  ctx.participant = &f.participant;
  ctx.page = 1;
  ctx.pages = 2;
  const std::string filled = cp::model::fill_placeholders(text, ctx);
  // Without any placeholder the text is returned unchanged.
  if (uses.empty() && filled != text) std::abort();
  return 0;
}
