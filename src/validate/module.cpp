// materials/modules/*.md: the YAML front matter and the placeholders.
#include "validate/readers.h"

#include <fmt/format.h>

#include "load/source.h"
#include "validate/fields.h"
#include "validate/templates.h"
#include "validate/validate.h"

namespace cp::validate {

namespace {

struct FrontMatter {
  std::string_view yaml;  // the text between the fences
  bool closed = false;
};

// A line that is exactly `marker` (a trailing CR or blanks allowed).
bool is_fence(std::string_view line, std::string_view marker) {
  while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) line.remove_suffix(1);
  return line == marker;
}

// Front matter is a first line `---`, YAML, and a line `---` or `...`.
std::optional<FrontMatter> find_front_matter(std::string_view text) {
  std::size_t eol = text.find('\n');
  if (eol == std::string_view::npos || !is_fence(text.substr(0, eol), "---")) return std::nullopt;
  const std::size_t start = eol + 1;
  for (std::size_t pos = start; pos < text.size(); pos = eol + 1) {
    eol = text.find('\n', pos);
    if (eol == std::string_view::npos) eol = text.size();
    const std::string_view line = text.substr(pos, eol - pos);
    if (is_fence(line, "---") || is_fence(line, "...")) return FrontMatter{text.substr(start, pos - start), true};
  }
  return FrontMatter{{}, false};
}

void check_front_matter(std::string_view text, const std::string& path, Diagnostics& diags) {
  // Pandoc's own metadata keys that a module may reasonably set.
  static constexpr std::string_view kKeys[] = {"title", "subtitle", "author", "date", "lang"};
  const auto fm = find_front_matter(text);
  if (!fm) return;
  if (!fm->closed) {
    diags.error({path, 1, 1}, "front matter has no closing '---'");
    return;
  }
  // Line 2 of the file is the first line of the YAML.
  const auto doc = load::parse_yaml(fm->yaml, path, diags, 2);
  if (!doc || doc->root->is_null()) return;
  if (!doc->root->is_mapping()) {
    diags.error(doc->root->loc, "front matter must be a mapping (key: value lines)");
    return;
  }
  const Fields f(*doc->root, kKeys, diags);
  std::string title;
  f.text("title", title);
}

}  // namespace

std::size_t check_module(const Context& ctx, const std::filesystem::path& file) {
  const std::string path = ctx.display(file);
  const auto text = load::read_text_file(file, path, ctx.diags, load::Encoding::Utf8, kMaxModuleBytes);
  if (!text) return 0;
  check_front_matter(*text, path, ctx.diags);
  const load::LineIndex index(*text);
  check_placeholders(
      *text, {}, [&](std::size_t offset) { return index.loc(path, offset); }, ctx.diags);
  return text->size();
}

}  // namespace cp::validate
