#include "validate/templates.h"

#include <fmt/format.h>

#include <algorithm>

#include "load/source.h"
#include "model/placeholders.h"
#include "validate/fields.h"

namespace cp::validate {

namespace {

// A name that exists elsewhere is explained; otherwise the nearest known one.
std::string hint_for(const std::string& name, std::span<const std::string_view> candidates) {
  if (model::placeholder_known(name, false, true)) return "page numbers are only for layout headers and footers";
  if (model::placeholder_known(name, true, false)) return "participant placeholders are only for certificate texts";
  const auto best = nearest(name, candidates);
  return best ? fmt::format("did you mean '{{{{{}}}}}'?", *best) : "";
}

// The unclosed placeholder as written: from its `{{` to the next blank or
// line end, at most 40 bytes (cut at a character boundary).
std::string_view written_at(std::string_view text, std::size_t offset) {
  std::string_view s = text.substr(offset);
  s = s.substr(0, std::min(s.find_first_of(" \t\r\n"), s.size()));
  if (s.size() > 40) {
    std::size_t cut = 40;
    while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
    s = s.substr(0, cut);
  }
  return s;
}

void report_brace_mistakes(std::string_view text, PlaceholderScope scope,
                           const std::function<SourceLoc(std::size_t)>& where, Diagnostics& diags) {
  for (const auto& m : model::find_brace_mistakes(text)) {
    if (load::diagnostics_flooded(diags)) return;
    if (m.kind == model::BraceMistake::Kind::StrayClose) {
      diags.error(where(m.offset), "'}}' closes no placeholder",
                  "a placeholder is written with two braces on each side, e.g. {{visit.date}}; add the missing "
                  "'{{' or remove the '}}'");
      continue;
    }
    const std::string_view written = written_at(text, m.offset);
    std::string name(written.substr(2));
    while (!name.empty() && (name.back() == '}' || name.back() == '.' || name.back() == ',')) name.pop_back();
    const std::string hint = model::placeholder_known(name, scope.participant, scope.page)
                                 ? fmt::format("write '{{{{{}}}}}', with two braces on each side", name)
                                 : "a placeholder is written with two braces on each side, e.g. {{visit.date}}";
    diags.error(where(m.offset), fmt::format("placeholder '{}' has no closing '}}}}'", written), hint);
  }
}

}  // namespace

void check_placeholders(std::string_view text, PlaceholderScope scope,
                        const std::function<SourceLoc(std::size_t)>& where, Diagnostics& diags) {
  report_brace_mistakes(text, scope, where, diags);
  const auto uses = model::find_placeholders(text);
  if (uses.empty()) return;
  const auto names = model::placeholder_names(scope.participant, scope.page);
  const std::vector<std::string_view> candidates(names.begin(), names.end());
  for (const auto& use : uses) {
    if (model::placeholder_known(use.name, scope.participant, scope.page)) continue;
    if (load::diagnostics_flooded(diags)) return;
    diags.error(where(use.offset), fmt::format("unknown placeholder '{{{{{}}}}}'", use.name),
                hint_for(use.name, candidates));
  }
}

}  // namespace cp::validate
