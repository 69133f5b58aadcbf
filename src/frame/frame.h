// What layout hands to the renderers: pages of positioned items.
//
// Coordinates are PDF points with the origin at the bottom-left corner of
// the page, y upwards (the PDF convention), so renderers decide nothing.
#pragma once

#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "core/color.h"
#include "fonts/fonts.h"

namespace cp::layout {

using Color = cp::Color;

// A run of characters set in one font at one size, starting at the
// baseline point (x, y). `width` is its advance width in points.
// `glyphs` is the text shaped (HarfBuzz), in visual order, clusters as byte
// offsets into `text`; empty means the renderer shapes `text` itself as
// Face::shape does.
struct GlyphRun {
  double x = 0, y = 0;
  fonts::FontId font = 0;
  double size = 10;
  Color color;
  std::string text;  // UTF-8, NFC
  double width = 0;
  std::shared_ptr<const std::vector<fonts::ShapedGlyph>> glyphs;  // shared: runs are copied a lot
};

struct Line {
  double x1 = 0, y1 = 0, x2 = 0, y2 = 0;
  double width = 0.5;
  Color color;
  bool dashed = false;
};

struct Rect {
  double x = 0, y = 0, width = 0, height = 0;  // (x, y) = bottom-left corner
  bool fill = true;
  Color fill_color{1, 1, 1};
  bool stroke = false;
  Color stroke_color;
  double stroke_width = 0.5;
};

struct Image {
  double x = 0, y = 0, width = 0, height = 0;  // bottom-left corner and size on the page
  std::string path;                            // absolute path of a PNG or JPEG
};

// A clickable area: an external URI, or (uri empty) a jump to a page.
struct Link {
  double x = 0, y = 0, width = 0, height = 0;
  std::string uri;
  int dest_page = -1;  // 0-based
  double dest_y = 0;
};

using Item = std::variant<GlyphRun, Line, Rect, Image, Link>;

struct Page {
  double width = 595.276, height = 841.890;
  std::vector<Item> items;
};

struct Bookmark {
  int level = 0;  // 0 = top
  std::string title;
  int page = 0;   // 0-based
  double y = 0;   // top of the target on that page
};

struct Metadata {
  std::string title;
  std::string author;
  std::string subject;
  std::string keywords;
  std::string language = "sv-SE";
  std::string creator = "coursepack";
};

// A laid-out document: its pages, outline, metadata and the fonts its runs
// refer to.
struct Document {
  std::vector<Page> pages;
  std::vector<Bookmark> outline;
  Metadata meta;
  std::shared_ptr<fonts::FontSet> fonts;
};

}  // namespace cp::layout
