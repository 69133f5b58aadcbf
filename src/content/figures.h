// What a module's images need to be accessible: a description. A tagged
// PDF gives each image its Markdown alt text (`![what it shows](file.png)`)
// as the /Alt of its Figure; an image without one can only be named by its
// file, which tells a reader who cannot see it nothing.
#pragma once

#include <string_view>

#include "content/document.h"
#include "core/diagnostics.h"

namespace cp::content {

// One warning per image of `module` (figures in lists, boxes, quotes and
// table cells too) that has no alt text, at its `![` in `source` (the
// module's Markdown), found after the one before it.
void check_figures(const doc::Module& module, std::string_view source, Diagnostics& diags);

}  // namespace cp::content
