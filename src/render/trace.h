// The trace renderer: pages of positioned items → plain text, one line per
// item, for golden tests (after SILE's debug outputter). Numbers are rounded
// to 0.01, trailing zeros dropped, formatted in the classic locale.
//
//   page 1 595.28x841.89                        (pages are 1-based)
//   T x y FONT size w=width (text)              FONT = PostScript name
//   L x1 y1 x2 y2 w=width [#rrggbb] [dashed]    colour when not black
//   R x y w h [fill=#rrggbb] [stroke=#rrggbb w=width]
//   I x y w h file.png                          file name only
//   A x y w h uri                               external link
//   A x y w h -> page P y                       internal link (P 1-based)
//   B level page y title                        outline entry (page 1-based)
//
// Bookmarks come last, after every page.
#pragma once

#include <string>

#include "frame/frame.h"

namespace cp::render {

std::string render_trace(const layout::Document& doc);

// One number as the trace writes it (exposed for tests).
std::string trace_number(double v);

}  // namespace cp::render
