// Tailoring: one visit's document from a module's document. Pure: no I/O,
// no fonts, no positions.
//
// Placeholders `{{object.field}}` are filled everywhere text can hold them:
// running text (also when Pandoc split `{{ visit.date }}` into several
// words), link targets, code, div titles, figure paths and captions, table
// cells and captions, footnotes, and the module title. A value's spaces
// become Space inlines and its no-break spaces NbSpace, as if the author had
// typed the value. Unknown placeholders stay as written (validation has
// reported them already).
#pragma once

#include <string>
#include <string_view>

#include "content/document.h"
#include "model/placeholders.h"

namespace cp::tailor {

doc::Blocks tailor(const doc::Blocks& blocks, const model::PlaceholderContext& ctx);
doc::Inlines tailor(const doc::Inlines& inlines, const model::PlaceholderContext& ctx);
// The blocks and the title.
doc::Module tailor(const doc::Module& module, const model::PlaceholderContext& ctx);

// A template string (running headers and footers, layout text):
// model::fill_placeholders, here so that callers need one stage only.
std::string fill(std::string_view text, const model::PlaceholderContext& ctx);

}  // namespace cp::tailor
