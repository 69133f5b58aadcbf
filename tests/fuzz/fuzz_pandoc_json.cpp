// Fuzz target: arbitrary bytes as Pandoc's JSON output →
// content::convert_pandoc_json. The input is documented as untrusted: a
// malformed document is an error result, never a crash, a hang or an
// escaping exception. The first byte chooses whether a Markdown source is
// passed along (the line-finding path).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "content/pandoc_ast.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view json(reinterpret_cast<const char*>(data), size);
  cp::content::ConvertOptions options;
  options.base = cp::SourceLoc{"materials/modules/fuzz.md", 1, 1};
  static const std::string source =
      "# Begrepp\n\nSexuell exploatering i {{municipality.name}}.\n\n::: note\nText\n:::\n\n- a\n- b\n";
  if (!json.empty() && json.front() == ' ') options.source = source;
  cp::Diagnostics diags;
  (void)cp::content::convert_pandoc_json(json, options, diags);
  return 0;
}
