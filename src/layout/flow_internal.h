// What the files of the block flow share (flow.cpp, flow_inlines.cpp,
// flow_paragraphs.cpp, grid.cpp, paginate.cpp). Not a public header.
#pragma once

#include <string>

#include "layout/flow.h"

namespace cp::layout {

inline constexpr double kNoteSizeRatio = 0.82;
inline constexpr double kListIndent = 16;
inline constexpr double kBoxPad = 8;
inline constexpr double kCellPad = 4;

// "¹²" for 12.
std::string superscript(int n);

struct Flow::Context {
  int box = -1;
  int parent = 0;  // the structure node blocks go under (tagged flows)
  bool direct = false;  // a lone paragraph's text is `parent`'s own (a list item's body)
  SourceLoc loc;
  bool tight = false;
};

}  // namespace cp::layout
