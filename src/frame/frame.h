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

// What a drawn item is that is not content (PDF/UA: an artifact): running
// headers, footers and page numbers are Pagination; rules, box backgrounds
// and decorative shapes are Layout; a full-page background is Background.
enum class Artifact : unsigned char { Layout, Pagination, Background };

// Every drawn item says where it belongs in the document's logical
// structure: `node` indexes Document::structure; -1 means the item is not
// content and is drawn as an artifact of kind `artifact`. Documents without
// a structure ignore both.

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
  int node = -1;
  Artifact artifact = Artifact::Layout;
};

struct Line {
  double x1 = 0, y1 = 0, x2 = 0, y2 = 0;
  double width = 0.5;
  Color color;
  bool dashed = false;
  int node = -1;
  Artifact artifact = Artifact::Layout;
};

struct Rect {
  double x = 0, y = 0, width = 0, height = 0;  // (x, y) = bottom-left corner
  bool fill = true;
  Color fill_color{1, 1, 1};
  bool stroke = false;
  Color stroke_color;
  double stroke_width = 0.5;
  int node = -1;
  Artifact artifact = Artifact::Layout;
};

struct Image {
  double x = 0, y = 0, width = 0, height = 0;  // bottom-left corner and size on the page
  std::string path;                            // absolute path of a PNG or JPEG
  int node = -1;
  Artifact artifact = Artifact::Layout;
};

// A clickable area: an external URI, or (uri empty) a jump to a page.
struct Link {
  double x = 0, y = 0, width = 0, height = 0;
  std::string uri;
  int dest_page = -1;  // 0-based
  double dest_y = 0;
  int node = -1;
  Artifact artifact = Artifact::Layout;
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

// One element of the logical structure (a tagged PDF's StructElem).
// Node 0 is the root, role "Document", parent -1; every other node has a
// parent with a smaller index. Layout creates nodes in reading order.
//
// An element's kids are its own content (the items tagged with it) and its
// child elements, in the order they are first drawn (pages in order, items
// in page order): a child element stands where its first content, or its
// first descendant's content, is drawn. A child element that draws nothing
// stands before its first later sibling (in node order), else at the end:
// an empty table cell keeps its column.
struct StructNode {
  std::string role;   // a standard structure type: Document, H1..H3, P, L, LI, Lbl, LBody,
                      // Table, THead, TBody, TR, TH, TD, Figure, Link, Note, TOC, TOCI,
                      // BlockQuote, Sect, Div, Span, Caption
  int parent = -1;
  std::string alt;    // Figure, Formula: what the image says (/Alt)
  std::string id;     // Note: unique within the document (/ID)
  std::string scope;  // TH: "Column" or "Row" (/A << /O /Table /Scope >>)
  int row_span = 1, col_span = 1;  // TH, TD
  std::string title;  // /T, e.g. a box's title
  std::string lang;   // BCP 47, only where it differs from Metadata::language
};

struct Metadata {
  std::string title;
  std::string author;
  std::string subject;
  std::string keywords;
  std::string language = "sv-SE";
  std::string creator = "coursepack";
};

// A laid-out document: its pages, outline, metadata, the fonts its runs
// refer to and, when it is tagged, its logical structure (empty: untagged).
struct Document {
  std::vector<Page> pages;
  std::vector<StructNode> structure;
  std::vector<Bookmark> outline;
  Metadata meta;
  std::shared_ptr<fonts::FontSet> fonts;
};

}  // namespace cp::layout
