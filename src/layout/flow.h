// Flowing a document tree into pages.
//
// blocks → chunks (set lines, table rows, rules, images: each an unbreakable
// vertical piece with keep rules) → pages (greedy fill with backtracking to
// the last allowed break, so widows, orphans and headings at the foot of a
// page never happen) → positioned items.
//
// Chunks carry their own items relative to their top-left corner, so a
// chunk can be placed, moved to the next page, or repeated (a table's header
// row) without being set again.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "content/document.h"
#include "core/diagnostics.h"
#include "core/file_store.h"
#include "fonts/fonts.h"
#include "frame/frame.h"
#include "layout/paragraph.h"

namespace cp::layout {

struct FamilyFonts {
  fonts::FontId regular = 0, bold = 0, italic = 0, bold_italic = 0;
  fonts::FontId pick(bool bold, bool italic) const;
};

// Resolved typographic settings (fonts are ids in the document's FontSet).
struct FlowStyle {
  FamilyFonts body, heading, mono;
  double body_size = 10.5;
  double leading = 14.5;
  double heading_sizes[3] = {20, 14, 11.5};
  double paragraph_space = 5;
  bool justify = true;
  bool hyphenate = true;
  Color text{0.1, 0.1, 0.1};
  Color accent{0, 0.32, 0.55};
  Color box_discussion{0.90, 0.95, 0.99};
  Color box_note{1.0, 0.97, 0.88};
  Color box_case{0.93, 0.97, 0.92};
  Color rule{0.6, 0.6, 0.6};
};

// The rectangle content is flowed into, in PDF coordinates.
struct TextArea {
  double left = 0, bottom = 0, width = 0, height = 0;
  double top() const { return bottom + height; }
};

// A box drawn behind consecutive chunks (a fenced div, a block quote's bar).
struct BoxDecoration {
  bool fill = true;
  Color fill_color;
  bool bar = false;  // a vertical bar at the left edge instead of / besides a fill
  Color bar_color;
  double left = 0, right = 0;  // horizontal extent relative to the text area's left
  double pad = 0;              // padding above the first and below the last chunk on a page
};

struct Chunk {
  double height = 0;
  double space_before = 0;     // dropped at the top of a page
  bool break_before = true;    // a page break may come before this chunk
  bool new_page = false;       // always start a new page here
  double first_baseline = 0;   // distance from the top to the first baseline (lists use it)
  std::vector<Item> items;     // x from the text area's left, y from the chunk's top (downwards negative)
  int box = -1;                // index into Flow::boxes
  int repeat_header = -1;      // index of a chunk to repeat when this one starts a page
  std::vector<Chunk> notes;    // footnotes referenced from this chunk
  std::optional<Bookmark> mark;  // outline entry anchored at the chunk's top (page/y filled in later)
  std::string anchor;            // heading id for internal links

  void shift(double dx, double dy);
};

// Moves an item by (dx, dy).
void shift_item(Item& item, double dx, double dy);

// Stacks chunks into one unbreakable chunk, each below the one before
// (after its space_before, but the first's), moved right by `dx`: lines of
// a table cell, a list item, a form's wrapped text. Its first_baseline is
// the first part's; footnotes are kept.
Chunk stack(const std::vector<Chunk>& parts, double dx = 0);

struct HeadingEntry {
  int level = 1;
  std::string title;
  std::string anchor;
  int page = 0;  // 0-based page index within the flowed pages
  double y = 0;
};

struct Flowed {
  std::vector<Page> pages;
  std::vector<HeadingEntry> headings;  // every chunk with a mark, in order
};

// Resolves an image path written in a module (relative to materials/) to an
// absolute path; empty when it cannot be used (the caller reports why).
using ImageResolver = std::function<std::string(const std::string& written, const SourceLoc& where)>;

class Flow {
 public:
  Flow(FlowStyle style, fonts::FontSet& fonts, const Hyphenator* hyphenator, Diagnostics* diags,
       ImageResolver images = {});

  double width() const { return width_; }
  void set_width(double w) { width_ = w; }

  // Appends the chunks of `blocks`. `new_page` forces the first onto a new page.
  void add_blocks(const doc::Blocks& blocks, bool new_page = false);
  // A heading outside any module text (generated pages).
  void add_heading(int level, const std::string& title, bool new_page, bool outline);
  // A plain paragraph of pieces at full width.
  void add_paragraph(const std::vector<Piece>& pieces, LineAlign align, double space_before);
  // Ruled writing lines down to the bottom of the page.
  void add_ruled_lines(double spacing, double area_height);
  // Vertical space (dropped at a page top).
  void add_space(double height);
  // A chunk made elsewhere; a relative repeat_header (see Grid::take) is
  // resolved against the chunks added before it.
  void add_chunk(Chunk c);

  // Text pieces for inlines in the body style (for composers that build
  // paragraphs from document inlines).
  std::vector<Piece> pieces(const doc::Inlines& inlines, double size, const FamilyFonts& family, bool bold = false,
                            bool italic = false, const Color* color = nullptr, bool hyphenate = true);
  TextStyle body_style(bool bold = false, bool italic = false) const;
  // Sets pieces into line chunks of `width` (keep_lines: no page break inside).
  std::vector<Chunk> paragraph_chunks(const std::vector<Piece>& pieces, double width, LineAlign align,
                                      double leading, bool keep_lines, const SourceLoc& where);

  // Breaks the chunks into pages of `area`'s size.
  Flowed paginate(const TextArea& area, double page_width, double page_height) const;

  // The logical structure, for a tagged PDF. After tag_structure(), every
  // block flowed gets its structure nodes in reading order (headings H1–H3,
  // P, L > LI > Lbl + LBody, Table > THead/TBody > TR > TH/TD, Sect with
  // its title for a box, BlockQuote, Figure with its alt text, Note with
  // its /ID, Link) and their items carry them (Item::node); rules, box
  // backgrounds and underlines are layout artifacts, a table header
  // repeated on a later page a pagination artifact. Node 0 is the
  // Document; a composer merges the nodes into its document's structure.
  // `previous_heading`: the level of the heading before this flow's text
  // in the document (0 = none), so that no heading level is skipped (a
  // deeper heading is tagged one level below the one before it).
  void tag_structure(int previous_heading = 0);
  bool tagged() const { return tagged_; }
  // A new node under `parent` (tagged flows only); its index.
  int add_node(const std::string& role, int parent = 0);
  StructNode& node(int n) { return structure_[static_cast<std::size_t>(n)]; }
  const std::vector<StructNode>& structure() const { return structure_; }
  // The structure level for a heading of `level`, recorded as the last.
  int heading_level(int level);

  const FlowStyle& style() const { return style_; }
  fonts::FontSet& fonts() { return fonts_; }
  // Paragraphs set by other flows (other documents) are taken from here.
  void set_paragraph_cache(ParagraphCache* cache) { cache_ = cache; }
  // Images are read through it (see image_size).
  void set_file_store(files::FileStore* store) { file_store_ = store; }

 private:
  struct Context;
  std::vector<Chunk> flow(const doc::Blocks& blocks, double width, const Context& ctx);
  void flow_block(const doc::Block& b, double width, const Context& ctx, std::vector<Chunk>& out);
  std::vector<Chunk> list_chunks(const doc::Block& b, double width, const Context& ctx);
  std::vector<Chunk> table_chunks(const doc::Block& b, double width, const Context& ctx);
  std::vector<double> table_columns(const doc::Table& t, std::size_t ncols, double width, double size);
  std::vector<Chunk> div_chunks(const doc::Block& b, double width, const Context& ctx, bool quote);
  std::vector<Chunk> figure_chunks(const doc::Block& b, double width, const Context& ctx);
  std::vector<Chunk> heading_chunks(int level, const std::vector<Piece>& pieces, const std::string& title,
                                    const std::string& anchor, double width, bool outline, const SourceLoc& where);
  // `node`: the structure node of the text (-1: none); links and footnote
  // markers get nodes of their own under it.
  void collect_pieces(const doc::Inlines& inlines, double size, const FamilyFonts& family, bool bold, bool italic,
                      const Color& color, bool hyphenate, const std::string& link, std::vector<Piece>& out,
                      std::vector<const doc::Inline*>* notes, int node = -1);
  void attach_notes(std::vector<Chunk>& lines, const std::vector<const doc::Inline*>& notes, double width,
                    const Context& ctx);

  FlowStyle style_;
  fonts::FontSet& fonts_;
  const Hyphenator* hyphenator_;
  Diagnostics* diags_;
  ParagraphCache* cache_ = nullptr;
  files::FileStore* file_store_ = nullptr;
  ImageResolver images_;
  double width_ = 0;
  int note_counter_ = 0;
  std::vector<Chunk> chunks_;
  std::vector<BoxDecoration> boxes_;
  bool tagged_ = false;
  int previous_heading_ = 0;
  std::vector<StructNode> structure_;
  std::unordered_map<const doc::Inline*, int> note_nodes_;  // a footnote's Note
};

// Width and height of a PNG or JPEG from its header; nullopt if unreadable.
// Read through `store` when given (the bytes render then draws).
struct ImageSize {
  int width = 0, height = 0;
};
std::optional<ImageSize> image_size(const std::string& path, files::FileStore* store = nullptr);

}  // namespace cp::layout
