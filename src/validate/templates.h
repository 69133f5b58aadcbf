// Placeholders in text the user writes: modules and layout templates.
#pragma once

#include <cstddef>
#include <functional>
#include <string_view>

#include "core/diagnostics.h"

namespace cp::validate {

// Which placeholders a template may use beyond those of a visit.
struct PlaceholderScope {
  bool participant = false;  // certificate texts: participant.*
  bool page = false;         // running headers and footers: page, pages
};

// Reports each unknown placeholder in `text` at where(byte offset of its
// `{{`), with a did-you-mean for a near miss, and each `{{` without its `}}`
// and stray `}}` (they would print literally).
void check_placeholders(std::string_view text, PlaceholderScope scope,
                        const std::function<SourceLoc(std::size_t)>& where, Diagnostics& diags);

}  // namespace cp::validate
